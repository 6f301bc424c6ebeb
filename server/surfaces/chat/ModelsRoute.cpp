#include "surfaces/chat/ModelsRoute.h"

#include "engine/RunEngine.h"
#include "http/HttpExchange.h"
#include "surfaces/chat/ModelList.h"

namespace passerelle {

HttpRoute ModelsRoute::route(const RunEngine *engine)
{
    HttpRoute r;
    r.name = QStringLiteral("models");
    r.pattern = QStringLiteral("/v1/models/{id*}"); // the id may hold slashes: openclaw/<agent>
    r.methods = {"GET", "HEAD"};
    r.enabled = [](const GatewayConfig &c) { return c.chatCompletionsEnabled; };
    r.handler = [engine](HttpExchange &exchange) {
        const GatewayConfig &config = engine->config();
        const QString id = exchange.params().value(0);
        if (id.isEmpty())
            return exchange.respond(HttpReply::json(200, ModelList::list(config)));
        const auto model = ModelList::find(config, id);
        exchange.respond(model ? HttpReply::json(200, *model)
                               : HttpReply::error(ApiError::modelNotFound(id)));
    };
    return r;
}

} // namespace passerelle
