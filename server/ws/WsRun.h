#pragma once

// One agent run started over WebSocket: drives a BackendRun and reports it as the protocol says.
// An `agent` run streams `agent` events (lifecycle start, one assistant event per delta with the
// cumulative text, lifecycle end or error) and then answers its request a second time with the
// final result; a `chat.send` run streams `chat` events (delta..., then final, error or aborted).
// It records itself in the request log (transport "ws") and hands a completed turn to the
// transcript store, reporting the end only once the turn is durable (or could not be stored). A
// child of its WsConnection; aborted by chat.abort or when the socket goes. Server thread.

#include "log/RequestLog.h"
#include "store/SessionStore.h"
#include "ws/WsMethods.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

namespace passerelle {

class BackendRun;
class WsConnection;

class WsRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsRun)

public:
    // requestId: the `agent` request's id, answered again with the final result. store: where the
    // turn goes (null: not kept).
    WsRun(WsRunPlan plan, QString requestId, std::unique_ptr<BackendRun> backend,
          RequestRecord record, RequestLog *log, SessionStore *store, WsConnection *connection);
    ~WsRun() override;

    enum class AbortReason { Requested, ClientGone };

    void start();
    // Stops the backend at once. Requested: the client is told (lifecycle end with aborted:true and
    // the final `res`, or a chat `aborted` event). ClientGone: nothing can be sent any more.
    void abort(AbortReason reason);

    const WsRunPlan &plan() const { return m_plan; }
    // The backend run is over (its end may still wait for the turn to be stored).
    bool isDone() const { return m_done || m_saving; }

signals:
    void done(const QString &runId);

private:
    void onContent(const QString &text);
    void onFinished(const QString &finishReason, const Usage &usage);
    void reportEnd(const QString &finishReason, const Usage &usage);
    void onFailed(const BackendError &error);
    void agentEvent(const QString &stream, const QJsonObject &data);
    void chatEvent(const QString &state, const QJsonObject &extra);
    QJsonObject assistantMessage() const;
    void logFrame(const QString &frame);
    void finish(int status, const QString &error);

    WsRunPlan m_plan;
    QString m_requestId;
    std::unique_ptr<BackendRun> m_backend;
    RequestRecord m_record;
    QPointer<RequestLog> m_log;
    QPointer<SessionStore> m_store;
    QPointer<WsConnection> m_connection;
    QElapsedTimer m_clock;
    qint64 m_startedAt = 0; // epoch ms
    qint64 m_seq = 0; // per-run seq of agent/chat payloads
    QString m_text; // the reply so far
    bool m_saving = false; // finished; waiting for the store before reporting the end
    bool m_done = false;
};

} // namespace passerelle
