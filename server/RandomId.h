#pragma once

// Random identifiers (request ids, completion and response ids, session keys, WebSocket
// connection ids and nonces): version-4 UUIDs from the kernel's CSPRNG, drawn from a per-thread
// pool refilled 4 KiB at a time. QUuid::createUuid asks the CPU's RDRAND for every id, which
// costs 2-3 us a call on some machines (measured: 2.3 us on the bench machine, three ids per chat
// completion); a refill (one getrandom call, 17 us there) gives 256 ids.

#include <QUuid>

namespace passerelle::RandomId {

// A random (version 4, RFC 4122 variant) UUID, as unpredictable as QUuid::createUuid's.
QUuid uuid();

} // namespace passerelle::RandomId
