#pragma once

// The process's file-descriptor limit (SPEC.md section 14, "Connections"): raised at start from
// its soft value to the hard one (a server out of descriptors spins on accept), and the connection
// cap derived from it, keeping 256 descriptors for upstream sockets, files and the store.
// Process-wide; called from the server thread when the gateway starts.

#include <QtGlobal>

namespace passerelle {

class DescriptorLimit
{
public:
    static constexpr int kReserved = 256;
    static constexpr int kMinimumCap = 16;

    // Raises the soft limit to the hard limit; returns the soft limit now in force.
    static qint64 raise();
    static qint64 current();
    // The connection cap a limit allows: the limit minus kReserved (at least kMinimumCap).
    static int connectionCap(qint64 limit);
};

} // namespace passerelle
