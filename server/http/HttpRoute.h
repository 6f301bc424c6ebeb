#pragma once

// One HTTP route as the route table declares it: its path pattern, the methods it takes, the
// switch that turns it on, whether it needs the gateway's credential (and where a client puts it),
// its body limit, the shape of its errors, and its handler. Both the pre-body head check and the
// dispatch read the same declaration (RouteTable, HttpPipeline). Plain value, server thread.

#include "config/GatewayConfig.h"
#include "http/HttpReply.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace passerelle {

class HttpExchange;
struct RequestView;

struct HttpRoute
{
    // Formats an error of the pipeline (401, 403, 413, 429...) in the route's API shape.
    using ErrorFormat = HttpReply (*)(const ApiError &error);
    using Handler = std::function<void(HttpExchange &exchange)>;

    QString name; // a bounded label: "chat", "models", "health" (logs, metrics)
    // "/v1/models", "/v1/responses/{id}" ({x}: one non-empty segment) or "/v1/models/{id*}" ({x*}
    // last: the rest of the path, slashes included; possibly empty, "/v1/models" matching too)
    QString pattern;
    QList<QByteArray> methods; // the methods it answers ("GET" and "HEAD" listed separately)
    // The endpoint switch; null: always on. While off, every method gets 404.
    std::function<bool(const GatewayConfig &)> enabled;
    bool authenticated = true;
    // Set: while it says true, an authenticated route asks for no credential (a public /metrics).
    std::function<bool(const GatewayConfig &)> open;
    // The request's credential as an Authorization header value; null: the Authorization header.
    std::function<QByteArray(const RequestView &request)> credential;
    // Bodies above this get 413 before they are read; null: the chat endpoint's limit.
    std::function<qint64(const GatewayConfig &)> maxBodyBytes;
    ErrorFormat errorFormat = &HttpReply::error;
    Handler handler;

    QByteArray allowHeader() const; // "GET, HEAD"
};

} // namespace passerelle
