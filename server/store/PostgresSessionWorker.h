#pragma once

// One connection of PostgresSessionStore's pool, in a thread of its own: connects with the
// configured role (the password handed in, never logged), brings the shared schema up to date
// under an advisory lock (whichever gateway gets there first runs each step, once), runs the
// queries of SqlSessionWorker and those of the shared failed-auth limiter, and notices a lost
// connection (a failed statement whose connection no longer answers, or a failed ping), then
// reconnects on its own timer. Created on the store's thread and moved into its lane's thread
// before that starts; every member runs there.

#include "auth/AuthRateLimiter.h"
#include "config/GatewayConfig.h"
#include "store/SqlSessionWorker.h"

#include <QElapsedTimer>
#include <QSqlDriver>

#include <functional>

class QTimer;

namespace passerelle {

class PostgresSessionWorker final : public SqlSessionWorker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PostgresSessionWorker)

public:
    struct Hooks
    {
        // The connection came up or went down (the first outcome of open(), then each change);
        // `why` says why it is down (no secret). Called on the worker's thread.
        std::function<void(bool up, const QString &why)> connection;
        // A lockout announced on the channel (this gateway's own included), or found in force
        // when the connection (re)opens; ms 0: cleared. Only for the worker that listens.
        std::function<void(const QString &ip, qint64 ms)> lockout;
    };

    PostgresSessionWorker(const StoreConfig &config, const QString &password, bool listens,
                          Hooks hooks);
    ~PostgresSessionWorker() override;

    StoreResult<bool> open() override;
    // Starts the worker's timer (a ping while up, a reconnection attempt while down) and opens.
    void start();
    // Checks the connection now (another lane found it lost).
    void probe();

    // The shared failed-auth limiter (SchemaSteps step 3): a wrong secret from `ip`; the value
    // is how long it is locked out now (0: not locked).
    StoreResult<qint64> authFailure(const QString &ip, int maxAttempts, qint64 windowMs,
                                    qint64 lockoutMs);
    StoreResult<bool> authSuccess(const QString &ip);
    StoreResult<bool> authClear(const QString &ip);
    StoreResult<QList<Lockout>> lockouts();

    static constexpr int kRetryMs = 500; // between connection attempts while down
    static constexpr int kPingMs = 1000; // between pings of the listening worker while up

protected:
    bool ready(QString *why) override;
    void failed() override;

private:
    QString migrate(); // "" once the schema is current, else why not
    void lost(const QString &why);
    void tick();
    void onNotification(const QString &name, QSqlDriver::NotificationSource source,
                        const QVariant &payload);

    StoreConfig m_config;
    QString m_password;
    bool m_listens = false;
    Hooks m_hooks;
    QTimer *m_timer = nullptr; // child, made in start()
    QElapsedTimer m_lastAttempt;
    QElapsedTimer m_lastSweep;
    int m_reported = -1; // the last state told to the hook: -1 none yet, 0 down, 1 up
    QString m_lastReason; // logged once per change
};

} // namespace passerelle
