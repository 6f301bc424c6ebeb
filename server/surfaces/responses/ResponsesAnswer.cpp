#include "surfaces/responses/ResponsesAnswer.h"

#include "engine/AgentRun.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>

namespace passerelle {

void ResponsesAnswer::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                            RunRequest request, const ResponseMeta &meta)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    auto *answer = new ResponsesAnswer(exchange, ticker, meta, request.record.stream);
    answer->launch(exchange, engine, std::move(request));
}

ResponsesAnswer::ResponsesAnswer(HttpExchange &exchange, StreamTicker *ticker,
                                 const ResponseMeta &meta, bool stream)
    : RunAnswer(exchange, ticker, stream),
      m_builder(meta,
                stream
                    ? ResponseBuilder::Sink([this](const QByteArray &type, const QByteArray &json) {
                          writeEvent(type, json);
                      })
                    : ResponseBuilder::Sink())
{
}

void ResponsesAnswer::streamOpened()
{
    m_builder.begin(); // response.created and response.in_progress, before the backend answers
}

void ResponsesAnswer::runContent(const QString &text)
{
    m_builder.content(text);
}

void ResponsesAnswer::runToolCall(const QJsonObject &delta)
{
    m_builder.toolCall(delta);
}

QByteArray ResponsesAnswer::runStoredBody(const RunResult &result)
{
    return QJsonDocument(m_builder.finalResponse(result)).toJson(QJsonDocument::Compact);
}

void ResponsesAnswer::runFinished(const RunResult &result)
{
    if (sse()) {
        m_builder.finish(result);
        endStream();
        if (run())
            run()->setResponseBody(result.isEmpty() ? CompletionFormat::emptyReplyText().toUtf8()
                                                    : result.text.toUtf8());
    } else {
        writeReply(HttpReply::json(200, m_builder.finalResponse(result)));
    }
    done();
}

void ResponsesAnswer::runFailed(const RunFailure &failure)
{
    if (sse() && sse()->hasBegun()) {
        // The headers are gone already: response.failed, then [DONE].
        m_builder.fail(failure);
        endStream();
    } else {
        // Not a stream, or refused before it opened (an unknown previous response).
        writeFailure(failure);
    }
    done();
}

void ResponsesAnswer::endStream()
{
    writeData(QByteArrayLiteral("[DONE]"));
    sse()->end();
}

} // namespace passerelle
