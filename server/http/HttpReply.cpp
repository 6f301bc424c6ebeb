#include "http/HttpReply.h"

#include <QJsonDocument>

namespace passerelle {

QByteArray HttpReply::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 200:
        return QByteArrayLiteral("OK");
    case 204:
        return QByteArrayLiteral("No Content");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    case 529:
        return QByteArrayLiteral("Site Overloaded");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

void HttpReply::appendCommon(QByteArray &out, const ReplyContext &ctx)
{
    out += "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n";
    if (!ctx.requestId.isEmpty())
        out += "x-request-id: " + ctx.requestId + "\r\n";
    if (!ctx.corsOrigin.isEmpty())
        out += "Access-Control-Allow-Origin: " + ctx.corsOrigin + "\r\nVary: Origin\r\n";
    if (ctx.close)
        out += "Connection: close\r\n";
    else if (ctx.http10)
        out += "Connection: keep-alive\r\n";
}

HttpReply &HttpReply::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

QByteArray HttpReply::toBytes(const ReplyContext &ctx) const
{
    QByteArray out;
    out.reserve(256 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    appendCommon(out, ctx);
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    if (!ctx.headOnly)
        out += body;
    return out;
}

HttpReply HttpReply::json(int status, const QJsonObject &object)
{
    return jsonBytes(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

HttpReply HttpReply::jsonBytes(int status, const QByteArray &json)
{
    return {status, QByteArrayLiteral("application/json; charset=utf-8"), json, {}, {}};
}

HttpReply HttpReply::error(const ApiError &error)
{
    return {error.status,
            QByteArrayLiteral("application/json; charset=utf-8"),
            error.body(),
            {},
            error.message};
}

HttpReply HttpReply::text(int status, const QByteArray &text)
{
    return {status,
            QByteArrayLiteral("text/plain; charset=utf-8"),
            text,
            {},
            status >= 400 ? QString::fromUtf8(text) : QString()};
}

HttpReply HttpReply::notFound()
{
    return text(404, QByteArrayLiteral("Not Found"));
}

HttpReply HttpReply::methodNotAllowed(const QByteArray &allow)
{
    return text(405, QByteArrayLiteral("Method Not Allowed")).withHeader("Allow", allow);
}

QByteArray HttpReply::streamHead(const ReplyContext &ctx)
{
    QByteArray out = QByteArrayLiteral("HTTP/1.1 200 OK\r\n"
                                       "Content-Type: text/event-stream; charset=utf-8\r\n"
                                       "Cache-Control: no-cache\r\n"
                                       "X-Accel-Buffering: no\r\n");
    if (ctx.http10) {
        // No chunked framing for HTTP/1.0: the end of the stream is the end of the connection.
        ReplyContext closing = ctx;
        closing.close = true;
        appendCommon(out, closing);
    } else {
        out += "Transfer-Encoding: chunked\r\n";
        appendCommon(out, ctx);
    }
    out += "\r\n";
    return out;
}

} // namespace passerelle
