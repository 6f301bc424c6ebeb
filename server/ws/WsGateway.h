#pragma once

// The WebSocket side of the gateway (SPEC.md section 8). GatewayServer hands it every upgraded
// socket and each config snapshot; it owns one WsConnection per client (its children), counts the
// connections of each IP that have not finished the handshake (the pre-auth limit), re-checks the
// credentials of open connections when the auth settings change, and gives the connections what
// they share: the gateway's credential check (same limiter as HTTP), the backends, the request log
// and the transcript store. Server thread.

#include "auth/Authenticator.h"
#include "auth/CredentialGuard.h"
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

namespace passerelle {

class CredentialGuard;
class RequestLog;
class RunEngine;
class SessionStore;
class WsConnection;
class WsSocket;

class WsGateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsGateway)

public:
    struct Limits
    {
        int handshakeTimeoutMs = WsProtocol::kHandshakeTimeoutMs;
        int tickIntervalMs = WsProtocol::kTickIntervalMs;
        qint64 preAuthMaxPayload = WsProtocol::kPreAuthMaxPayload;
        int maxPreAuthPerIp = WsProtocol::kMaxPreAuthPerIp;
    };

    // The runs go to the engine (with its log and store); `connect` credentials to the guard.
    WsGateway(RunEngine *engine, CredentialGuard *guard, QObject *parent = nullptr);
    ~WsGateway() override;

    // Also sets the timings of new connections (passerelle.ws.*).
    void setConfig(const GatewayConfig &config);

    // Upgrade policy, asked before the handshake: false when the IP already has
    // maxPreAuthPerIp connections that have not completed `connect`.
    bool acceptsUpgradeFrom(const QHostAddress &peer) const;
    void accept(std::unique_ptr<WsSocket> socket, const QString &path);
    // Server shutdown: a `shutdown` event, then close 1001 on every connection.
    void closeAll(const QString &reason);

    int connectionCount() const;
    int activeRunCount() const;

    // --- for WsConnection ---
    const GatewayConfig &config() const { return m_config; }
    const Limits &limits() const { return m_limits; }
    RunEngine *engine() const { return m_engine; }
    RequestLog *log() const;
    // The transcript store; null when there is none or it is unavailable (sessions.list and
    // chat.history then answer empty).
    SessionStore *sessionStore() const;
    qint64 uptimeMs() const { return m_uptime.elapsed(); }
    CredentialGuard::Verdict checkCredential(const QByteArray &secret, bool isPassword,
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
    QPointer<RunEngine> m_engine;
    QPointer<CredentialGuard> m_guard;
    QHash<QString, int> m_preAuth; // ip -> connections still handshaking
    QElapsedTimer m_uptime;
    bool m_configured = false;
};

} // namespace passerelle
