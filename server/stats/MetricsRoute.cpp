#include "stats/MetricsRoute.h"

#include "http/HttpExchange.h"
#include "stats/PrometheusText.h"

namespace passerelle {

HttpRoute MetricsRoute::route(std::function<QByteArray()> render)
{
    HttpRoute r;
    r.name = QStringLiteral("metrics");
    r.pattern = QStringLiteral("/metrics");
    r.methods = {"GET", "HEAD"};
    r.enabled = [](const GatewayConfig &c) { return c.metricsEnabled; };
    r.open = [](const GatewayConfig &c) { return c.metricsPublic; };
    r.handler = [render = std::move(render)](HttpExchange &exchange) {
        HttpReply reply {200, PrometheusText::kContentType, render(), {}, {}};
        exchange.respond(reply.withHeader("Cache-Control", "no-store"));
    };
    return r;
}

} // namespace passerelle
