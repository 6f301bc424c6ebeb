#include "surfaces/RunAnswer.h"

#include "engine/AgentRun.h"
#include "engine/RunEngine.h"
#include "http/ClientSocket.h"
#include "http/HttpConnection.h"

namespace passerelle {

RunAnswer::RunAnswer(HttpExchange &exchange, StreamTicker *ticker, bool stream)
    : QObject(exchange.socket()), m_socket(exchange.socket()), m_context(exchange.context()),
      m_ticker(ticker), m_log(exchange.log())
{
    if (stream)
        m_sse.emplace(m_socket, m_context);
    connect(m_socket, &ClientSocket::disconnected, this, &RunAnswer::onClientGone);
}

RunAnswer::~RunAnswer()
{
    m_ticker->remove(this);
    if (m_run)
        m_run->abort();
}

bool RunAnswer::launch(HttpExchange &exchange, RunEngine *engine, RunRequest request)
{
    const QPointer<RunAnswer> alive(this);
    const RunEngine::Start started = engine->start(std::move(request), this);
    if (started.refused) {
        const HttpReply refusal = errorReply(*started.refused);
        delete this;
        exchange.respond(refusal);
        return false;
    }
    if (!alive || m_done)
        return false; // answered from inside start() (a refusal the run reported itself)
    return true;
}

void RunAnswer::runCreated(AgentRun *run)
{
    m_run = run;
}

AgentRun *RunAnswer::run() const
{
    return m_run;
}

void RunAnswer::runReady()
{
    if (!m_sse || m_sse->hasBegun() || !m_run || m_done)
        return;
    const quint64 logId = m_run->logId();
    QPointer<RequestLog> log = m_log;
    m_sse->setObserver([log, logId](qint64 offsetMs, const QByteArray &frame) {
        if (log)
            log->frame(logId, offsetMs, frame);
    });
    m_sse->setFlowControl(this);
    m_sse->begin();
    m_ticker->add(this);
    streamOpened();
}

void RunAnswer::writeData(const QByteArray &payload)
{
    m_sse->data(payload);
    noteWrite(*m_ticker);
}

void RunAnswer::writeEvent(const QByteArray &name, const QByteArray &payload)
{
    m_sse->event(name, payload);
    noteWrite(*m_ticker);
}

void RunAnswer::keepAlive()
{
    // A client that is behind gets nothing more queued, not even a keep-alive.
    if (m_sse && !m_done && !m_sse->isClientBehind())
        writeKeepAlive();
}

void RunAnswer::writeKeepAlive()
{
    m_sse->comment(QByteArrayLiteral("keep-alive"));
}

void RunAnswer::setClientBehind(bool behind)
{
    if (m_run)
        m_run->setPaused(behind);
}

void RunAnswer::writeReply(const HttpReply &reply)
{
    HttpConnection::respond(m_socket, reply.toBytes(m_context)); // ends the response
    if (m_run) {
        m_run->setResponseBody(reply.body.left(RequestLog::kBodyCap));
        m_run->setResponseStatus(reply.status); // the log shows what the client got
    }
}

HttpReply RunAnswer::errorReply(const RunFailure &failure) const
{
    HttpReply reply = HttpReply::error(failure.error);
    if (failure.retryAfterSeconds > 0)
        reply.withHeader("Retry-After", QByteArray::number(failure.retryAfterSeconds));
    return reply;
}

void RunAnswer::writeFailure(const RunFailure &failure)
{
    writeReply(errorReply(failure));
}

void RunAnswer::done()
{
    m_done = true;
    m_ticker->remove(this);
    m_run = nullptr; // it ends itself after this call
    deleteLater();
}

void RunAnswer::onClientGone()
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
