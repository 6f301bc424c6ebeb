#include "http/HttpPipeline.h"

#include "RandomId.h"
#include "http/RequestHeadScanner.h"

#include <cctype>

namespace passerelle {

QByteArray RequestView::value(const QByteArray &lowerName) const
{
    if (!headers)
        return {};
    for (const auto &h : *headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

HttpPipeline::HttpPipeline(const RouteTable *routes, CredentialGuard *guard)
    : m_routes(routes), m_guard(guard)
{
}

QByteArray HttpPipeline::requestId(const QByteArray &clientValue)
{
    // Keep a client's own id when it is short and plain, so its logs and ours line up.
    if (!clientValue.isEmpty() && clientValue.size() <= 128) {
        bool plain = true;
        for (const char c : clientValue) {
            if (!(QChar::isLetterOrNumber(uchar(c)) && uchar(c) < 128) && c != '-' && c != '_'
                && c != '.' && c != ':') {
                plain = false;
                break;
            }
        }
        if (plain)
            return clientValue;
    }
    return RandomId::uuid().toByteArray(QUuid::WithoutBraces);
}

bool HttpPipeline::hostAllowed(const QByteArray &hostHeader) const
{
    if (!m_config.isLoopbackBind() || hostHeader.isEmpty())
        return true;
    QByteArray host = hostHeader.trimmed().toLower();
    if (host.startsWith('[')) {
        host = host.left(host.indexOf(']') + 1);
    } else {
        const qsizetype colon = host.lastIndexOf(':');
        if (colon >= 0)
            host.truncate(colon);
    }
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

bool HttpPipeline::hostValid(const HeaderList &headers)
{
    int count = 0;
    QByteArray host;
    for (const auto &h : headers) {
        if (h.first == "host") {
            ++count;
            host = h.second;
        }
    }
    if (count != 1 || host.isEmpty())
        return false;
    QByteArray rest;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 2)
            return false;
        for (const char c : host.mid(1, close - 1)) {
            if (!isxdigit(uchar(c)) && c != ':' && c != '.')
                return false;
        }
        rest = host.mid(close + 1);
    } else {
        const qsizetype colon = host.indexOf(':');
        const QByteArray name = colon < 0 ? host : host.left(colon);
        if (name.isEmpty())
            return false;
        static const QByteArray allowed = "-._~!$&'()*+,;=%";
        for (const char c : name) {
            if (!isalnum(uchar(c)) && !allowed.contains(c))
                return false;
        }
        rest = colon < 0 ? QByteArray() : host.mid(colon);
    }
    if (rest.isEmpty())
        return true;
    if (!rest.startsWith(':') || rest.size() > 6)
        return false;
    for (const char c : rest.mid(1)) {
        if (c < '0' || c > '9')
            return false;
    }
    return rest.size() == 1 || rest.mid(1).toInt() <= 65535;
}

QByteArray HttpPipeline::corsOrigin(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return {};
    return m_config.corsOrigins.contains(QString::fromUtf8(origin)) ? origin : QByteArray();
}

ReplyContext HttpPipeline::contextFor(const RequestView &request) const
{
    ReplyContext ctx;
    ctx.requestId = requestId(request.value("x-request-id"));
    ctx.corsOrigin = corsOrigin(request.value("origin"));
    ctx.headOnly = request.method == "HEAD";
    ctx.http10 = request.version == "HTTP/1.0";
    if (request.headers) {
        ctx.close = RequestHead::hasToken(*request.headers, "connection", "close")
            || (ctx.http10 && !RequestHead::hasToken(*request.headers, "connection", "keep-alive"));
    }
    return ctx;
}

HttpReply HttpPipeline::preflight(const RequestView &request)
{
    // Allow only the headers asked for among Authorization, Content-Type and x-stainless-*.
    QList<QByteArray> allowed;
    const QList<QByteArray> asked = request.value("access-control-request-headers").split(',');
    for (const QByteArray &raw : asked) {
        const QByteArray h = raw.trimmed();
        const QByteArray lower = h.toLower();
        if (lower == "authorization" || lower == "content-type" || lower.startsWith("x-stainless-"))
            allowed.append(h);
    }
    HttpReply reply {204, {}, {}, {}, {}};
    reply.withHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .withHeader("Access-Control-Max-Age", "600");
    if (!allowed.isEmpty())
        reply.withHeader("Access-Control-Allow-Headers", allowed.join(", "));
    return reply;
}

qint64 HttpPipeline::bodyLimit(const HttpRoute *route) const
{
    return route && route->maxBodyBytes ? route->maxBodyBytes(m_config) : m_config.maxBodyBytes;
}

bool HttpPipeline::bodyTooLarge(const RequestView &request) const
{
    return request.contentLength > bodyLimit(m_routes->match(request.path).route);
}

HttpPipeline::Outcome HttpPipeline::screen(const RequestView &request) const
{
    Outcome out;
    out.context = contextFor(request);
    if (!hostValid(request.headers ? *request.headers : HeaderList())) {
        out.context.corsOrigin.clear();
        out.reply = HttpReply::error(ApiError::invalidHost());
        return out;
    }
    // 403 before anything else: a rebinding page learns nothing, not even which paths exist.
    if (!hostAllowed(request.value("host"))) {
        out.context.corsOrigin.clear();
        out.reply = HttpReply::error(ApiError::hostNotAllowed());
        return out;
    }
    out.match = m_routes->match(request.path);
    const HttpRoute *route = out.match.route;
    if (!route || (route->enabled && !route->enabled(m_config))) {
        out.reply = HttpReply::notFound();
        return out;
    }
    if (request.method == "OPTIONS" && !out.context.corsOrigin.isEmpty()) {
        out.reply = preflight(request);
        return out;
    }
    if (!route->methods.contains(request.method)) {
        out.reply = HttpReply::methodNotAllowed(route->allowHeader());
        return out;
    }
    if (route->authenticated && !(route->open && route->open(m_config))) {
        const QByteArray credential
            = route->credential ? route->credential(request) : request.value("authorization");
        const CredentialGuard::Verdict verdict
            = m_guard->checkAuthorization(credential, request.peer);
        if (verdict.lockedForMs > 0) {
            out.reply = route->errorFormat(ApiError::tooManyAuthFailures());
            out.reply->withHeader(
                "Retry-After",
                QByteArray::number(AuthRateLimiter::retryAfterSeconds(verdict.lockedForMs)));
            return out;
        }
        if (!verdict.result.ok()) {
            out.reply = route->errorFormat(ApiError::unauthorized());
            return out;
        }
        out.caller = verdict.result;
    }
    if (request.chunked) {
        out.reply = HttpReply::text(411, QByteArrayLiteral("Length Required"));
        return out;
    }
    if (request.contentLength > bodyLimit(route)) {
        out.reply = route->errorFormat(ApiError::payloadTooLarge());
        return out;
    }
    return out;
}

} // namespace passerelle
