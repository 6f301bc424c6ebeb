#pragma once

// The gateway's worker in the server thread: owns the HTTP front end, the backends, the request log
// and the auth limiter; applies config snapshots live (re-listening only when port or bind change);
// routes every request through SPEC.md sections 3-7 and starts agent runs. Created by
// GatewayController, moved into its thread, and only ever called there (queued).

#include "GatewayController.h"
#include "auth/AuthRateLimiter.h"
#include "auth/Authenticator.h"
#include "config/GatewayConfig.h"
#include "http/HttpFrontend.h"
#include "http/HttpReply.h"
#include "log/RequestLog.h"
#include "providers/BackendRouter.h"
#include "store/SessionStore.h"
#include "ws/WsGateway.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace passerelle {

class GatewayServer final : public QObject, public HttpHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    explicit GatewayServer(QObject *parent = nullptr);
    ~GatewayServer() override;

    // All of these run in the server thread.
    void initialize(const QString &sessionDatabase);
    void applyConfig(const GatewayConfig &config);
    void shutdown();
    void setCaptureFrames(bool on) { m_log->setCaptureFrames(on); }
    void clearLockout(const QString &ip);
    void publishLockouts();

    // HttpHandler
    void handleHttp(const HttpRequest &request, QTcpSocket *socket) override;
    QByteArray checkUpgrade(const HttpRequest &request) override;
    void handleWebSocket(std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade) override;

signals:
    void statusChanged(const passerelle::ServerStatus &status);
    void logBatch(const passerelle::LogBatch &batch);
    void lockoutsChanged(const QList<passerelle::Lockout> &lockouts);
    void ipLockedOut(const QString &ip);

private:
    struct Auth
    {
        std::optional<QByteArray> rejection; // the response to send when not allowed
        AuthResult result;
    };

    void listen();
    // Shared by HTTP and WebSocket auth: the limiter lookup, the credential check and the
    // limiter's bookkeeping. *lockedForMs > 0: the IP is locked out and `check` was not called.
    AuthResult checkCredential(const QHostAddress &peer, const std::function<AuthResult()> &check,
                               qint64 *lockedForMs);
    HeadDecision checkHead(const RequestHead &head, QTcpSocket *socket);
    Auth authenticate(const QByteArray &authorization, const QHostAddress &peer,
                      const ReplyContext &ctx);
    bool hostAllowed(const QByteArray &hostHeader) const;
    QByteArray corsOrigin(const QByteArray &origin) const;
    QByteArray preflight(const HttpRequest &request, const ReplyContext &ctx) const;
    QByteArray requestId(const QByteArray &clientValue) const;

    void handleChat(const HttpRequest &request, QTcpSocket *socket, ReplyContext ctx,
                    RequestRecord record);
    QByteArray handleModels(const HttpRequest &request, const ReplyContext &ctx);
    void respond(QTcpSocket *socket, const QByteArray &response, RequestRecord record,
                 const QElapsedTimer &clock);

    GatewayConfig m_config;
    Authenticator m_auth;
    AuthRateLimiter m_limiter;
    std::unique_ptr<BackendRouter> m_backends;
    std::unique_ptr<SessionStore> m_sessions; // transcripts of stable sessions
    QPointer<RequestLog> m_log;
    QPointer<HttpFrontend> m_http;
    // --- WebSocket gateway (SPEC section 8, server/ws) ---
    WsAuthVerdict checkWsCredential(const QByteArray &secret, bool isPassword,
                                    const QHostAddress &peer);
    QPointer<WsGateway> m_ws;
    // ---
    ServerStatus m_status;
    bool m_configured = false;
};

} // namespace passerelle
