#include "store/PostgresSessionWorker.h"

#include "Logging.h"
#include "store/SchemaSteps.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QVariant>

namespace passerelle {

namespace {

// The advisory lock every gateway takes to migrate the shared schema ("passerel" in ASCII).
constexpr qint64 kSchemaLock = 0x7061737365726c;
const QLatin1String kLockoutChannel("passerelle_lockouts");
// Rows of the limiter older than this, and not locked, are swept (bounded table).
constexpr qint64 kAuthRowTtlMs = 24LL * 3600 * 1000;
constexpr qint64 kSweepEveryMs = 60000;

} // namespace

PostgresSessionWorker::PostgresSessionWorker(const StoreConfig &config, const QString &password,
                                             bool listens, Hooks hooks)
    : SqlSessionWorker(QStringLiteral("passerelle-postgres")), m_config(config),
      m_password(password), m_listens(listens), m_hooks(std::move(hooks))
{
}

PostgresSessionWorker::~PostgresSessionWorker() = default;

void PostgresSessionWorker::start()
{
    m_timer = new QTimer(this);
    m_timer->setInterval(m_listens ? kPingMs : kRetryMs);
    connect(m_timer, &QTimer::timeout, this, &PostgresSessionWorker::tick);
    m_timer->start();
    m_lastSweep.start();
    open();
}

StoreResult<bool> PostgresSessionWorker::open()
{
    m_lastAttempt.start();
    close();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        lost(QStringLiteral("the Qt PostgreSQL driver (QPSQL, Debian package libqt6sql6-psql) is "
                            "not installed"));
        return {false, false, m_unavailable};
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    db.setHostName(m_config.host);
    db.setPort(m_config.port);
    db.setDatabaseName(m_config.database);
    db.setUserName(m_config.user);
    db.setPassword(m_password);
    // A dead server is noticed within seconds, never a TCP timeout of minutes.
    db.setConnectOptions(QStringLiteral("connect_timeout=3;sslmode=%1;keepalives=1;"
                                        "keepalives_idle=5;keepalives_interval=2;"
                                        "keepalives_count=2;application_name=passerelle")
                             .arg(m_config.sslmode));
    if (!db.open()) {
        lost(db.lastError().text().trimmed());
        return {false, false, m_unavailable};
    }
    if (const QString problem = migrate(); !problem.isEmpty()) {
        lost(problem);
        return {false, false, m_unavailable};
    }
    if (m_listens) {
        QSqlDriver *driver = db.driver();
        connect(driver, &QSqlDriver::notification, this, &PostgresSessionWorker::onNotification);
        if (!driver->subscribeToNotification(kLockoutChannel)) {
            lost(QStringLiteral("cannot listen on %1: %2")
                     .arg(kLockoutChannel, driver->lastError().text()));
            return {false, false, m_unavailable};
        }
    }
    m_unavailable.clear();
    m_lastReason.clear();
    if (m_listens && m_hooks.lockout) {
        // What was announced while this connection was not listening.
        const StoreResult<QList<Lockout>> current = lockouts();
        for (const Lockout &l : current.value)
            m_hooks.lockout(l.ip, l.remainingMs);
    }
    if (m_reported != 1) {
        if (m_reported == 0)
            qCInfo(lcSessions).noquote() << "session store reachable again";
        m_reported = 1;
        if (m_hooks.connection)
            m_hooks.connection(true, {});
    }
    return {true, true, {}};
}

QString PostgresSessionWorker::migrate()
{
    QSqlDatabase db = database();
    QSqlQuery query(db);
    // No NOTICE on stderr for the IF NOT EXISTS below.
    query.exec(QStringLiteral("SET client_min_messages TO warning"));
    // Held by this connection until unlocked or closed: a second gateway starting at the same
    // moment waits here, then finds every step done.
    if (!query.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kSchemaLock)))
        return QStringLiteral("cannot lock the schema: ") + query.lastError().text();
    const auto unlockWith = [&](const QString &problem) {
        query.finish();
        query.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kSchemaLock));
        return problem;
    };
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS passerelle_schema ("
                                   " version INTEGER PRIMARY KEY,"
                                   " what TEXT NOT NULL,"
                                   " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"))
        || !query.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM passerelle_schema"))
        || !query.next())
        return unlockWith(query.lastError().text());
    const int current = query.value(0).toInt();
    query.finish();
    if (current > SchemaSteps::latest())
        return unlockWith(
            QStringLiteral("the database has schema version %1; this build knows up to %2")
                .arg(current)
                .arg(SchemaSteps::latest()));
    for (const SchemaStep &step : SchemaSteps::all()) {
        if (step.version <= current)
            continue;
        if (!db.transaction())
            return unlockWith(db.lastError().text());
        bool ok = true;
        for (const char *statement : step.postgres)
            ok = ok && query.exec(QString::fromUtf8(statement));
        if (ok) {
            query.prepare(
                QStringLiteral("INSERT INTO passerelle_schema(version, what) VALUES(?, ?)"));
            query.addBindValue(step.version);
            query.addBindValue(QString::fromLatin1(step.what));
            ok = query.exec();
        }
        const QString error = query.lastError().text();
        query.finish();
        if (!ok || !db.commit()) {
            const QString why = ok ? db.lastError().text() : error;
            db.rollback();
            return unlockWith(QStringLiteral("migration %1: %2").arg(step.version).arg(why));
        }
        qCInfo(lcSessions).noquote()
            << "session store: schema step" << step.version << "(" << step.what << ") applied";
    }
    return unlockWith({});
}

