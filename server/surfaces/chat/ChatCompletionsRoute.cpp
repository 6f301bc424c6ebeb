#include "surfaces/chat/ChatCompletionsRoute.h"

#include "engine/PromptBuilder.h"
#include "engine/RunEngine.h"
#include "engine/RunRouting.h"
#include "http/HttpExchange.h"
#include "surfaces/chat/ChatCompletionsStream.h"
#include "surfaces/chat/ChatRequest.h"

#include <QDateTime>

namespace passerelle {

HttpRoute ChatCompletionsRoute::route(RunEngine *engine, StreamTicker *ticker)
{
    HttpRoute r;
    r.name = QStringLiteral("chat");
    r.pattern = QStringLiteral("/v1/chat/completions");
    r.methods = {"POST"};
    r.enabled = [](const GatewayConfig &c) { return c.chatCompletionsEnabled; };
    r.maxBodyBytes = [](const GatewayConfig &c) { return c.maxBodyBytes; };
    r.handler = [engine, ticker](HttpExchange &exchange) { handle(exchange, engine, ticker); };
    return r;
}

void ChatCompletionsRoute::handle(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker)
{
    const auto invalid = [&](const QString &message) {
        exchange.respond(HttpReply::error(ApiError::invalidRequest(message)));
    };
    const QByteArray &body = exchange.request().body;
    if (exchange.captureBodies())
        exchange.record().requestBody = RequestLog::redact(body);
    // 4-5. JSON and fields
    ChatRequest chat;
    if (const auto error = chat.parse(body))
        return invalid(*error);
    exchange.record().model = chat.model;
    exchange.record().stream = chat.stream;
    // 6-7. agent, session, the credential's scope
    const GatewayConfig &config = engine->config();
    RunRoute route;
    const RoutingInput input {exchange.agentHeader(), chat.model, exchange.sessionHeader(),
                              chat.user, QStringLiteral("openai")};
    if (const auto error = RunRouting::resolve(input, config, exchange.caller(), &route))
        return exchange.respond(HttpReply::error(*error));
    // 8. prompt
    const BuiltPrompt prompt = PromptBuilder::build(chat.messages);
    if (prompt.prompt.isEmpty())
        return invalid(QStringLiteral("Missing user message in `messages`."));

    const CompletionMeta meta {
        CompletionFormat::newCompletionId(), QDateTime::currentSecsSinceEpoch(),
        chat.body.contains(QStringLiteral("model")) ? chat.model : QStringLiteral("openclaw")};
    RunRequest run;
    run.surface = Surface::ChatCompletions;
    run.runId = meta.id;
    run.agentId = route.agentId;
    run.sessionKey = route.sessionKey;
    run.stableSession = route.stable;
    run.prompt = prompt.prompt;
    run.extraSystemPrompt = prompt.extraSystemPrompt;
    run.messages = chat.messages;
    run.maxTokens = chat.maxTokens;
    run.stop = chat.stop;
    run.sampling = chat.passthrough;
    run.caller = exchange.caller();
    run.statusSentFirst = chat.stream;
    run.record = exchange.record();
    ChatCompletionsStream::start(exchange, engine, ticker, std::move(run), meta, chat.includeUsage);
}

} // namespace passerelle
