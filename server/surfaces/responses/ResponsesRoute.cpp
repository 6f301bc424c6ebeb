#include "surfaces/responses/ResponsesRoute.h"

#include "engine/AgentResolver.h"
#include "engine/PromptBuilder.h"
#include "engine/RunEngine.h"
#include "engine/RunRouting.h"
#include "http/ClientSocket.h"
#include "http/HttpExchange.h"
#include "store/SessionStore.h"
#include "surfaces/responses/ResponsesAnswer.h"
#include "surfaces/responses/ResponsesInput.h"
#include "surfaces/responses/ResponsesRequest.h"

#include <QDateTime>
#include <QJsonDocument>

#include <memory>

namespace passerelle {

namespace {

bool responsesOn(const GatewayConfig &c)
{
    return c.responsesEnabled;
}

qint64 responsesBodyLimit(const GatewayConfig &c)
{
    return c.responsesMaxBodyBytes;
}

} // namespace

HttpRoute ResponsesRoute::create(RunEngine *engine, StreamTicker *ticker)
{
    HttpRoute r;
    r.name = QStringLiteral("responses");
    r.pattern = QStringLiteral("/v1/responses");
    r.methods = {"POST"};
    r.enabled = responsesOn;
    r.maxBodyBytes = responsesBodyLimit;
    r.handler
        = [engine, ticker](HttpExchange &exchange) { handleCreate(exchange, engine, ticker); };
    return r;
}

HttpRoute ResponsesRoute::stored(RunEngine *engine)
{
    HttpRoute r;
    r.name = QStringLiteral("response");
    r.pattern = QStringLiteral("/v1/responses/{id}");
    r.methods = {"GET", "DELETE"};
    r.enabled = responsesOn;
    r.maxBodyBytes = responsesBodyLimit;
    r.handler = [engine](HttpExchange &exchange) { handleStored(exchange, engine); };
    return r;
}

void ResponsesRoute::handleCreate(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker)
{
    const auto invalid = [&](const QString &message) {
        exchange.respond(HttpReply::error(ApiError::invalidRequest(message)));
    };
    const QByteArray &body = exchange.request().body;
    if (exchange.captureBodies())
        exchange.record().requestBody = RequestLog::redact(body);
    // JSON, fields and input items
    ResponsesRequest request;
    if (const auto error = request.parse(body))
        return invalid(*error);
    exchange.record().model = request.model;
    exchange.record().stream = request.stream;
    // agent, session, the credential's scope. The session: the header, else the conversation of
    // previous_response_id (the engine learns it with the chain), else `user`, else a new one.
    const GatewayConfig &config = engine->config();
    const bool continues = !request.previousResponseId.isEmpty();
    RunRoute route;
    const RoutingInput input {exchange.agentHeader(), request.model, exchange.sessionHeader(),
                              continues ? QString() : request.user,
                              QStringLiteral("openresponses")};
    if (const auto error = RunRouting::resolve(input, config, exchange.caller(), &route))
        return exchange.respond(HttpReply::error(*error));
    // the prompt, item for item as section 4 builds it
    const QJsonArray messages
        = ResponsesInput::messages(request.instructions, request.hasInstructions, request.input);
    const BuiltPrompt prompt = PromptBuilder::build(messages);
    if (!ResponsesInput::hasCurrentTurn(messages) || prompt.prompt.isEmpty())
        return invalid(QStringLiteral("Missing user message in `input`."));

    ResponseMeta meta;
    meta.id = ResponseBuilder::newId(QStringLiteral("resp"));
    meta.createdAt = QDateTime::currentSecsSinceEpoch();
    meta.model = request.body.contains(QStringLiteral("model")) ? request.model
                                                                : QStringLiteral("openclaw");
    meta.previousResponseId
        = continues ? QJsonValue(request.previousResponseId) : QJsonValue(QJsonValue::Null);
    meta.instructions
        = request.hasInstructions ? QJsonValue(request.instructions) : QJsonValue(QJsonValue::Null);
    meta.metadata = request.metadata;
    meta.toolChoice = request.toolChoice;
    meta.tools = request.tools;
    meta.temperature = request.temperature;
    meta.topP = request.topP;
    meta.maxOutputTokens = request.maxOutputTokens ? QJsonValue(*request.maxOutputTokens)
                                                   : QJsonValue(QJsonValue::Null);
    meta.parallelToolCalls = request.parallelToolCalls;
    meta.store = request.store;
    meta.text = request.text;
    meta.user = request.body.value(QLatin1String("user")).isString() ? QJsonValue(request.user)
                                                                     : QJsonValue(QJsonValue::Null);

    RunRequest run = RunRouting::request(Surface::Responses, meta.id, route, prompt);
    run.messages = messages;
    run.maxTokens = request.maxOutputTokens;
    run.sampling = request.upstream;
    run.caller = exchange.caller();
    run.previousResponseId = request.previousResponseId;
    run.storeResponse = request.store;
    run.storedInput = QJsonDocument(request.input).toJson(QJsonDocument::Compact);
    run.statusSentFirst = request.stream;
    run.record = exchange.record();
    ResponsesAnswer::start(exchange, engine, ticker, std::move(run), meta);
}

void ResponsesRoute::handleStored(HttpExchange &exchange, RunEngine *engine)
{
    const QString id = exchange.params().value(0);
    // Within the caller's scope: its credential, the agents it may use, and the agent it names.
    ResponseScope scope {exchange.caller().principal, {}, exchange.caller().agents};
    if (!exchange.agentHeader().isEmpty()) {
        const AgentChoice agent
            = AgentResolver::resolve(exchange.agentHeader(), QString(), engine->config());
        if (!agent.error.isEmpty())
            return exchange.respond(HttpReply::error(ApiError::invalidRequest(agent.error)));
        scope.agentId = agent.agentId;
    }
    SessionStore *store = engine->store();
    ClientSocket *socket = exchange.socket();
    if (!store || !socket)
        return exchange.respond(HttpReply::error(ApiError::responseNotFound(id)));
    // The store answers later: the exchange waits with it, and is dropped if the client goes.
    auto held = std::make_shared<HttpExchange>(std::move(exchange));
    // Until it answers, the connection reads no further request (HttpConnection: in order).
    const auto answer = [held](const HttpReply &reply) { held->respond(reply); };
    if (held->request().method == "DELETE") {
        store->deleteResponse(id, scope, socket, [answer, id](const StoreResult<bool> &removed) {
            if (!removed.ok)
                return answer(HttpReply::error(ApiError::storeUnavailable()));
            if (!removed.value)
                return answer(HttpReply::error(ApiError::responseNotFound(id)));
            answer(HttpReply::json(200,
                                   {{QStringLiteral("id"), id},
                                    {QStringLiteral("object"), QStringLiteral("response")},
                                    {QStringLiteral("deleted"), true}}));
        });
        return;
    }
    store->response(id, scope, socket,
                    [answer, id](const StoreResult<std::optional<StoredResponse>> &found) {
                        if (!found.ok)
                            return answer(HttpReply::error(ApiError::storeUnavailable()));
                        if (!found.value)
                            return answer(HttpReply::error(ApiError::responseNotFound(id)));
                        HttpReply reply = HttpReply::json(200, {});
                        reply.body = found.value->body;
                        answer(reply);
                    });
}

} // namespace passerelle
