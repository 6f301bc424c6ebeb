#include "ws/WsRun.h"

#include "Logging.h"
#include "http/ApiError.h"
#include "providers/Backend.h"
#include "ws/WsConnection.h"

#include <QDateTime>
#include <QJsonArray>

namespace passerelle {

namespace {

QJsonObject usageJson(const Usage &usage)
{
    return {{QStringLiteral("input"), usage.promptTokens},
            {QStringLiteral("output"), usage.completionTokens},
            {QStringLiteral("total"), usage.total()}};
}

} // namespace

WsRun::WsRun(WsRunPlan plan, QString requestId, std::unique_ptr<BackendRun> backend,
             RequestRecord record, RequestLog *log, SessionStore *store, WsConnection *connection)
    : QObject(connection), m_plan(std::move(plan)), m_requestId(std::move(requestId)),
      m_backend(std::move(backend)), m_record(std::move(record)), m_log(log), m_store(store),
      m_connection(connection)
{
    m_clock.start();
    connect(m_backend.get(), &BackendRun::contentDelta, this, &WsRun::onContent);
    connect(m_backend.get(), &BackendRun::finished, this, &WsRun::onFinished);
    connect(m_backend.get(), &BackendRun::failed, this, &WsRun::onFailed);
    // Tool-call deltas are not relayed: the `agent` method carries no tools.
}

WsRun::~WsRun()
{
    if (!m_done) {
        m_backend->abort();
        m_done = true;
        m_record.status = 499;
        m_record.error = QStringLiteral("client closed the connection");
        m_record.durationMs = m_clock.elapsed();
        m_record.finished = true;
        if (m_log)
            m_log->record(m_record);
    }
}

void WsRun::start()
{
    m_startedAt = QDateTime::currentMSecsSinceEpoch();
    if (m_log)
        m_log->record(m_record);
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("start")},
                    {QStringLiteral("startedAt"), m_startedAt}});
    }
    m_backend->start();
}

void WsRun::onContent(const QString &text)
{
    if (m_done || text.isEmpty())
        return;
    if (m_record.ttfbMs < 0)
        m_record.ttfbMs = m_clock.elapsed();
    m_text += text;
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("assistant"),
                   {{QStringLiteral("text"), m_text}, {QStringLiteral("delta"), text}});
    } else {
        chatEvent(
            QStringLiteral("delta"),
            {{QStringLiteral("deltaText"), text}, {QStringLiteral("message"), assistantMessage()}});
    }
}

void WsRun::onFinished(const QString &finishReason, const Usage &usage)
{
    if (isDone())
        return;
    m_record.usage = usage;
    if (m_text.isEmpty() || !m_store) {
        reportEnd(finishReason, usage);
        return;
    }
    // A client that sees the end may read the history at once: the turn must be there first.
    m_saving = true;
    m_store->appendTurnThen({m_plan.sessionKey, m_plan.agentId, m_plan.prompt, m_text}, this,
                            [this, finishReason, usage] {
                                if (m_done)
                                    return;
                                m_saving = false;
                                reportEnd(finishReason, usage);
                            });
}

void WsRun::reportEnd(const QString &finishReason, const Usage &usage)
{
    const qint64 endedAt = QDateTime::currentMSecsSinceEpoch();
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("end")},
                    {QStringLiteral("startedAt"), m_startedAt},
                    {QStringLiteral("endedAt"), endedAt},
                    {QStringLiteral("stopReason"), finishReason}});
        QJsonArray payloads;
        if (!m_text.isEmpty())
            payloads.append(QJsonObject {{QStringLiteral("text"), m_text}});
        const QJsonObject meta {{QStringLiteral("durationMs"), m_clock.elapsed()},
                                {QStringLiteral("stopReason"), finishReason},
                                {QStringLiteral("agentMeta"),
                                 QJsonObject {{QStringLiteral("agentId"), m_plan.agentId},
                                              {QStringLiteral("sessionKey"), m_plan.sessionKey},
                                              {QStringLiteral("usage"), usageJson(usage)}}}};
        if (m_connection) {
            logFrame(m_connection->sendResponse(
                m_requestId,
                {{QStringLiteral("runId"), m_plan.runId},
                 {QStringLiteral("status"), QStringLiteral("ok")},
                 {QStringLiteral("summary"), QStringLiteral("completed")},
                 {QStringLiteral("result"),
                  QJsonObject {{QStringLiteral("payloads"), payloads},
                               {QStringLiteral("meta"), meta}}}}));
        }
    } else {
        chatEvent(QStringLiteral("final"),
                  {{QStringLiteral("message"), assistantMessage()},
                   {QStringLiteral("stopReason"), finishReason},
                   {QStringLiteral("usage"), usageJson(usage)}});
    }
    finish(200, {});
}

