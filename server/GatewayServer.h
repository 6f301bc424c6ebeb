#pragma once

// The gateway's composition in the server thread: owns the HTTP front end and its route table
// and pipeline, the credential guard, the run engine with the backends and the session store,
// the request log and statistics, and the WebSocket gateway; applies config snapshots live
// (re-listening only when port or bind change). Every HTTP request goes through the pipeline
// (before its body is read when the body decides, then once complete) to its route's handler.
// Created by GatewayController, moved into its thread, and only ever called there (queued).

#include "GatewayController.h"
#include "config/GatewayConfig.h"
#include "http/HttpFrontend.h"
#include "http/HttpPipeline.h"
#include "http/RouteTable.h"
#include "log/RequestLog.h"
#include "stats/GatewayMetrics.h"
#include "stats/TrafficStats.h"
#include "store/SessionStore.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace passerelle {

class BackendRouter;
class CredentialGuard;
class RunEngine;
class StreamTicker;
class TokenUsageMeter;
class WsGateway;

class GatewayServer final : public QObject, public HttpHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    explicit GatewayServer(QObject *parent = nullptr);
    ~GatewayServer() override;

    // All of these run in the server thread.
    // The store of `store` (SQLite: at `sessionDatabase`, "" for the default path).
    void initialize(const QString &sessionDatabase, const StoreConfig &store = {});
    void applyConfig(const GatewayConfig &config);
    void shutdown();
    void setCaptureFrames(bool on) { m_log->setCaptureFrames(on); }
    void clearLockout(const QString &ip);
    void publishLockouts();
    // SIGTERM (SPEC section 12): /ready answers 503 "draining", the listener stops accepting, the
    // runs in flight get up to graceMs to end; then `drained`. The caller stops the server then.
    void drain(int graceMs);
    // Flushes the usage not stored yet and answers with tokenUsage.
    void requestTokenUsage();

    // Why /ready answers 503 ("starting", "draining", "session store unavailable"); empty: ready.
    QString notReadyReason() const;
    QByteArray renderMetrics() const;

    // HttpHandler
    void handleHttp(const HttpRequest &request, ClientSocket *socket) override;
    QByteArray checkUpgrade(const HttpRequest &request) override;
    void handleWebSocket(std::unique_ptr<WsSocket> socket, const HttpRequest &upgrade) override;

signals:
    void statusChanged(const passerelle::ServerStatus &status);
    void trafficChanged(const passerelle::TrafficStats::Snapshot &traffic); // before each logBatch
    void logBatch(const passerelle::LogBatch &batch);
    void lockoutsChanged(const QList<passerelle::Lockout> &lockouts);
    void ipLockedOut(const QString &ip);
    void providerLoadChanged(const QList<passerelle::ProviderLoad> &loads);
    void drained();
    void tokenUsage(const QList<passerelle::TokenUsageSummary> &usage, const QString &error);

private:
    void listen();
    void registerRoutes();
    void onStoreState(passerelle::SessionStore::State state);
    // Before the body is read: refuses (and closes) what the pipeline would refuse anyway when
    // the body decides (its size, a chunked upload) or the client waits for 100-continue.
    HeadDecision checkHead(const RequestHead &head, ClientSocket *socket);
    RequestRecord newRecord(const QHostAddress &peer, const QByteArray &method, const QString &path,
                            int route);
    void onRecord(const RequestRecord &record);
    void finishDrain();

    GatewayConfig m_config;
    StoreConfig m_storeConfig; // the one the store was made from
    std::unique_ptr<BackendRouter> m_backends;
    TrafficStats m_traffic;
    GatewayMetrics m_metrics;
    RouteTable m_routes;
    std::unique_ptr<HttpPipeline> m_pipeline;
    QPointer<RequestLog> m_log;
    QPointer<SessionStore> m_store;
    QPointer<CredentialGuard> m_guard;
    QPointer<RunEngine> m_engine;
    QPointer<StreamTicker> m_ticker;
    QPointer<WsGateway> m_ws;
    QPointer<HttpFrontend> m_http;
    QPointer<TokenUsageMeter> m_usage;
    ServerStatus m_status;
    int m_connectionCap = 0; // from the raised descriptor limit
    bool m_configured = false;
    bool m_draining = false;
    bool m_drained = false;
};

} // namespace passerelle
