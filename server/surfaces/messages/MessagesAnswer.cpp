#include "surfaces/messages/MessagesAnswer.h"

#include "engine/AgentRun.h"
#include "engine/RunEngine.h"
#include "http/HttpListener.h"
#include "surfaces/chat/CompletionFormat.h"
#include "surfaces/messages/AnthropicError.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace passerelle {

HttpReply MessagesAnswer::failureReply(const RunFailure &failure)
{
    HttpReply reply = AnthropicError::reply(failure.error);
    // Anthropic clients back off on 429 and 529 by Retry-After.
    if (reply.status == 429 || reply.status == 529 || failure.retryAfterSeconds > 0)
        reply.withHeader("Retry-After", QByteArray::number(qMax(1, failure.retryAfterSeconds)));
    return reply;
}

void MessagesAnswer::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                           RunRequest request, const MessageMeta &meta)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    auto *answer = new MessagesAnswer(exchange, ticker, meta, request.record.stream);
    HttpListener::setBusy(answer->m_socket, true);
    // The run may report runReady (and open the stream) from inside start().
    const QPointer<MessagesAnswer> alive(answer);
    const RunEngine::Start started = engine->start(std::move(request), answer);
    if (started.refused) {
        delete answer;
        exchange.respond(failureReply(*started.refused));
        return;
    }
    if (!alive || alive->m_done)
        return;
    alive->m_run = started.run;
    if (alive->m_readyPending)
        alive->openStream();
}

MessagesAnswer::MessagesAnswer(HttpExchange &exchange, StreamTicker *ticker,
                               const MessageMeta &meta, bool stream)
    : QObject(exchange.socket()), m_socket(exchange.socket()), m_context(exchange.context()),
      m_ticker(ticker), m_log(exchange.log()),
      m_builder(meta,
                stream
                    ? MessageBuilder::Sink([this](const QByteArray &type, const QByteArray &json) {
                          writeEvent(type, json);
                      })
                    : MessageBuilder::Sink())
{
    if (stream)
        m_sse.emplace(m_socket, m_context);
    connect(m_socket, &QTcpSocket::disconnected, this, &MessagesAnswer::onClientGone);
}

MessagesAnswer::~MessagesAnswer()
{
    m_ticker->remove(this);
    if (m_run)
        m_run->abort();
}

void MessagesAnswer::runReady()
{
    // From inside RunEngine::start the run is not known yet (nor its log id): open the stream
    // once start() returns, still before any backend event can come.
    if (!m_run)
        m_readyPending = true;
    else
        openStream();
}

void MessagesAnswer::openStream()
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
    m_builder.begin(); // message_start and a ping, before the backend answers
    m_ticker->add(this);
}

void MessagesAnswer::writeEvent(const QByteArray &type, const QByteArray &json)
{
    if (!m_sse)
        return;
    m_sse->event(type, json);
    noteWrite(*m_ticker);
}

void MessagesAnswer::keepAlive()
{
    // Anthropic's keep-alive is a ping event, which its SDKs read (and skip) like any other.
    if (m_sse && !m_done)
        m_builder.ping();
}

void MessagesAnswer::runContent(const QString &text)
{
    m_builder.content(text);
}

void MessagesAnswer::runToolCall(const QJsonObject &delta)
{
    m_builder.toolCall(delta);
}

void MessagesAnswer::runFinished(const RunResult &result)
{
    if (m_sse) {
        m_builder.finish(result);
        m_sse->end();
        if (m_run)
            m_run->setResponseBody(result.isEmpty() ? CompletionFormat::emptyReplyText().toUtf8()
                                                    : result.text.toUtf8());
    } else {
        writeReply(HttpReply::json(200, m_builder.finalMessage(result)));
    }
    done();
}

void MessagesAnswer::runFailed(const RunFailure &failure)
{
    if (m_sse && m_sse->hasBegun()) {
        // The headers are gone already: an error event, and the stream ends.
        m_builder.fail(failure);
        m_sse->end();
    } else {
        writeReply(failureReply(failure));
    }
    done();
}

void MessagesAnswer::writeReply(const HttpReply &reply)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(reply.toBytes(m_context));
    if (m_run) {
        m_run->setResponseBody(reply.body);
        m_run->setResponseStatus(reply.status);
    }
}

void MessagesAnswer::done()
{
    m_done = true;
    m_ticker->remove(this);
    HttpListener::setBusy(m_socket, false);
    m_run = nullptr; // it ends itself after this call
    deleteLater();
}

void MessagesAnswer::onClientGone()
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
