#pragma once

// The server side of the WebSocket opening handshake (RFC 6455 section 4.2, SPEC.md section 14):
// whether an upgrade request is one (GET, HTTP/1.1, Connection: Upgrade, Upgrade: websocket, one
// Sec-WebSocket-Key that is the base64 of 16 bytes, Sec-WebSocket-Version: 13), the 400 refusing
// it (with Sec-WebSocket-Version: 13 when the version is missing or another), and the 101
// accepting it. Pure, any thread.

#include "http/HttpReply.h"

#include <QByteArray>

#include <optional>

namespace passerelle {

class WsHandshake
{
public:
    // The refusal of an invalid upgrade request; nothing when it is valid.
    static std::optional<HttpReply> check(const QByteArray &method, const QByteArray &version,
                                          const HeaderList &headers);
    // base64(SHA-1(key + the RFC's GUID))
    static QByteArray acceptKey(const QByteArray &key);
    static QByteArray acceptResponse(const QByteArray &key);
};

} // namespace passerelle
