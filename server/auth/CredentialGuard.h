#pragma once

// The gateway's one credential check, shared by every HTTP route and the WebSocket `connect`
// (SPEC.md section 5): the per-IP limiter's lookup (a locked-out address is refused without its
// secret being looked at), the constant-time secret check, and the limiter's bookkeeping (a wrong
// secret counts, a missing one does not, success resets). Announces lockouts. With a store that
// gateways share, failures are also counted there (asynchronously: the answer never waits) and
// lockouts decided by any gateway hold here too. Server thread.

#include "auth/AuthRateLimiter.h"
#include "auth/Authenticator.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

namespace passerelle {

class SessionStore;

class CredentialGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialGuard)

public:
    explicit CredentialGuard(QObject *parent = nullptr);

    void setConfig(const AuthConfig &config);
    const Authenticator &authenticator() const { return m_auth; }

    struct Verdict
    {
        AuthResult result;
        qint64 lockedForMs = 0; // > 0: the address is locked out and the secret was not checked
    };
    // An Authorization header value ("Bearer <secret>"); mode none: always Ok.
    Verdict checkAuthorization(const QByteArray &authorization, const QHostAddress &peer);
    // A secret given directly (WebSocket connect.auth.token / password).
    Verdict checkSecret(const QByteArray &secret, bool isPassword, const QHostAddress &peer);

    // The store whose failed-auth state this guard shares (none, or one that shares nothing:
    // this gateway's limiter alone).
    void setSharedState(SessionStore *store);
    // A lockout another gateway decided (remainingMs > 0), or lifted (0).
    void applySharedLockout(const QString &ip, qint64 remainingMs);

    void clearLockout(const QString &ip);
    QList<Lockout> lockouts() { return m_limiter.lockouts(); }
    // For the metrics: credentials refused (wrong or missing) and lockouts started, since start.
    quint64 failures() const { return m_failures; }
    quint64 lockoutsStarted() const { return m_lockoutsStarted; }

signals:
    void lockedOut(const QString &ip);
    void lockoutsChanged(const QList<passerelle::Lockout> &lockouts);

private:
    template<typename Check> Verdict guarded(const QHostAddress &peer, Check check);

    AuthMode m_mode = AuthMode::Token;
    Authenticator m_auth;
    AuthRateLimiter m_limiter;
    quint64 m_failures = 0;
    quint64 m_lockoutsStarted = 0;
    QPointer<SessionStore> m_shared;
};

} // namespace passerelle
