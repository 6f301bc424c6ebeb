#include "auth/CredentialGuard.h"

#include "Logging.h"
#include "store/SessionStore.h"

namespace passerelle {

CredentialGuard::CredentialGuard(QObject *parent) : QObject(parent) { }

void CredentialGuard::setConfig(const AuthConfig &config)
{
    m_mode = config.mode;
    m_auth = Authenticator(config);
    m_limiter.setConfig(config.rateLimit);
}

template<typename Check>
CredentialGuard::Verdict CredentialGuard::guarded(const QHostAddress &peer, Check check)
{
    Verdict verdict;
    if (m_mode == AuthMode::None) {
        verdict.result = m_auth.checkSecret({}, false);
        return verdict;
    }
    const bool exempt = m_limiter.isExempt(peer);
    if (!exempt) {
        verdict.lockedForMs = m_limiter.lockedForMs(peer);
        if (verdict.lockedForMs > 0)
            return verdict;
    }
    verdict.result = check();
    switch (verdict.result.outcome) {
    case AuthResult::Outcome::Ok:
        if (!exempt) {
            // Only an address this gateway saw fail has a shared count worth a write.
            if (m_shared && m_shared->sharesAuthState() && m_limiter.isTracked(peer))
                m_shared->recordAuthSuccess(AuthRateLimiter::keyOf(peer));
            m_limiter.recordSuccess(peer);
        }
        break;
    case AuthResult::Outcome::Wrong:
        ++m_failures;
        if (exempt)
            break;
        if (m_limiter.recordFailure(peer)) {
            ++m_lockoutsStarted;
            qCWarning(lcAuth).noquote()
                << "locked out" << peer.toString() << "after repeated failed authentication";
            emit lockedOut(peer.toString());
            emit lockoutsChanged(m_limiter.lockouts());
        }
        if (m_shared && m_shared->sharesAuthState()) {
            // Counted with every other gateway's failures; the 401 goes out meanwhile.
            const QString ip = AuthRateLimiter::keyOf(peer);
            m_shared->recordAuthFailure(ip, m_limiter.config(), this,
                                        [this, ip](const StoreResult<qint64> &locked) {
                                            if (locked.ok && locked.value > 0)
                                                applySharedLockout(ip, locked.value);
                                        });
        }
        break;
    case AuthResult::Outcome::Missing:
        ++m_failures;
        break;
    }
    return verdict;
}

CredentialGuard::Verdict CredentialGuard::checkAuthorization(const QByteArray &authorization,
                                                             const QHostAddress &peer)
{
    return guarded(peer, [&] { return m_auth.check(authorization); });
}

CredentialGuard::Verdict CredentialGuard::checkSecret(const QByteArray &secret, bool isPassword,
                                                      const QHostAddress &peer)
{
    return guarded(peer, [&] {
        return secret.isEmpty() ? AuthResult {} : m_auth.checkSecret(secret, isPassword);
    });
}

void CredentialGuard::setSharedState(SessionStore *store)
{
    m_shared = store;
}

void CredentialGuard::applySharedLockout(const QString &ip, qint64 remainingMs)
{
    if (remainingMs <= 0) {
        m_limiter.clear(ip);
        emit lockoutsChanged(m_limiter.lockouts());
        return;
    }
    if (!m_limiter.lockFor(ip, remainingMs))
        return;
    qCWarning(lcAuth).noquote() << "locked out" << ip
                                << "after repeated failed authentication (shared)";
    emit lockedOut(ip);
    emit lockoutsChanged(m_limiter.lockouts());
}

void CredentialGuard::clearLockout(const QString &ip)
{
    m_limiter.clear(ip);
    if (m_shared && m_shared->sharesAuthState())
        m_shared->clearAuthFailures(ip);
    emit lockoutsChanged(m_limiter.lockouts());
}

} // namespace passerelle
