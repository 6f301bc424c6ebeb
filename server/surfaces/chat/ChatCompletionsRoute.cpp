#include "surfaces/chat/ChatCompletionsRoute.h"

#include "engine/BackgroundJob.h"
#include "engine/PromptBuilder.h"
#include "engine/RunEngine.h"
#include "engine/RunRouting.h"
#include "http/HttpExchange.h"
#include "surfaces/chat/ChatCompletionsStream.h"
#include "surfaces/chat/ChatRequest.h"

#include <QDateTime>

#include <memory>

namespace passerelle {

// Steps 4, 5 and the prompt of step 8: pure, so a big body is read on a pool thread.
struct ParsedChat
{
    ChatRequest chat;
    std::optional<QString> error;
    BuiltPrompt prompt;
    QByteArray loggedBody; // redacted, when the panel watches
};

namespace {

ParsedChat parse(const QByteArray &body, bool captureBody)
{
    ParsedChat p;
    if (captureBody)
        p.loggedBody = RequestLog::redact(body);
    p.error = p.chat.parse(body);
    if (!p.error)
        p.prompt = PromptBuilder::build(p.chat.messages);
    return p;
}

} // namespace

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
    const QByteArray body = exchange.takeBody();
    const bool capture = exchange.captureBodies();
    if (body.size() < kInlineBodyBytes) {
        proceed(exchange, engine, ticker, parse(body, capture));
        return;
    }
    // SPEC section 14: a big body is parsed and its prompt built off the server thread. The
    // exchange waits with the socket; if the client leaves meanwhile, nothing more happens.
    auto held = std::make_shared<HttpExchange>(std::move(exchange));
    BackgroundJob::run(
        held->socket(), [body, capture] { return parse(body, capture); },
        [held, engine, ticker](ParsedChat parsed) {
            proceed(*held, engine, ticker, std::move(parsed));
        });
}

void ChatCompletionsRoute::proceed(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                                   ParsedChat parsed)
{
    const auto invalid = [&](const QString &message) {
        exchange.respond(HttpReply::error(ApiError::invalidRequest(message)));
    };
    if (exchange.captureBodies())
        exchange.record().requestBody = parsed.loggedBody;
    // 4-5. JSON and fields
    if (parsed.error)
        return invalid(*parsed.error);
    const ChatRequest &chat = parsed.chat;
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
    const BuiltPrompt &prompt = parsed.prompt;
    if (prompt.prompt.isEmpty())
        return invalid(QStringLiteral("Missing user message in `messages`."));

    const CompletionMeta meta {
        CompletionFormat::newCompletionId(), QDateTime::currentSecsSinceEpoch(),
        chat.body.contains(QStringLiteral("model")) ? chat.model : QStringLiteral("openclaw")};
    RunRequest run = RunRouting::request(Surface::ChatCompletions, meta.id, route, prompt);
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
