#pragma once

// One agent run of the engine, from the request to its end: logs its record, loads the history (the
// session's transcript, or the chain of stored responses its request continues), builds the model
// chain (each attempt behind its provider's gate), relays the deltas to its observer, saves the
// turn of a stable session and stores the response asked for before reporting the end, and
// finishes its record (status, usage, first-token and total time). A child of the RunEngine;
// deletes itself once it ended. The surface holds a QPointer and aborts it when its client goes.
// Server thread.

#include "engine/RunListener.h"
#include "engine/RunObserver.h"
#include "engine/ToolCallAccumulator.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace passerelle {

struct AgentConfig;
class BackendRun;
class RunEngine;

class AgentRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentRun)

public:
    ~AgentRun() override; // a run destroyed before its end is logged as aborted (499)

    const RunRequest &request() const { return m_request; }
    quint64 logId() const { return m_record.id; }
    bool isDone() const { return m_phase == Phase::Done; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

    // Ends the run at once: the upstream request is closed, nothing more is reported, the record
    // shows `status` and `reason`.
    void abort(int status = 499, const QString &reason = clientGoneText());
    // Flow control: a paused run produces nothing (its upstream is not read) until resumed.
    void setPaused(bool paused);
    // What the request log shows as the response (call it from runFinished / runFailed); by default
    // the reply text.
    void setResponseBody(const QByteArray &body) { m_responseBody = body; }
    // The status the client got when the surface maps a failure to a status of its own (the
    // Messages API's 529 for a 503): the record shows it (call it from runFailed).
    void setResponseStatus(int status) { m_responseStatus = status; }

    static QString clientGoneText(); // "client closed the connection"

private:
    friend class RunEngine;
    enum class Phase { Created, LoadingHistory, Running, SavingTurn, Done };

    AgentRun(RunEngine *engine, RunRequest request, RunObserver *observer);
    void begin(const AgentConfig &agent);
    void loadTranscript();
    void loadChain();
    void refuse(const ApiError &error);
    // The store failed a call the run needs (or is down): 503 `session store unavailable`, or
    // the error frame of a stream already going.
    void failForStore(const QString &what, const QString &why);
    void startBackend(const QList<ChatTurn> &history);
    void storeThenDeliver(const RunResult &result);
    void onQueued(int ahead);
    void onAdmitted();
    void onContent(const QString &text);
    void onToolCall(const QJsonObject &delta);
    void onFinished(const QString &finishReason, const Usage &usage);
    void onFailed(const BackendError &error);
    void deliverFinished(const RunResult &result);
    void firstOutput();
    void end(RunOutcome outcome, int status, const QString &error, const QByteArray &defaultBody);

    RunEngine *m_engine = nullptr; // the parent
    RunRequest m_request;
    RunObserver *m_observer = nullptr;
    BackendRequest m_backendRequest;
    QStringList m_chain;
    std::unique_ptr<BackendRun> m_backend;
    RequestRecord m_record;
    QElapsedTimer m_clock;
    qint64 m_firstOutputNs = -1; // for the metrics (the record keeps milliseconds)
    QString m_text;
    ToolCallAccumulator m_toolCalls;
    QByteArray m_responseBody;
    int m_responseStatus = 0;
    Phase m_phase = Phase::Created;
    bool m_paused = false;
    bool m_reportedStart = false;
    bool m_reportedReady = false;
};

} // namespace passerelle
