#pragma once

// The Responses answer to one run (SPEC.md section 11 after validation): a response object as
// JSON, or the SSE event stream (event: equal to type), opened once the run is ready (its stored
// chain found) with response.created and response.in_progress, then the items' events as the
// deltas arrive, response.completed / response.incomplete / response.failed and [DONE]. A run
// refused before it is ready (an unknown previous response) is answered with its error status.
// Gives the engine the response object to store. The socket, keep-alive and client-gone handling
// are RunAnswer's. Server thread.

#include "surfaces/RunAnswer.h"
#include "surfaces/responses/ResponseBuilder.h"

namespace passerelle {

class ResponsesAnswer final : public RunAnswer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponsesAnswer)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const ResponseMeta &meta);

private:
    ResponsesAnswer(HttpExchange &exchange, StreamTicker *ticker, const ResponseMeta &meta,
                    bool stream);

    // RunObserver
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    QByteArray runStoredBody(const RunResult &result) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;

    void streamOpened() override;
    void endStream();

    ResponseBuilder m_builder;
};

} // namespace passerelle
