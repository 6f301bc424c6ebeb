#include "surfaces/chat/ChatCompletionsStream.h"

#include "engine/AgentRun.h"
#include "engine/RunEngine.h"
#include "http/HttpListener.h"

#include <QTcpSocket>

namespace passerelle {

void ChatCompletionsStream::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                                  RunRequest request, const CompletionMeta &meta, bool includeUsage)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    const bool stream = request.record.stream;
    auto *answer = new ChatCompletionsStream(exchange, ticker, meta, stream, includeUsage);
    const RunEngine::Start started = engine->start(std::move(request), answer);
    if (started.refused) {
        delete answer;
        exchange.respond(HttpReply::error(started.refused->error));
        return;
    }
    answer->m_run = started.run;
    HttpListener::setBusy(answer->m_socket, true);
    if (answer->m_sse) {
        const quint64 logId = started.run->logId();
        QPointer<RequestLog> log = exchange.log();
        answer->m_sse->setObserver([log, logId](qint64 offsetMs, const QByteArray &frame) {
            if (log)
                log->frame(logId, offsetMs, frame);
        });
        answer->m_sse->begin();
        // The role chunk goes out at once, before the backend answers.
        answer->writeFrame(CompletionFormat::roleChunk(meta));
        ticker->add(answer);
    }
}

ChatCompletionsStream::ChatCompletionsStream(HttpExchange &exchange, StreamTicker *ticker,
                                             const CompletionMeta &meta, bool stream,
                                             bool includeUsage)
    : QObject(exchange.socket()), m_socket(exchange.socket()), m_context(exchange.context()),
      m_ticker(ticker), m_meta(meta), m_includeUsage(includeUsage)
{
    if (stream)
        m_sse.emplace(m_socket, m_context);
    connect(m_socket, &QTcpSocket::disconnected, this, &ChatCompletionsStream::onClientGone);
}

ChatCompletionsStream::~ChatCompletionsStream()
{
    m_ticker->remove(this);
    if (m_run)
        m_run->abort();
}

void ChatCompletionsStream::writeFrame(const QByteArray &payload)
{
    m_sse->data(payload);
    noteWrite(*m_ticker);
}

void ChatCompletionsStream::keepAlive()
{
    if (m_sse && !m_done)
        m_sse->comment(QByteArrayLiteral("keep-alive"));
}

void ChatCompletionsStream::runContent(const QString &text)
{
    if (m_sse)
        writeFrame(CompletionFormat::contentChunk(m_meta, text));
}

void ChatCompletionsStream::runToolCall(const QJsonObject &delta)
{
    if (m_sse)
        writeFrame(CompletionFormat::toolCallChunk(m_meta, delta));
}

void ChatCompletionsStream::runFinished(const RunResult &result)
{
    const QString reply = result.isEmpty() ? CompletionFormat::emptyReplyText() : result.text;
    if (m_sse) {
        if (result.isEmpty())
            writeFrame(CompletionFormat::contentChunk(m_meta, reply));
        writeFrame(CompletionFormat::finishChunk(m_meta, result.finishReason));
        if (m_includeUsage)
            writeFrame(CompletionFormat::usageChunk(m_meta, result.usage));
        writeFrame(QByteArrayLiteral("[DONE]"));
        m_sse->end();
        m_run->setResponseBody(reply.toUtf8());
    } else {
        const QString content = result.toolCalls.isEmpty() ? reply : QString();
        writeReply(
            HttpReply::json(200,
                            CompletionFormat::completion(m_meta, content, result.toolCalls,
                                                         result.finishReason, result.usage)));
    }
    done();
}

void ChatCompletionsStream::runFailed(const RunFailure &failure)
{
    if (m_sse) {
        // The headers are gone already: an error frame, then [DONE], and no finish chunk.
        writeFrame(
            ApiError {failure.error.status, QStringLiteral("api_error"), failure.error.message, {}}
                .body());
        writeFrame(QByteArrayLiteral("[DONE]"));
        m_sse->end();
    } else {
        HttpReply reply = HttpReply::error(failure.error);
        if (failure.retryAfterSeconds > 0)
            reply.withHeader("Retry-After", QByteArray::number(failure.retryAfterSeconds));
        writeReply(reply);
    }
    done();
}

void ChatCompletionsStream::writeReply(const HttpReply &reply)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(reply.toBytes(m_context));
    m_run->setResponseBody(reply.body);
}

void ChatCompletionsStream::done()
{
    m_done = true;
    m_ticker->remove(this);
    HttpListener::setBusy(m_socket, false);
    m_run = nullptr; // it ends itself after this call
    deleteLater();
}

void ChatCompletionsStream::onClientGone()
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
