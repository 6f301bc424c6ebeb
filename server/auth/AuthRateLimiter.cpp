#include "auth/AuthRateLimiter.h"

#include <QElapsedTimer>

#include <algorithm>
#include <memory>

namespace passerelle {

namespace {

AuthRateLimiter::Clock monotonicClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return timer->elapsed(); };
}

} // namespace

AuthRateLimiter::AuthRateLimiter(Clock clock) : m_clock(clock ? std::move(clock) : monotonicClock())
{
}

void AuthRateLimiter::setConfig(const RateLimitConfig &config)
{
    m_config = config;
    if (m_config.maxAttempts <= 0)
        m_entries.clear();
}

QString AuthRateLimiter::keyOf(const QHostAddress &ip)
{
    // ::ffff:a.b.c.d is the same client as a.b.c.d (dual-stack listeners report both forms).
    bool isV4 = false;
    const quint32 v4 = ip.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    return ip.toString();
}

bool AuthRateLimiter::isExempt(const QHostAddress &ip) const
{
    return m_config.exemptLoopback && QHostAddress(keyOf(ip)).isLoopback();
}

qint64 AuthRateLimiter::lockedForMs(const QHostAddress &ip)
{
    if (m_config.maxAttempts <= 0 || isExempt(ip))
        return 0;
    const auto it = m_entries.find(keyOf(ip));
    if (it == m_entries.end())
        return 0;
    const qint64 now = m_clock();
    if (it->lockedUntil > now)
        return it->lockedUntil - now;
    if (it->lockedUntil != 0) {
        // The lockout is over: the count starts again from zero.
        m_entries.erase(it);
    }
    return 0;
}

bool AuthRateLimiter::recordFailure(const QHostAddress &ip)
{
    if (m_config.maxAttempts <= 0 || isExempt(ip))
        return false;
    const qint64 now = m_clock();
    const QString key = keyOf(ip);

    Entry &entry = entryFor(key, now);
    entry.lastSeen = now;
    if (entry.lockedUntil > now)
        return false; // already locked; the caller should not have checked the secret
    if (entry.lockedUntil != 0) {
        entry.lockedUntil = 0;
        entry.failures.clear();
    }

    const qint64 windowStart = now - m_config.windowMs;
    entry.failures.erase(std::remove_if(entry.failures.begin(), entry.failures.end(),
                                        [windowStart](qint64 t) { return t <= windowStart; }),
                         entry.failures.end());
    entry.failures.append(now);
    if (entry.failures.size() >= m_config.maxAttempts) {
        entry.lockedUntil = now + m_config.lockoutMs;
        return true;
    }
    return false;
}

AuthRateLimiter::Entry &AuthRateLimiter::entryFor(const QString &key, qint64 now)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        if (m_entries.size() >= kMaxTrackedIps) {
            prune(now);
            if (m_entries.size() >= kMaxTrackedIps)
                evictOne();
        }
        it = m_entries.insert(key, Entry());
    }
    return *it;
}

bool AuthRateLimiter::lockFor(const QString &ip, qint64 ms)
{
    const QHostAddress address(ip);
    if (m_config.maxAttempts <= 0 || ms <= 0 || address.isNull() || isExempt(address))
        return false;
    const qint64 now = m_clock();
    Entry &entry = entryFor(keyOf(address), now);
    const bool wasLocked = entry.lockedUntil > now;
    entry.lastSeen = now;
    entry.lockedUntil = std::max(entry.lockedUntil, now + ms);
    return !wasLocked;
}

void AuthRateLimiter::recordSuccess(const QHostAddress &ip)
{
    const auto it = m_entries.find(keyOf(ip));
    // A success never lifts a lockout: locked clients are refused before their secret is read.
    if (it != m_entries.end() && it->lockedUntil <= m_clock())
        m_entries.erase(it);
}

void AuthRateLimiter::clear(const QString &ip)
{
    const QHostAddress address(ip);
    m_entries.remove(address.isNull() ? ip : keyOf(address));
}

QList<Lockout> AuthRateLimiter::lockouts()
{
    const qint64 now = m_clock();
    prune(now);
    QList<Lockout> result;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it->lockedUntil > now)
            result.append(Lockout {it.key(), it->lockedUntil, int(it->failures.size()),
                                   it->lockedUntil - now});
    }
    std::sort(result.begin(), result.end(), [](const Lockout &a, const Lockout &b) {
        return a.untilMs != b.untilMs ? a.untilMs < b.untilMs : a.ip < b.ip;
    });
    return result;
}

qint64 AuthRateLimiter::retryAfterSeconds(qint64 lockedForMs)
{
    return std::max<qint64>(1, (lockedForMs + 999) / 1000);
}

void AuthRateLimiter::prune(qint64 now)
{
    const qint64 windowStart = now - m_config.windowMs;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const bool locked = it->lockedUntil > now;
        const bool recent = !it->failures.isEmpty() && it->failures.last() > windowStart;
        if (!locked && (it->lockedUntil != 0 || !recent))
            it = m_entries.erase(it);
        else
            ++it;
    }
}

void AuthRateLimiter::evictOne()
{
    // Least recently seen, sparing locked IPs while there is anything else: otherwise a spray
    // of fresh addresses would unlock an attacker.
    const qint64 now = m_clock();
    auto victim = m_entries.end();
    bool victimLocked = true;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const bool locked = it->lockedUntil > now;
        if (victim == m_entries.end() || (victimLocked && !locked)
            || (locked == victimLocked && it->lastSeen < victim->lastSeen)) {
            victim = it;
            victimLocked = locked;
        }
    }
    if (victim != m_entries.end())
        m_entries.erase(victim);
}

} // namespace passerelle
