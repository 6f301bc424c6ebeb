#pragma once

// The Responses answer to one run (SPEC.md section 11 after validation): a response object as
// JSON, or the SSE event stream (event: equal to type), opened once the run is ready (its stored
// chain found) with response.created and response.in_progress, then the items' events as the
// deltas arrive, response.completed / response.incomplete / response.failed and [DONE], with
// keep-alive comments while the backend is silent. Gives the engine the response object to store.
// A child of the client socket: when the client goes, the run is aborted at once and this dies
// with the socket. Server thread.

#include "engine/RunObserver.h"
#include "http/HttpExchange.h"
#include "http/SseWriter.h"
#include "http/StreamTicker.h"
#include "surfaces/responses/ResponseBuilder.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace passerelle {

class AgentRun;
class RunEngine;

class ResponsesAnswer final : public QObject, private RunObserver, private StreamTicker::Stream
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponsesAnswer)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const ResponseMeta &meta);
    ~ResponsesAnswer() override;

private:
    ResponsesAnswer(HttpExchange &exchange, StreamTicker *ticker, const ResponseMeta &meta,
                    bool stream);

    // RunObserver
    void runReady() override;
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    QByteArray runStoredBody(const RunResult &result) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;
    // StreamTicker::Stream
    void keepAlive() override;

    void openStream();
    void writeEvent(const QByteArray &type, const QByteArray &json);
    void writeReply(const HttpReply &reply);
    void endStream();
    void done();
    void onClientGone();

    QPointer<QTcpSocket> m_socket;
    ReplyContext m_context;
    StreamTicker *m_ticker = nullptr;
    QPointer<RequestLog> m_log;
    ResponseBuilder m_builder;
    std::optional<SseWriter> m_sse;
    QPointer<AgentRun> m_run;
    bool m_readyPending = false;
    bool m_done = false;
};

} // namespace passerelle