void WsRun::onFailed(const BackendError &error)
{
    if (isDone())
        return;
    const ApiError api = ApiError::fromBackend(error);
    qCInfo(lcWs).noquote() << "run" << m_plan.runId << "failed:" << api.message << "("
                           << error.message << ")";
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("error")},
                    {QStringLiteral("error"), api.message},
                    {QStringLiteral("startedAt"), m_startedAt},
                    {QStringLiteral("endedAt"), QDateTime::currentMSecsSinceEpoch()}});
        if (m_connection) {
            logFrame(m_connection->sendError(
                m_requestId, WsError {WsProtocol::kUnavailable, api.message, std::nullopt, {}},
                {{QStringLiteral("runId"), m_plan.runId},
                 {QStringLiteral("status"), QStringLiteral("error")},
                 {QStringLiteral("summary"), api.message}}));
        }
    } else {
        chatEvent(QStringLiteral("error"), {{QStringLiteral("errorMessage"), api.message}});
    }
    finish(api.status, api.message);
}

void WsRun::abort(AbortReason reason)
{
    if (m_done)
        return;
    if (m_saving) { // complete already: only a client that went away ends it now
        if (reason == AbortReason::ClientGone)
            finish(499, QStringLiteral("client closed the connection"));
        return;
    }
    m_backend->abort();
    if (reason == AbortReason::ClientGone) {
        finish(499, QStringLiteral("client closed the connection"));
        return;
    }
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("end")},
                    {QStringLiteral("aborted"), true},
                    {QStringLiteral("stopReason"), QStringLiteral("aborted")},
                    {QStringLiteral("startedAt"), m_startedAt},
                    {QStringLiteral("endedAt"), QDateTime::currentMSecsSinceEpoch()}});
        if (m_connection) {
            logFrame(m_connection->sendResponse(
                m_requestId,
                {{QStringLiteral("runId"), m_plan.runId},
                 {QStringLiteral("status"), QStringLiteral("aborted")},
                 {QStringLiteral("summary"), QStringLiteral("aborted")}}));
        }
    } else {
        QJsonObject extra {{QStringLiteral("stopReason"), QStringLiteral("aborted")}};
        if (!m_text.isEmpty())
            extra.insert(QStringLiteral("message"), assistantMessage());
        chatEvent(QStringLiteral("aborted"), extra);
    }
    finish(499, QStringLiteral("aborted by chat.abort"));
}

void WsRun::agentEvent(const QString &stream, const QJsonObject &data)
{
    if (!m_connection)
        return;
    logFrame(m_connection->sendEvent(QStringLiteral("agent"),
                                     {{QStringLiteral("runId"), m_plan.runId},
                                      {QStringLiteral("seq"), ++m_seq},
                                      {QStringLiteral("stream"), stream},
                                      {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()},
                                      {QStringLiteral("sessionKey"), m_plan.sessionKey},
                                      {QStringLiteral("data"), data}}));
}

void WsRun::chatEvent(const QString &state, const QJsonObject &extra)
{
    if (!m_connection)
        return;
    QJsonObject payload = extra;
    payload.insert(QStringLiteral("runId"), m_plan.runId);
    payload.insert(QStringLiteral("sessionKey"), m_plan.sessionKey);
    payload.insert(QStringLiteral("seq"), ++m_seq);
    payload.insert(QStringLiteral("state"), state);
    logFrame(m_connection->sendEvent(QStringLiteral("chat"), payload));
}

QJsonObject WsRun::assistantMessage() const
{
    return {{QStringLiteral("role"), QStringLiteral("assistant")},
            {QStringLiteral("content"),
             QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                      {QStringLiteral("text"), m_text}}}},
            {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()}};
}

void WsRun::logFrame(const QString &frame)
{
    if (m_log && !frame.isEmpty())
        m_log->frame(m_record.id, m_clock.elapsed(), frame.toUtf8());
}

void WsRun::finish(int status, const QString &error)
{
    m_done = true;
    m_record.status = status;
    m_record.error = error;
    m_record.durationMs = m_clock.elapsed();
    if (m_record.ttfbMs < 0)
        m_record.ttfbMs = m_record.durationMs;
    m_record.responseBody = m_text.toUtf8().left(RequestLog::kBodyCap);
    m_record.finished = true;
    if (m_log)
        m_log->record(m_record);
    emit done(m_plan.runId);
    // The backend may still be inside its own signal emission: delete on the next turn.
    deleteLater();
}

} // namespace passerelle
