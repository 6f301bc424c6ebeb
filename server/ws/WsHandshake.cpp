#include "ws/WsHandshake.h"

#include "http/RequestHeadScanner.h"

#include <QCryptographicHash>

namespace passerelle {

namespace {

HttpReply badRequest(const QByteArray &why)
{
    return HttpReply::text(400, "Bad Request: " + why);
}

} // namespace

std::optional<HttpReply> WsHandshake::check(const QByteArray &method, const QByteArray &version,
                                            const HeaderList &headers)
{
    if (method != "GET")
        return badRequest("a WebSocket upgrade is a GET");
    if (version != "HTTP/1.1")
        return badRequest("a WebSocket upgrade needs HTTP/1.1");
    if (!RequestHead::hasToken(headers, "connection", "upgrade")
        || !RequestHead::hasToken(headers, "upgrade", "websocket"))
        return badRequest("a WebSocket upgrade needs Connection: Upgrade and Upgrade: websocket");
    QList<QByteArray> keys;
    QList<QByteArray> versions;
    for (const auto &h : headers) {
        if (h.first == "sec-websocket-key")
            keys.append(h.second);
        else if (h.first == "sec-websocket-version")
            versions.append(h.second);
    }
    if (versions.size() != 1 || versions.first() != "13") {
        HttpReply reply = badRequest("Sec-WebSocket-Version must be 13");
        reply.withHeader("Sec-WebSocket-Version", "13");
        return reply;
    }
    const bool keyValid = keys.size() == 1 && keys.first().size() == 24 && [&keys] {
        const auto decoded
            = QByteArray::fromBase64Encoding(keys.first(), QByteArray::AbortOnBase64DecodingErrors);
        return decoded && decoded.decoded.size() == 16;
    }();
    if (!keyValid)
        return badRequest("Sec-WebSocket-Key must be the base64 of 16 bytes");
    return std::nullopt;
}

QByteArray WsHandshake::acceptKey(const QByteArray &key)
{
    const QByteArray input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64();
}

QByteArray WsHandshake::acceptResponse(const QByteArray &key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + acceptKey(key) + "\r\n\r\n";
}

} // namespace passerelle
