#pragma once

// One HTTP response as a value (status, content type, headers, body, and the error message a
// client reads, for the request log), and its bytes: status line, the common headers of SPEC
// section 3 (nosniff, no-referrer, x-request-id, CORS for listed origins), Content-Length and the
// body, or the head of a chunked SSE stream. Pure value code, any thread; writing the bytes is the
// caller's job, so no QtHttpServer version difference leaks in here.

#include "http/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace passerelle {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ReplyContext
{
    QByteArray requestId; // x-request-id
    QByteArray corsOrigin; // echoed in Access-Control-Allow-Origin when non-empty
    bool headOnly = false; // HEAD: headers (with the body's length) but no body
    bool close = false; // add Connection: close (the connection closes after the reply)
    bool http10 = false; // an HTTP/1.0 client: Connection: keep-alive when it stays, no chunks
};

struct HttpReply
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    HeaderList headers; // beyond the common ones
    QString errorMessage; // the message the client reads when this is an error ("" otherwise)

    HttpReply &withHeader(const QByteArray &name, const QByteArray &value);
    QByteArray toBytes(const ReplyContext &ctx) const;

    static HttpReply json(int status, const QJsonObject &object);
    // A body that already is JSON (an ordered wire object, see json/OrderedJsonObject.h).
    static HttpReply jsonBytes(int status, const QByteArray &json);
    // {"error":{...}} of SPEC section 4, with the error's status.
    static HttpReply error(const ApiError &error);
    static HttpReply text(int status, const QByteArray &text);
    static HttpReply notFound();
    static HttpReply methodNotAllowed(const QByteArray &allow);

    static QByteArray reasonPhrase(int status);
    // 200 text/event-stream with Transfer-Encoding: chunked; frames follow as SseWriter chunks.
    // For an HTTP/1.0 client (no chunks): the frames as they are, the end closing the connection.
    static QByteArray streamHead(const ReplyContext &ctx);

private:
    static void appendCommon(QByteArray &out, const ReplyContext &ctx);
};

} // namespace passerelle
