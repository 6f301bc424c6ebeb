#include "http/HealthRoutes.h"

#include "http/HttpExchange.h"

namespace passerelle {

namespace {

HttpRoute probe(const char *name, const char *path, HttpRoute::Handler handler)
{
    HttpRoute r;
    r.name = QLatin1String(name);
    r.pattern = QLatin1String(path);
    r.methods = {"GET", "HEAD"};
    r.authenticated = false;
    r.handler = std::move(handler);
    return r;
}

} // namespace

QList<HttpRoute> HealthRoutes::routes(NotReadyReason notReady)
{
    const HttpRoute::Handler live = [](HttpExchange &exchange) {
        exchange.respond(HttpReply::json(200,
                                         {{QStringLiteral("ok"), true},
                                          {QStringLiteral("status"), QStringLiteral("live")}})
                             .withHeader("Cache-Control", "no-store"));
    };
    const HttpRoute::Handler ready = [notReady](HttpExchange &exchange) {
        const QString reason = notReady ? notReady() : QString();
        const HttpReply reply = reason.isEmpty()
            ? HttpReply::json(200, {{QStringLiteral("ready"), true}})
            : HttpReply::json(
                503, {{QStringLiteral("ready"), false}, {QStringLiteral("reason"), reason}});
        exchange.respond(HttpReply(reply).withHeader("Cache-Control", "no-store"));
    };
    return {probe("health", "/health", live), probe("healthz", "/healthz", live),
            probe("ready", "/ready", ready), probe("readyz", "/readyz", ready)};
}

} // namespace passerelle
