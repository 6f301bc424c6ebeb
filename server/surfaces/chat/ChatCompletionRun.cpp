#include "surfaces/chat/ChatCompletionRun.h"

#include "Logging.h"
#include "http/HttpListener.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace passerelle {

ChatCompletionRun::ChatCompletionRun(ChatRunSpec spec, std::unique_ptr<BackendRun> backend,
                                     QTcpSocket *socket, RequestLog *log, SessionStore *store)
    : QObject(socket), m_spec(std::move(spec)), m_backend(std::move(backend)), m_socket(socket),
      m_log(log), m_store(store)
{
    m_clock.start();
    connect(m_backend.get(), &BackendRun::contentDelta, this, &ChatCompletionRun::onContent);
    connect(m_backend.get(), &BackendRun::toolCallDelta, this, &ChatCompletionRun::onToolCall);
    connect(m_backend.get(), &BackendRun::finished, this, &ChatCompletionRun::onFinished);
    connect(m_backend.get(), &BackendRun::failed, this, &ChatCompletionRun::onFailed);
    connect(socket, &QTcpSocket::disconnected, this, &ChatCompletionRun::onClientGone);
    // One periodic timer per stream; output only moves m_lastOutput, so a busy stream does not
    // re-arm a timer for every delta.
    m_keepAlive.setInterval(qMax(10, m_spec.keepAliveMs / 2));
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        if (m_sse && m_lastOutput.elapsed() >= m_spec.keepAliveMs) {
            m_sse->comment(QByteArrayLiteral("keep-alive"));
            m_lastOutput.restart();
        }
    });
}

ChatCompletionRun::~ChatCompletionRun()
{
    if (!m_done) {
        m_backend->abort();
        finishLog(499, QStringLiteral("client closed the connection"));
    }
}

void ChatCompletionRun::start()
{
    HttpListener::setBusy(m_socket, true);
    if (m_log)
        m_log->record(m_spec.record);
    if (m_spec.stream) {
        m_sse.emplace(m_socket, m_spec.reply);
        const quint64 id = m_spec.record.id;
        QPointer<RequestLog> log = m_log;
        m_sse->setObserver([log, id](qint64 offsetMs, const QByteArray &frame) {
            if (log)
                log->frame(id, offsetMs, frame);
        });
        m_sse->begin();
        // The role chunk goes out at once, before the backend answers.
        m_sse->data(CompletionFormat::roleChunk(m_spec.meta));
        m_lastOutput.start();
        m_keepAlive.start();
    }
    m_backend->start();
}

void ChatCompletionRun::firstOutput()
{
    if (m_spec.record.ttfbMs < 0)
        m_spec.record.ttfbMs = m_clock.elapsed();
    m_lastOutput.restart(); // keep-alives only while the backend is silent
}

void ChatCompletionRun::onContent(const QString &text)
{
    if (m_done)
        return;
    firstOutput();
    m_content += text;
    if (m_sse)
        m_sse->data(CompletionFormat::contentChunk(m_spec.meta, text));
}

void ChatCompletionRun::onToolCall(const QJsonObject &delta)
{
    if (m_done)
        return;
    firstOutput();
    m_toolCalls.add(delta);
    if (m_sse)
        m_sse->data(CompletionFormat::toolCallChunk(m_spec.meta, delta));
}

void ChatCompletionRun::onFinished(const QString &finishReason, const Usage &usage)
{
    if (m_done || m_saving)
        return;
    m_keepAlive.stop();
    m_spec.record.usage = usage;
    const bool empty = m_content.isEmpty() && m_toolCalls.isEmpty();
    if (!m_spec.stableSession || empty || !m_store
        || m_store->state() == SessionStore::State::Unavailable) {
        writeEnd(finishReason, usage);
        return;
    }
    // A client that sees the end may send its next turn at once: this one must be there first.
    m_saving = true;
    m_store->appendTurnThen({m_spec.sessionKey, m_spec.agentId, m_spec.userPrompt, m_content}, this,
                            [this, finishReason, usage] {
                                if (!m_done)
                                    writeEnd(finishReason, usage);
                            });
}

void ChatCompletionRun::writeEnd(const QString &finishReason, const Usage &usage)
{
    const bool empty = m_content.isEmpty() && m_toolCalls.isEmpty();
    const QString reason = !m_toolCalls.isEmpty() && finishReason == QLatin1String("stop")
        ? QStringLiteral("tool_calls")
        : finishReason;
    const QString reply = empty ? CompletionFormat::emptyReplyText() : m_content;
    if (m_sse) {
        if (empty)
            m_sse->data(CompletionFormat::contentChunk(m_spec.meta, reply));
        m_sse->data(CompletionFormat::finishChunk(m_spec.meta, reason));
        if (m_spec.includeUsage)
            m_sse->data(CompletionFormat::usageChunk(m_spec.meta, usage));
        m_sse->data(QByteArrayLiteral("[DONE]"));
        m_sse->end();
        m_spec.record.responseBody = reply.toUtf8().left(RequestLog::kBodyCap);
        finishLog(200, {});
    } else {
        const QString content = m_toolCalls.isEmpty() ? reply : QString();
        const QJsonObject body = CompletionFormat::completion(
            m_spec.meta, content, m_toolCalls.toolCalls(), reason, usage);
        writeAndLog(HttpReply::json(200, body, m_spec.reply));
        finishLog(200, {});
    }
    deleteLater();
}

void ChatCompletionRun::onFailed(const BackendError &error)
{
    if (m_done || m_saving)
        return;
    m_keepAlive.stop();
    const ApiError api = ApiError::fromBackend(error);
    qCInfo(lcUpstream).noquote() << "run" << m_spec.meta.id << "failed:" << api.message << "("
                                 << error.message << ")";
    if (m_sse) {
        // Headers are gone already: an error frame, then [DONE], and no finish chunk.
        m_sse->data(ApiError {api.status, QStringLiteral("api_error"), api.message, {}}.body());
        m_sse->data(QByteArrayLiteral("[DONE]"));
        m_sse->end();
        finishLog(200, api.message);
    } else {
        writeAndLog(HttpReply::error(api, m_spec.reply));
        finishLog(api.status, api.message);
    }
    deleteLater();
}

void ChatCompletionRun::writeAndLog(const QByteArray &response)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(response);
    const qsizetype bodyStart = response.indexOf("\r\n\r\n");
    m_spec.record.responseBody = response.mid(bodyStart + 4, RequestLog::kBodyCap);
}

void ChatCompletionRun::onClientGone()
{
    if (m_done)
        return;
    m_keepAlive.stop();
    m_backend->abort();
    finishLog(499, QStringLiteral("client closed the connection"));
    deleteLater();
}

void ChatCompletionRun::finishLog(int status, const QString &error)
{
    m_done = true;
    HttpListener::setBusy(m_socket, false);
    m_spec.record.status = status;
    m_spec.record.error = error;
    m_spec.record.durationMs = m_clock.elapsed();
    if (m_spec.record.ttfbMs < 0)
        m_spec.record.ttfbMs = m_spec.record.durationMs;
    m_spec.record.finished = true;
    if (m_log)
        m_log->record(m_spec.record);
}

} // namespace passerelle
