// libFuzzer harness of the WebSocket opening handshake as the gateway runs it: the bytes of a
// connection through HttpRequestParser; for an upgrade head, the Host check and WsHandshake::check
// (GatewayServer::checkUpgrade's RFC 6455 part); a refusal must be a 400 with its reason, an
// acceptance a 101 whose Sec-WebSocket-Accept is base64 of 20 bytes; then the bytes after the head
// (the client's first frames) through WsFrameReader, as WsSocket reads them. Never a crash or
// hang. Fuzzing thread.

#include "http/HttpPipeline.h"
#include "http/HttpRequestParser.h"
#include "ws/WsFrameReader.h"
#include "ws/WsHandshake.h"

#include <cstdlib>

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpRequestParser parser;
    parser.append(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (parser.next() != HttpRequestParser::Event::Head || !parser.head().upgrade)
        return 0;
    const RequestHead &head = parser.head();
    (void)HttpPipeline::hostValid(head.headers);
    const std::optional<HttpReply> refusal
        = WsHandshake::check(head.method, head.version, head.headers);
    if (refusal) {
        if (refusal->status != 400 || !refusal->body.startsWith("Bad Request: "))
            std::abort();
        const QByteArray bytes = refusal->toBytes(ReplyContext {"id", {}, false, true});
        if (!bytes.startsWith("HTTP/1.1 400 "))
            std::abort();
        return 0;
    }
    // Valid: exactly one key, the base64 of 16 bytes, and version 13.
    const QByteArray key = head.value("sec-websocket-key");
    const auto decoded
        = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (head.method != "GET" || head.version != "HTTP/1.1" || !decoded
        || decoded.decoded.size() != 16 || head.value("sec-websocket-version") != "13")
        std::abort();
    const QByteArray response = WsHandshake::acceptResponse(key);
    const QByteArray accept = WsHandshake::acceptKey(key);
    const auto acceptDecoded
        = QByteArray::fromBase64Encoding(accept, QByteArray::AbortOnBase64DecodingErrors);
    if (!acceptDecoded || acceptDecoded.decoded.size() != 20
        || !response.startsWith("HTTP/1.1 101 ") || !response.endsWith("\r\n\r\n")
        || !response.contains(QByteArray("\r\nSec-WebSocket-Accept: " + accept + "\r\n")))
        std::abort();
    WsFrameReader reader;
    const QList<WsFrameReader::Message> messages = reader.feed(parser.takeUnparsed());
    for (const WsFrameReader::Message &m : messages) {
        if (m.kind == WsFrameReader::Message::Kind::Error && !reader.failed())
            std::abort();
    }
    return 0;
}
