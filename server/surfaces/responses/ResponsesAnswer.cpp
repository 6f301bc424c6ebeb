#include "surfaces/responses/ResponsesAnswer.h"

#include "engine/AgentRun.h"
#include "engine/RunEngine.h"
#include "http/HttpListener.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace passerelle {

void ResponsesAnswer::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                            RunRequest request, const ResponseMeta &meta)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    auto *answer = new ResponsesAnswer(exchange, ticker, meta, request.record.stream);
    HttpListener::setBusy(answer->m_socket, true);
    // The run may report runReady (and open the stream) from inside start().
    const QPointer<ResponsesAnswer> alive(answer);
    const RunEngine::Start started = engine->start(std::move(request), answer);
    if (started.refused) {
        delete answer;
        exchange.respond(HttpReply::error(started.refused->error));
        return;
    }
    if (!alive || alive->m_done)
        return;
    alive->m_run = started.run;
    if (alive->m_readyPending)
        alive->openStream();
}

ResponsesAnswer::ResponsesAnswer(HttpExchange &exchange, StreamTicker *ticker,
                                 const ResponseMeta &meta, bool stream)
    : QObject(exchange.socket()), m_socket(exchange.socket()), m_context(exchange.context()),
      m_ticker(ticker), m_log(exchange.log()),
      m_builder(meta,
                stream
                    ? ResponseBuilder::Sink([this](const QByteArray &type, const QByteArray &json) {
                          writeEvent(type, json);
                      })
                    : ResponseBuilder::Sink())
{
    if (stream)
        m_sse.emplace(m_socket, m_context);
    connect(m_socket, &QTcpSocket::disconnected, this, &ResponsesAnswer::onClientGone);
}

ResponsesAnswer::~ResponsesAnswer()
{
    m_ticker->remove(this);
    if (m_run)
        m_run->abort();
}

void ResponsesAnswer::runReady()
{
    // From inside RunEngine::start the run is not known yet (nor its log id): open the stream
    // once start() returns, still before any backend event can come.
    if (!m_run)
        m_readyPending = true;
    else
        openStream();
}

void ResponsesAnswer::openStream()
{
    m_readyPending = false;
    if (!m_sse || m_sse->hasBegun())
        return;
    const quint64 logId = m_run->logId();
    QPointer<RequestLog> log = m_log;
    m_sse->setObserver([log, logId](qint64 offsetMs, const QByteArray &frame) {
        if (log)
            log->frame(logId, offsetMs, frame);
    });
    m_sse->begin();
    m_builder.begin(); // response.created and response.in_progress, before the backend answers
    m_ticker->add(this);
}

void ResponsesAnswer::writeEvent(const QByteArray &type, const QByteArray &json)
{
    if (!m_sse)
        return;
    m_sse->event(type, json);
    noteWrite(*m_ticker);
}

void ResponsesAnswer::keepAlive()
{
    if (m_sse && !m_done)
        m_sse->comment(QByteArrayLiteral("keep-alive"));
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
    if (m_sse) {
        m_builder.finish(result);
        endStream();
        if (m_run)
            m_run->setResponseBody(result.isEmpty() ? CompletionFormat::emptyReplyText().toUtf8()
                                                    : result.text.toUtf8());
    } else {
        writeReply(HttpReply::json(200, m_builder.finalResponse(result)));
    }
    done();
}

void ResponsesAnswer::runFailed(const RunFailure &failure)
{
    if (m_sse && m_sse->hasBegun()) {
        // The headers are gone already: response.failed, then [DONE].
        m_builder.fail(failure);
        endStream();
    } else {
        // Refused before any output (an unknown previous response), or not a stream.
        HttpReply reply = HttpReply::error(failure.error);
        if (failure.retryAfterSeconds > 0)
            reply.withHeader("Retry-After", QByteArray::number(failure.retryAfterSeconds));
        writeReply(reply);
    }
    done();
}

void ResponsesAnswer::endStream()
{
    m_sse->data(QByteArrayLiteral("[DONE]"));
    m_sse->end();
}

void ResponsesAnswer::writeReply(const HttpReply &reply)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(reply.toBytes(m_context));
    if (m_run)
        m_run->setResponseBody(reply.body);
}

void ResponsesAnswer::done()
{
    m_done = true;
    m_ticker->remove(this);
    HttpListener::setBusy(m_socket, false);
    m_run = nullptr; // it ends itself after this call
    deleteLater();
}

void ResponsesAnswer::onClientGone()
{
    if (m_done)
        return;
    m_done = true;
    m_ticker->remove(this);
    if (m_run)
        m_run->abort();
    deleteLater();
}

} // namespace passerelle
