#pragma once

// The Anthropic Messages answer to one run (SPEC.md section 15 after validation): a message as
// JSON, or the SSE event stream (event: equal to type), opened once the run is ready with
// message_start and a ping, then the blocks' events as the deltas arrive, message_delta and
// message_stop (no [DONE]), a ping event as the keep-alive while the backend is silent, and an
// error event for a failure after the headers. Errors before the headers in Anthropic's shape
// (AnthropicError: 529 for an upstream 503 or a full queue, Retry-After on 429 and 529). The
// socket, keep-alive timing and client-gone handling are RunAnswer's. Server thread.

#include "surfaces/RunAnswer.h"
#include "surfaces/messages/MessageBuilder.h"

namespace passerelle {

class MessagesAnswer final : public RunAnswer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessagesAnswer)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const MessageMeta &meta);

    // The reply to a failure before the headers: Anthropic's shape, with a Retry-After for a
    // rate limit (the upstream's or the queue's: retryAfterSeconds, at least 1 s) and a 529.
    static HttpReply failureReply(const RunFailure &failure);

private:
    MessagesAnswer(HttpExchange &exchange, StreamTicker *ticker, const MessageMeta &meta,
                   bool stream);

    // RunObserver
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;
    // RunAnswer
    HttpReply errorReply(const RunFailure &failure) const override;
    void writeKeepAlive() override;

    void streamOpened() override;

    MessageBuilder m_builder;
};

} // namespace passerelle
