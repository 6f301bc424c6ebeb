#pragma once

// Per-client-IP failed-auth limiter (SPEC.md section 5): maxAttempts wrong secrets inside windowMs
// lock the IP for lockoutMs. Bounded memory (oldest entries evicted). Time comes from a clock the
// tests can drive. Lives on the server thread; not thread-safe.

#include "config/GatewayConfig.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <functional>

namespace passerelle {

struct Lockout
{
    QString ip;
    qint64 untilMs = 0; // clock time the lockout ends
    int failures = 0;
    qint64 remainingMs = 0; // how long it still lasts when the list was taken (for the panel)
};

class AuthRateLimiter
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit AuthRateLimiter(Clock clock = {}); // default: QElapsedTimer-based monotonic clock
    void setConfig(const RateLimitConfig &config);
    RateLimitConfig config() const { return m_config; }

    // > 0: the IP is locked out, retry after this many milliseconds. 0: may try.
    qint64 lockedForMs(const QHostAddress &ip);
    // Records a wrong secret. Returns true when this failure started a lockout.
    bool recordFailure(const QHostAddress &ip);
    void recordSuccess(const QHostAddress &ip);
    // Locks `ip` (an address as keyOf() writes it) for `ms` from now, as another gateway sharing
    // the limiter state decided; never shortens a lockout. True when it was not locked before.
    bool lockFor(const QString &ip, qint64 ms);
    bool isTracked(const QHostAddress &ip) const { return m_entries.contains(keyOf(ip)); }
    bool isExempt(const QHostAddress &ip) const; // loopback with exemptLoopback
    void clear(const QString &ip);
    QList<Lockout> lockouts(); // current lockouts, for the panel
    int trackedIps() const { return int(m_entries.size()); }

    // The Retry-After value for a lockout: whole seconds, rounded up, at least 1.
    static qint64 retryAfterSeconds(qint64 lockedForMs);

    static constexpr int kMaxTrackedIps = 10000;

    // The address as the limiter counts it: ::ffff:a.b.c.d is a.b.c.d.
    static QString keyOf(const QHostAddress &ip);

private:
    struct Entry
    {
        QList<qint64> failures;
        qint64 lockedUntil = 0;
        qint64 lastSeen = 0;
    };
    void prune(qint64 now);
    void evictOne();
    Entry &entryFor(const QString &key, qint64 now); // made (within the bound) when missing

    Clock m_clock;
    RateLimitConfig m_config;
    QHash<QString, Entry> m_entries;
};

} // namespace passerelle
