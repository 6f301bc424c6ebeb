#include "store/PostgresSessionStore.h"

#include "store/PostgresSessionWorker.h"

namespace passerelle {

PostgresSessionStore::PostgresSessionStore(const StoreConfig &config, const QString &password,
                                           QObject *parent)
    : SqlSessionStore(parent), m_config(config)
{
    const int lanes = qMax(1, config.poolSize);
    for (int i = 0; i < lanes; ++i) {
        m_up.append(false);
        m_heard.append(false);
        PostgresSessionWorker::Hooks hooks;
        hooks.connection = [this, i](bool up, const QString &why) {
            QMetaObject::invokeMethod(
                this, [this, i, up, why] { laneChanged(i, up, why); }, Qt::QueuedConnection);
        };
        // The first lane listens for the lockouts other gateways announce (and pings).
        if (i == 0)
            hooks.lockout = [this](const QString &ip, qint64 ms) {
                QMetaObject::invokeMethod(
                    this, [this, ip, ms] { emit sharedLockout(ip, ms); }, Qt::QueuedConnection);
            };
        const int lane = addLane(new PostgresSessionWorker(config, password, i == 0, hooks),
                                 QStringLiteral("passerelle-pg-%1").arg(i));
        post(lane, [](SqlSessionWorker &worker) {
            static_cast<PostgresSessionWorker &>(worker).start();
        });
    }
}

QString PostgresSessionStore::location() const
{
    return QStringLiteral("postgres://%1@%2:%3/%4")
        .arg(m_config.user, m_config.host)
        .arg(m_config.port)
        .arg(m_config.database);
}

void PostgresSessionStore::laneChanged(int lane, bool up, const QString &why)
{
    m_up[lane] = up;
    m_heard[lane] = true;
    if (up) {
        m_reason.clear();
        setState(State::Available);
        return;
    }
    m_reason = why;
    // One lane lost its connection: the others most likely too; have them look now rather than
    // on their next call.
    for (int i = 0; i < laneCount(); ++i) {
        if (i != lane && m_up.at(i))
            post(i, [](SqlSessionWorker &worker) {
                static_cast<PostgresSessionWorker &>(worker).probe();
            });
    }
    if (!m_up.contains(true) && (state() != State::Opening || !m_heard.contains(false)))
        setState(State::Unavailable);
}

int PostgresSessionStore::pickLane()
{
    for (int tried = 0; tried < laneCount(); ++tried) {
        const int lane = m_next;
        m_next = (m_next + 1) % laneCount();
        if (m_up.at(lane))
            return lane;
    }
    // None is up: the call goes to the next lane anyway (which tries to reconnect, or fails).
    const int lane = m_next;
    m_next = (m_next + 1) % laneCount();
    return lane;
}

void PostgresSessionStore::recordAuthFailure(const QString &ip, const RateLimitConfig &limits,
                                             QObject *context, Callback<qint64> done)
{
    submit<qint64>(
        context, std::move(done),
        [ip, limits](SqlSessionWorker &worker) {
            return static_cast<PostgresSessionWorker &>(worker).authFailure(
                ip, limits.maxAttempts, limits.windowMs, limits.lockoutMs);
        },
        kAuthLane);
}

void PostgresSessionStore::recordAuthSuccess(const QString &ip)
{
    submit<bool>(
        nullptr, {},
        [ip](SqlSessionWorker &worker) {
            return static_cast<PostgresSessionWorker &>(worker).authSuccess(ip);
        },
        kAuthLane);
}

void PostgresSessionStore::clearAuthFailures(const QString &ip)
{
    submit<bool>(
        nullptr, {},
        [ip](SqlSessionWorker &worker) {
            return static_cast<PostgresSessionWorker &>(worker).authClear(ip);
        },
        kAuthLane);
}

void PostgresSessionStore::sharedLockouts(QObject *context, Callback<QList<Lockout>> done)
{
    submit<QList<Lockout>>(
        context, std::move(done),
        [](SqlSessionWorker &worker) {
            return static_cast<PostgresSessionWorker &>(worker).lockouts();
        },
        kAuthLane);
}

} // namespace passerelle
