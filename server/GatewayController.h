#pragma once

// The one object the GUI and headless roots talk to. Owns the server thread and the GatewayServer
// worker inside it; forwards config snapshots to it and relays its state, log batches and lockouts
// back as queued signals carrying values. Lives on the main thread.

#include "auth/AuthRateLimiter.h"
#include "config/ConfigStore.h"
#include "engine/RunEngine.h"
#include "log/RequestLog.h"
#include "stats/TrafficStats.h"
#include "store/SessionStore.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <memory>

namespace passerelle {

class GatewayServer;

enum class ServerState { Stopped, Starting, Serving, Error };

struct ServerStatus
{
    ServerState state = ServerState::Stopped;
    QString host; // listening address as a URL host ("127.0.0.1")
    quint16 port = 0; // the real port (port 0 resolved)
    QString error; // why the listener could not open, when state == Error
    bool endpointEnabled = false;
    // The session store (SPEC section 7): "sqlite" or "postgres", where it is (no secret),
    // whether it is reachable and, when not, why.
    QString storeKind;
    QString storeLocation;
    SessionStore::State storeState = SessionStore::State::Opening;
    QString storeError;
    // How many configs the server has applied: a status with a higher count than before a
    // change shows that change is live (other statuses come and go meanwhile).
    quint64 configsApplied = 0;

    QString baseUrl() const; // "http://127.0.0.1:18789"
};

class GatewayController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayController)

public:
    explicit GatewayController(ConfigStore *store, QObject *parent = nullptr);
    ~GatewayController() override; // stops the server thread: quit, wait, delete

    // Starts the thread and listens with the store's current config. Non-blocking; watch
    // statusChanged. dataDir: where sessions.sqlite lives ("" = AppDataLocation; ":memory:" ok).
    void start(const QString &sessionDatabase = {});
    void stop();
    // Blocks until the first listen attempt finished (tests, headless start-up). True if serving.
    bool waitUntilListening(int timeoutMs = 10000);

    ServerStatus status() const { return m_status; }
    // The core's request statistics (what the panel's counters and chart show), as of the last
    // log batch.
    TrafficStats::Snapshot traffic() const { return m_traffic; }
    // Running and queued runs per provider (SPEC section 12), as of the last change.
    QList<ProviderLoad> providerLoads() const { return m_providerLoads; }
    ConfigStore *configStore() const { return m_store; }

    // A graceful stop (SIGTERM, the panel's Quit): /ready says "draining", the listener stops
    // accepting, the runs in flight get up to graceMs to end; then `drained` (at once when not
    // started). The caller then stops or quits.
    void drain(int graceMs = kDrainGraceMs);
    static constexpr int kDrainGraceMs = 10000;
    // Asks for the usage per token (today, last 7 days, total): tokenUsageChanged answers.
    void requestTokenUsage();

    void setCaptureFrames(bool on);
    void clearLockout(const QString &ip);
    void refreshLockouts();

signals:
    void statusChanged(const passerelle::ServerStatus &status);
    void logBatch(const passerelle::LogBatch &batch);
    void lockoutsChanged(const QList<passerelle::Lockout> &lockouts);
    void ipLockedOut(const QString &ip);
    void providerLoadChanged(const QList<passerelle::ProviderLoad> &loads);
    void drained();
    // `error` set: the session store could not answer.
    void tokenUsageChanged(const QList<passerelle::TokenUsageSummary> &usage, const QString &error);

private:
    void applyConfig(const GatewayConfig &config);
    void onStatus(const ServerStatus &status);

    ConfigStore *m_store = nullptr;
    std::unique_ptr<QThread> m_thread;
    QPointer<GatewayServer> m_server; // lives in m_thread
    ServerStatus m_status;
    TrafficStats::Snapshot m_traffic;
    QList<ProviderLoad> m_providerLoads;
    bool m_listenAttempted = false;
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::ServerStatus)
Q_DECLARE_METATYPE(QList<passerelle::Lockout>)
