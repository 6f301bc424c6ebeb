#pragma once

// The WebSocket answer to one agent run (SPEC.md section 8): turns the run's events into the
// protocol's. An `agent` run streams `agent` events (lifecycle start, one assistant event per delta
// with the cumulative text, lifecycle end or error) and then answers its request a second time with
// the final result; a `chat.send` run streams `chat` events (delta..., then final, error or
// aborted). The run itself (history, turn saving, the request-log record) is the engine's. A child
// of its WsConnection; aborted by chat.abort or when the socket goes. Server thread.

#include "engine/RunObserver.h"
#include "ws/WsMethods.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <optional>

namespace passerelle {

class AgentRun;
class RequestLog;
class RunEngine;
class WsConnection;

class WsRun final : public QObject, private RunObserver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsRun)

public:
    // requestId: the request's id, answered again with the final result of an `agent` run.
    WsRun(WsRunPlan plan, QString requestId, WsConnection *connection);
    ~WsRun() override;

    enum class AbortReason { Requested, ClientGone };

    // Hands the run to the engine; its refusal, when it refuses (this object is then unused).
    std::optional<RunFailure> start(RunEngine *engine, RunRequest request);
    // After the request was answered "accepted": the lifecycle start of an `agent` run.
    void announceStart();
    // Stops the run at once. Requested: the client is told (lifecycle end with aborted:true and
    // the final `res`, or a chat `aborted` event). ClientGone: nothing can be sent any more.
    void abort(AbortReason reason);

    const WsRunPlan &plan() const { return m_plan; }
    bool isDone() const { return m_done; }

signals:
    void done(const QString &runId);

private:
    // RunObserver
    void runContent(const QString &text) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;

    void agentEvent(const QString &stream, const QJsonObject &data);
    void chatEvent(const QString &state, const QJsonObject &extra);
    QJsonObject assistantMessage() const;
    void logFrame(const QString &frame);
    void finish();

    WsRunPlan m_plan;
    QString m_requestId;
    QPointer<WsConnection> m_connection;
    QPointer<AgentRun> m_run;
    QPointer<RequestLog> m_log;
    QElapsedTimer m_clock;
    qint64 m_startedAt = 0; // epoch ms
    qint64 m_seq = 0; // per-run seq of agent/chat payloads
    QString m_text; // the reply so far
    bool m_done = false;
};

} // namespace passerelle
