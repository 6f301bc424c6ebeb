#pragma once

// Builds the raw bytes of every HTTP response the gateway writes: status line, the common headers
// of SPEC section 3 (nosniff, no-referrer, x-request-id, CORS for listed origins), then a body with
// Content-Length, or the head of a chunked SSE stream. Pure functions, any thread; writing the
// bytes to the socket is the caller's job, so no QtHttpServer version difference leaks in here.

#include "http/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace passerelle {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ReplyContext
{
    QByteArray requestId; // x-request-id
    QByteArray corsOrigin; // echoed in Access-Control-Allow-Origin when non-empty
    bool headOnly = false; // HEAD: headers (with the body's length) but no body
    bool close = false; // add Connection: close
};

class HttpReply
{
public:
    static QByteArray reasonPhrase(int status);
    static QByteArray build(int status, const QByteArray &contentType, const QByteArray &body,
                            const ReplyContext &ctx, const HeaderList &extra = {});
    static QByteArray json(int status, const QJsonObject &object, const ReplyContext &ctx,
                           const HeaderList &extra = {});
    static QByteArray error(const ApiError &error, const ReplyContext &ctx,
                            const HeaderList &extra = {});
    static QByteArray text(int status, const QByteArray &text, const ReplyContext &ctx,
                           const HeaderList &extra = {});
    static QByteArray notFound(const ReplyContext &ctx);
    static QByteArray methodNotAllowed(const QByteArray &allow, const ReplyContext &ctx);
    // 200 text/event-stream with Transfer-Encoding: chunked; frames follow as SseWriter chunks.
    static QByteArray streamHead(const ReplyContext &ctx);

private:
    static void appendCommon(QByteArray &out, const ReplyContext &ctx);
};

} // namespace passerelle
