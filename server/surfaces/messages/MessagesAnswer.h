#pragma once

// The Anthropic Messages answer to one run (SPEC.md section 15 after validation): a message as
// JSON, or the SSE event stream (event: equal to type), opened once the run is ready with
// message_start and a ping, then the blocks' events as the deltas arrive, message_delta and
// message_stop (no [DONE]), a ping event every keepAliveMs while the backend is silent, and an
// error event for a failure after the headers. Errors before the headers in Anthropic's shape
// (AnthropicError: 529 for an upstream 503 or a full queue, Retry-After on 429 and 529). A child
// of the client socket: when the client goes, the run is aborted at once and this dies with the
// socket. Server thread.

#include "engine/RunObserver.h"
#include "http/HttpExchange.h"
#include "http/SseWriter.h"
#include "http/StreamTicker.h"
#include "surfaces/messages/MessageBuilder.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace passerelle {

class AgentRun;
class RunEngine;

class MessagesAnswer final : public QObject, private RunObserver, private StreamTicker::Stream
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessagesAnswer)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const MessageMeta &meta);
    ~MessagesAnswer() override;

    // The reply to a failure before the headers: Anthropic's shape, with a Retry-After for a
    // rate limit (the upstream's or the queue's: retryAfterSeconds, at least 1 s) and a 529.
    static HttpReply failureReply(const RunFailure &failure);

private:
    MessagesAnswer(HttpExchange &exchange, StreamTicker *ticker, const MessageMeta &meta,
                   bool stream);

    // RunObserver
    void runReady() override;
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;
    // StreamTicker::Stream
    void keepAlive() override;

    void openStream();
    void writeEvent(const QByteArray &type, const QByteArray &json);
    void writeReply(const HttpReply &reply);
    void done();
    void onClientGone();

    QPointer<QTcpSocket> m_socket;
    ReplyContext m_context;
    StreamTicker *m_ticker = nullptr;
    QPointer<RequestLog> m_log;
    MessageBuilder m_builder;
    std::optional<SseWriter> m_sse;
    QPointer<AgentRun> m_run;
    bool m_readyPending = false;
    bool m_done = false;
};

} // namespace passerelle
