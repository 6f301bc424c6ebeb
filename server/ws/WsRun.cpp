#include "ws/WsRun.h"

#include "Logging.h"
#include "engine/AgentRun.h"
#include "engine/RunEngine.h"
#include "log/RequestLog.h"
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

WsRun::WsRun(WsRunPlan plan, QString requestId, WsConnection *connection)
    : QObject(connection), m_plan(std::move(plan)), m_requestId(std::move(requestId)),
      m_connection(connection)
{
    m_clock.start();
}

WsRun::~WsRun()
{
    if (m_run)
        m_run->abort();
}

std::optional<RunFailure> WsRun::start(RunEngine *engine, RunRequest request)
{
    m_startedAt = QDateTime::currentMSecsSinceEpoch();
    m_log = engine->log();
    const RunEngine::Start started = engine->start(std::move(request), this);
    if (started.refused)
        return started.refused;
    m_run = started.run;
    return std::nullopt;
}

void WsRun::announceStart()
{
    if (m_plan.kind == WsRunPlan::Kind::Agent && !m_done) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("start")},
                    {QStringLiteral("startedAt"), m_startedAt}});
    }
}

void WsRun::runContent(const QString &text)
{
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

void WsRun::runFinished(const RunResult &result)
{
    // The engine reports the end once the turn is durable: a client may read the history at once.
    const QString &finishReason = result.finishReason;
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
                                              {QStringLiteral("usage"), usageJson(result.usage)}}}};
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
                   {QStringLiteral("usage"), usageJson(result.usage)}});
    }
    finish();
}

void WsRun::runFailed(const RunFailure &failure)
{
    const QString &message = failure.error.message;
    if (m_plan.kind == WsRunPlan::Kind::Agent) {
        agentEvent(QStringLiteral("lifecycle"),
                   {{QStringLiteral("phase"), QStringLiteral("error")},
                    {QStringLiteral("error"), message},
                    {QStringLiteral("startedAt"), m_startedAt},
                    {QStringLiteral("endedAt"), QDateTime::currentMSecsSinceEpoch()}});
        if (m_connection) {
            logFrame(m_connection->sendError(
                m_requestId, WsError {WsProtocol::kUnavailable, message, std::nullopt, {}},
                {{QStringLiteral("runId"), m_plan.runId},
                 {QStringLiteral("status"), QStringLiteral("error")},
                 {QStringLiteral("summary"), message}}));
        }
    } else {
        chatEvent(QStringLiteral("error"), {{QStringLiteral("errorMessage"), message}});
    }
    finish();
}

void WsRun::abort(AbortReason reason)
{
    if (m_done)
        return;
    if (reason == AbortReason::ClientGone) {
        if (m_run)
            m_run->abort();
        finish();
        return;
    }
    if (m_run)
        m_run->abort(499, QStringLiteral("aborted by chat.abort"));
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
    finish();
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
    if (m_run && m_log && !frame.isEmpty())
        m_log->frame(m_run->logId(), m_clock.elapsed(), frame.toUtf8());
}

void WsRun::finish()
{
    m_done = true;
    m_run = nullptr; // the engine ends its run itself (or was told to abort it)
    emit done(m_plan.runId);
    // The run may still be inside its own signal emission: delete on the next turn.
    deleteLater();
}

} // namespace passerelle