void PostgresSessionWorker::lost(const QString &why)
{
    // The connection is closed by the next open(), once no query of the failed call holds it.
    m_unavailable = QStringLiteral("the session store is unavailable: ") + why;
    if (why != m_lastReason) {
        qCWarning(lcSessions).noquote()
            << "session store" << m_config.host << "unreachable:" << why;
        m_lastReason = why;
    }
    if (m_reported != 0) {
        m_reported = 0;
        if (m_hooks.connection)
            m_hooks.connection(false, why);
    }
}

bool PostgresSessionWorker::ready(QString *why)
{
    // While down, a call tries again at most every kRetryMs; between, it fails at once.
    if (!m_unavailable.isEmpty()
        && (!m_lastAttempt.isValid() || m_lastAttempt.elapsed() >= kRetryMs))
        open();
    *why = m_unavailable;
    return m_unavailable.isEmpty();
}

void PostgresSessionWorker::failed()
{
    if (!m_unavailable.isEmpty())
        return;
    // A statement can fail for its own reasons (a constraint, a trigger); the connection is lost
    // only when it no longer answers at all.
    QSqlDatabase db = database();
    QSqlQuery ping(db);
    if (db.isOpen() && ping.exec(QStringLiteral("SELECT 1")))
        return;
    const QString why = ping.lastError().text().trimmed();
    lost(why.isEmpty() ? QStringLiteral("connection lost") : why);
}

void PostgresSessionWorker::probe()
{
    if (m_unavailable.isEmpty())
        failed();
}

void PostgresSessionWorker::tick()
{
    if (!m_unavailable.isEmpty()) {
        open();
        return;
    }
    if (!m_listens)
        return;
    probe();
    if (m_unavailable.isEmpty() && m_lastSweep.elapsed() >= kSweepEveryMs) {
        m_lastSweep.restart();
        QSqlQuery sweep(database());
        sweep.prepare(
            QStringLiteral("DELETE FROM auth_failures WHERE updated_at < "
                           "passerelle_now_ms() - ? AND locked_until <= passerelle_now_ms()"));
        sweep.addBindValue(kAuthRowTtlMs);
        if (!sweep.exec())
            failure<bool>(QStringLiteral("cannot sweep the limiter state:"), sweep.lastError());
    }
}

void PostgresSessionWorker::onNotification(const QString &name, QSqlDriver::NotificationSource,
                                           const QVariant &payload)
{
    if (name != kLockoutChannel || !m_hooks.lockout)
        return;
    const QStringList parts = payload.toString().split(QLatin1Char(' '));
    bool ok = false;
    const qint64 ms = parts.value(1).toLongLong(&ok);
    if (parts.size() == 2 && ok && ms >= 0)
        m_hooks.lockout(parts.at(0), ms);
}

StoreResult<qint64> PostgresSessionWorker::authFailure(const QString &ip, int maxAttempts,
                                                       qint64 windowMs, qint64 lockoutMs)
{
    StoreResult<qint64> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT passerelle_auth_failure(?, ?, ?, ?)"));
    query.addBindValue(ip);
    query.addBindValue(maxAttempts);
    query.addBindValue(windowMs);
    query.addBindValue(lockoutMs);
    if (!query.exec() || !query.next())
        return failure<qint64>(QStringLiteral("cannot record a failed authentication:"),
                               query.lastError());
    result.value = query.value(0).toLongLong();
    return result;
}

StoreResult<bool> PostgresSessionWorker::authSuccess(const QString &ip)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "DELETE FROM auth_failures WHERE ip = ? AND locked_until <= passerelle_now_ms()"));
    query.addBindValue(ip);
    if (!query.exec())
        return failure<bool>(QStringLiteral("cannot reset failed authentications:"),
                             query.lastError());
    result.value = query.numRowsAffected() > 0;
    return result;
}

StoreResult<bool> PostgresSessionWorker::authClear(const QString &ip)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    QSqlDatabase db = database();
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM auth_failures WHERE ip = ?"));
    query.addBindValue(ip);
    if (!query.exec())
        return rollback(query, QStringLiteral("cannot clear a lockout:"));
    query.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    query.addBindValue(QString(kLockoutChannel));
    query.addBindValue(QString(ip + QStringLiteral(" 0")));
    if (!query.exec())
        return rollback(query, QStringLiteral("cannot announce a cleared lockout:"));
    query.finish();
    return commit();
}

StoreResult<QList<Lockout>> PostgresSessionWorker::lockouts()
{
    StoreResult<QList<Lockout>> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral(
            "SELECT ip, locked_until - passerelle_now_ms(), cardinality(failures)"
            " FROM auth_failures WHERE locked_until > passerelle_now_ms() ORDER BY locked_until")))
        return failure<QList<Lockout>>(QStringLiteral("cannot read the lockouts:"),
                                       query.lastError());
    while (query.next()) {
        Lockout l;
        l.ip = query.value(0).toString();
        l.remainingMs = query.value(1).toLongLong();
        l.failures = query.value(2).toInt();
        result.value.append(l);
    }
    return result;
}

} // namespace passerelle
