#pragma once

// The WebSocket side of the gateway (SPEC.md section 8). GatewayServer hands it every upgraded
// socket and each config snapshot; it owns one WsConnection per client (its children), counts the
// connections of each IP that have not finished the handshake (the pre-auth limit), re-checks the
// credentials of open connections when the auth settings change, and gives the connections what
// they share: the gateway's credential check (same limiter as HTTP), the backends, the request log
// and the transcript store. Server thread.
//
// Timing overrides for tests and troubleshooting, read once at construction:
// PASSERELLE_WS_HANDSHAKE_TIMEOUT_MS (default 10000) and PASSERELLE_WS_TICK_INTERVAL_MS (15000).

#include "auth/Authenticator.h"
#include "config/GatewayConfig.h"
#include "ws/WsProtocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

class QWebSocket;

namespace passerelle {

class BackendRouter;
class RequestLog;
class SessionStore;
class WsConnection;

struct WsAuthVerdict
{
    AuthResult result;
    qint64 lockedForMs = 0; // > 0: the IP is locked out and the secret was not even looked at
};

class WsGateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsGateway)

public:
    // The gateway's credential check: limiter lookup, secret check, limiter bookkeeping.
    using CredentialCheck = std::function<WsAuthVerdict(const QByteArray &secret, bool isPassword,
                                                        const QHostAddress &peer)>;

    struct Limits
    {
        int handshakeTimeoutMs = WsProtocol::kHandshakeTimeoutMs;
        int tickIntervalMs = WsProtocol::kTickIntervalMs;
        qint64 preAuthMaxPayload = WsProtocol::kPreAuthMaxPayload;
        int maxPreAuthPerIp = WsProtocol::kMaxPreAuthPerIp;

        static Limits fromEnvironment();
    };

    WsGateway(BackendRouter *backends, RequestLog *log, CredentialCheck check,
              QObject *parent = nullptr);
    ~WsGateway() override;

    void setConfig(const GatewayConfig &config);
    // The transcript store of stable sessions; null (or unavailable): runs keep no transcript and
    // sessions.list / chat.history answer empty.
    void setSessionStore(SessionStore *store) { m_store = store; }

    // Upgrade policy, asked before the handshake: false when the IP already has
    // maxPreAuthPerIp connections that have not completed `connect`.
    bool acceptsUpgradeFrom(const QHostAddress &peer) const;
    void accept(std::unique_ptr<QWebSocket> socket, const QString &path);
    // Server shutdown: a `shutdown` event, then close 1001 on every connection.
    void closeAll(const QString &reason);

    int connectionCount() const;
    int activeRunCount() const;

    // --- for WsConnection ---
    const GatewayConfig &config() const { return m_config; }
    const Limits &limits() const { return m_limits; }
    BackendRouter *backends() const { return m_backends; }
    RequestLog *log() const { return m_log; }
    SessionStore *sessionStore() const; // null when there is none or it is unavailable
    qint64 uptimeMs() const { return m_uptime.elapsed(); }
    WsAuthVerdict checkCredential(const QByteArray &secret, bool isPassword,
                                  const QHostAddress &peer) const;
    void leavePreAuth(const QHostAddress &peer);
    // Aborts matching runs on every connection the caller may act for; returns their run ids.
    QStringList abortRuns(const QString &sessionKeyOrRunId, const QString &runId,
                          const AuthResult &caller);
    bool hasRun(const QString &runId) const;

private:
    QList<WsConnection *> connections() const;
    static QString ipKey(const QHostAddress &peer);

    GatewayConfig m_config;
    Limits m_limits;
    BackendRouter *m_backends = nullptr;
    QPointer<RequestLog> m_log;
    QPointer<SessionStore> m_store;
    CredentialCheck m_check;
    QHash<QString, int> m_preAuth; // ip -> connections still handshaking
    QElapsedTimer m_uptime;
    bool m_configured = false;
};

} // namespace passerelle
