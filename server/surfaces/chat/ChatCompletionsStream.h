#pragma once

// The chat-completions answer to one run (SPEC.md section 4 after validation): turns the run's
// events into one JSON completion, or into an SSE stream in the exact frame order (the role chunk
// at once, a chunk per delta, one finish chunk, usage when asked, [DONE]; the error frame on a
// failure after the headers), with keep-alive comments while the backend is silent. A child of the
// client socket: when the client goes, the run is aborted at once and this dies with the socket.
// Server thread.

#include "engine/RunObserver.h"
#include "http/HttpExchange.h"
#include "http/SseWriter.h"
#include "http/StreamTicker.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace passerelle {

class AgentRun;
class RunEngine;

class ChatCompletionsStream final : public QObject,
                                    private RunObserver,
                                    private StreamTicker::Stream
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionsStream)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const CompletionMeta &meta, bool includeUsage);
    ~ChatCompletionsStream() override;

private:
    ChatCompletionsStream(HttpExchange &exchange, StreamTicker *ticker, const CompletionMeta &meta,
                          bool stream, bool includeUsage);

    // RunObserver
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;
    // StreamTicker::Stream
    void keepAlive() override;

    void writeFrame(const QByteArray &payload);
    void writeReply(const HttpReply &reply);
    void done();
    void onClientGone();

    QPointer<QTcpSocket> m_socket;
    ReplyContext m_context;
    StreamTicker *m_ticker = nullptr;
    CompletionMeta m_meta;
    bool m_includeUsage = false;
    std::optional<SseWriter> m_sse;
    QPointer<AgentRun> m_run;
    bool m_done = false;
};

} // namespace passerelle
