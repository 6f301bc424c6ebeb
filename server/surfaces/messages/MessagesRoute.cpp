#include "surfaces/messages/MessagesRoute.h"

#include "engine/PromptBuilder.h"
#include "engine/RunEngine.h"
#include "engine/RunRouting.h"
#include "http/HttpExchange.h"
#include "http/HttpPipeline.h"
#include "providers/EchoBackend.h"
#include "surfaces/messages/AnthropicError.h"
#include "surfaces/messages/MessagesAnswer.h"
#include "surfaces/messages/MessagesInput.h"
#include "surfaces/messages/MessagesRequest.h"

namespace passerelle {

namespace {

HttpRoute messagesRoute(const char *name, const char *pattern)
{
    HttpRoute r;
    r.name = QString::fromLatin1(name);
    r.pattern = QString::fromLatin1(pattern);
    r.methods = {"POST"};
    r.enabled = [](const GatewayConfig &c) { return c.messagesEnabled; };
    r.maxBodyBytes = [](const GatewayConfig &c) { return c.messagesMaxBodyBytes; };
    r.credential = &MessagesRoute::credential;
    r.errorFormat = &AnthropicError::reply;
    return r;
}

// What both routes do before they differ: the body, its fields, the run's route and its prompt.
// False when an error was answered.
bool prepare(HttpExchange &exchange, RunEngine *engine, MessagesRequest::Kind kind,
             MessagesRequest *request, RunRoute *route, QJsonArray *chat, BuiltPrompt *prompt)
{
    const auto invalid = [&](const QString &message) {
        exchange.respond(AnthropicError::reply(ApiError::invalidRequest(message)));
        return false;
    };
    const QByteArray &body = exchange.request().body;
    if (exchange.captureBodies())
        exchange.record().requestBody = RequestLog::redact(body);
    if (const auto error = request->parse(body, kind))
        return invalid(*error);
    exchange.record().model = request->model;
    exchange.record().stream = request->stream && kind == MessagesRequest::Kind::Create;
    // These clients send the whole conversation each time: no session unless the header names
    // one (metadata.user_id makes none).
    const RoutingInput input {exchange.agentHeader(), request->model, exchange.sessionHeader(),
                              QString(), QStringLiteral("anthropic")};
    if (const auto error = RunRouting::resolve(input, engine->config(), exchange.caller(), route)) {
        exchange.respond(AnthropicError::reply(*error));
        return false;
    }
    *chat = MessagesInput::chatMessages(request->system, request->messages);
    *prompt = PromptBuilder::build(*chat);
    if (kind == MessagesRequest::Kind::Create && prompt->prompt.isEmpty())
        return invalid(QStringLiteral("Missing user message in `messages`."));
    return true;
}

} // namespace

QByteArray MessagesRoute::credential(const RequestView &request)
{
    const QByteArray key = request.value("x-api-key").trimmed();
    if (!key.isEmpty())
        return QByteArrayLiteral("Bearer ") + key;
    return request.value("authorization");
}

qint64 MessagesRoute::estimateInputTokens(const GatewayConfig &config, const QString &agentId,
                                          const BuiltPrompt &prompt)
{
    const AgentConfig *agent = config.findAgent(agentId);
    const QString system = BackendRequest::composeSystemPrompt(
        agent ? agent->systemPrompt : QString(), prompt.extraSystemPrompt);
    return EchoBackend::countWords(system) + EchoBackend::countWords(prompt.prompt);
}

HttpRoute MessagesRoute::create(RunEngine *engine, StreamTicker *ticker)
{
    HttpRoute r = messagesRoute("messages", "/v1/messages");
    r.handler
        = [engine, ticker](HttpExchange &exchange) { handleCreate(exchange, engine, ticker); };
    return r;
}

HttpRoute MessagesRoute::countTokens(RunEngine *engine)
{
    HttpRoute r = messagesRoute("count_tokens", "/v1/messages/count_tokens");
    r.handler = [engine](HttpExchange &exchange) { handleCountTokens(exchange, engine); };
    return r;
}

void MessagesRoute::handleCreate(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker)
{
    MessagesRequest request;
    RunRoute route;
    QJsonArray chat;
    BuiltPrompt prompt;
    if (!prepare(exchange, engine, MessagesRequest::Kind::Create, &request, &route, &chat, &prompt))
        return;

    MessageMeta meta;
    meta.id = MessageBuilder::newId(QStringLiteral("msg"));
    meta.model = request.model;
    meta.inputTokens = estimateInputTokens(engine->config(), route.agentId, prompt);

    RunRequest run = RunRouting::request(Surface::Messages, meta.id, route, prompt);
    run.messages = chat;
    run.maxTokens = request.maxTokens; // the cap the client asked for (Claude Code: 128000)
    run.stop = request.stopSequences;
    run.sampling = request.upstream;
    run.caller = exchange.caller();
    run.statusSentFirst = request.stream;
    run.record = exchange.record();
    MessagesAnswer::start(exchange, engine, ticker, std::move(run), meta);
}

void MessagesRoute::handleCountTokens(HttpExchange &exchange, RunEngine *engine)
{
    MessagesRequest request;
    RunRoute route;
    QJsonArray chat;
    BuiltPrompt prompt;
    if (!prepare(exchange, engine, MessagesRequest::Kind::CountTokens, &request, &route, &chat,
                 &prompt))
        return;
    const qint64 count = estimateInputTokens(engine->config(), route.agentId, prompt);
    exchange.respond(HttpReply::json(200, {{QStringLiteral("input_tokens"), count}}));
}

} // namespace passerelle
