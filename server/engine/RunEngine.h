#pragma once

// The one agent-run engine behind every surface (HTTP chat completions, responses, messages and
// the WebSocket methods). A surface parses its wire format into a RunRequest and hands it over with
// a RunObserver; the engine alone looks up the agent, assembles the backend request, loads the
// session's history, builds the model chain with each attempt behind its provider's admission
// gate, keeps the run's request-log record, saves the turn of a stable session (durably, before
// the surface hears the end), and reports the run's events back. Owns its AgentRuns (children).
// Server thread.

#include "config/GatewayConfig.h"
#include "engine/RunListener.h"
#include "engine/RunObserver.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace passerelle {

class AgentRun;
class BackendRouter;
class ProviderGate;
class RequestLog;
class SessionStore;

// Running and queued runs of one provider, for the panel and the metrics.
struct ProviderLoad
{
    QString provider;
    int running = 0;
    int queued = 0;
    int maxConcurrent = 0; // 0: unlimited
    int maxQueue = 0;

    bool operator==(const ProviderLoad &o) const
    {
        return provider == o.provider && running == o.running && queued == o.queued
            && maxConcurrent == o.maxConcurrent && maxQueue == o.maxQueue;
    }
};

class RunEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunEngine)

public:
    RunEngine(BackendRouter *backends, RequestLog *log, QObject *parent = nullptr);
    ~RunEngine() override; // aborts the runs still going

    // A live config change: new runs use it; running ones keep the snapshot they started with.
    void setConfig(const GatewayConfig &config);
    const GatewayConfig &config() const { return m_config; }
    // Null or unavailable: runs keep no transcript.
    void setStore(SessionStore *store) { m_store = store; }
    SessionStore *store() const { return m_store; }
    RequestLog *log() const { return m_log; }

    struct Start
    {
        AgentRun *run = nullptr; // the run, started; owned by the engine
        std::optional<RunFailure> refused; // or why it could not start (nothing was logged)
    };
    // Starts a run. The observer hears of it until it ends or is aborted through the run; the
    // surface must abort its run before the observer dies.
    Start start(RunRequest request, RunObserver *observer);

    // Hears every failed attempt and every run's end (the metrics); it must outlive the engine's
    // runs.
    void addRunListener(RunListener *listener) { m_listeners.append(listener); }

    int activeRuns() const;
    QList<ProviderLoad> providerLoads() const;

signals:
    // Running/queued counts changed (at most every 100 ms, coalesced).
    void providerLoadChanged(const QList<passerelle::ProviderLoad> &loads);

private:
    friend class AgentRun;
    std::shared_ptr<ProviderGate> gateFor(const QString &provider);
    void loadChanged();
    void attemptFailed(const QString &agentId, const QString &modelRef, const BackendError &error,
                       bool fallingBack) const;
    void runEnded(const RunEnd &end) const;

    GatewayConfig m_config;
    BackendRouter *m_backends = nullptr;
    QPointer<RequestLog> m_log;
    SessionStore *m_store = nullptr;
    QHash<QString, std::shared_ptr<ProviderGate>> m_gates;
    QTimer m_loadTimer;
    QList<RunListener *> m_listeners;
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::ProviderLoad)
Q_DECLARE_METATYPE(QList<passerelle::ProviderLoad>)
