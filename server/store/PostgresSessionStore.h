#pragma once

// The SessionStore that several gateways share (passerelle.store kind "postgres"): a PostgreSQL
// database reached through Qt SQL's QPSQL driver by a small pool of connections, each a lane with
// a thread of its own (PostgresSessionWorker), so the server thread never waits on the network.
// Calls go round-robin to the lanes whose connection is up. Available while one is; when the
// database goes away calls fail (the engine answers 503) until a lane reconnects, on its own.
// Also holds the failed-auth limiter state the gateways share. Lives on the server thread.

#include "config/GatewayConfig.h"
#include "store/SqlSessionStore.h"

#include <QList>

namespace passerelle {

class PostgresSessionStore final : public SqlSessionStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PostgresSessionStore)

public:
    // Starts connecting every lane; `password` (from the environment variable the config names)
    // goes to the driver only. Opening until the first lane answers.
    PostgresSessionStore(const StoreConfig &config, const QString &password,
                         QObject *parent = nullptr);
    ~PostgresSessionStore() override = default;

    QString kind() const override { return QStringLiteral("postgres"); }
    QString location() const override; // postgres://user@host:port/database, no secret
    QString unavailableReason() const override { return m_reason; }

    bool isShared() const override { return true; }
    bool sharesAuthState() const override { return true; }
    void recordAuthFailure(const QString &ip, const RateLimitConfig &limits, QObject *context,
                           Callback<qint64> done) override;
    void recordAuthSuccess(const QString &ip) override;
    void clearAuthFailures(const QString &ip) override;
    void sharedLockouts(QObject *context, Callback<QList<Lockout>> done) override;

protected:
    int pickLane() override;

private:
    // The failed-auth calls all go to one lane, so that this gateway's successes and failures of
    // an address reach the database in the order they happened.
    static constexpr int kAuthLane = 0;

    void laneChanged(int lane, bool up, const QString &why);

    StoreConfig m_config;
    QList<bool> m_up; // per lane
    QList<bool> m_heard; // per lane: its first outcome has come
    QString m_reason;
    int m_next = 0;
};

} // namespace passerelle
