#include "store/SqliteSessionWorker.h"

#include "Logging.h"
#include "store/SchemaSteps.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace passerelle {

SqliteSessionWorker::SqliteSessionWorker(QString path)
    : SqlSessionWorker(QStringLiteral("passerelle-sessions")), m_path(std::move(path))
{
}

StoreResult<bool> SqliteSessionWorker::open()
{
    const auto failWith = [&](const QString &message) {
        qCWarning(lcSessions).noquote() << "cannot open the session store:" << message;
        close();
        m_unavailable = QStringLiteral("the session store is unavailable: ") + message;
        return StoreResult<bool> {false, false, m_unavailable};
    };

    close();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return failWith(QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));

    if (m_path != QLatin1String(":memory:")) {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath()))
            return failWith(QStringLiteral("cannot create %1").arg(info.absolutePath()));
    }

    // Every handle on the connection goes before a failure closes it (else Qt warns that the
    // connection is still in use).
    QString problem;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            problem = db.lastError().text();
        } else {
            QSqlQuery query(db);
            // WAL: readers never block the writer and a crash mid-write loses at most the open
            // transaction; NORMAL is durable across an application crash (kill -9) in WAL mode.
            if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL"))
                || !query.exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
                problem = query.lastError().text();
        }
    }
    if (!problem.isEmpty())
        return failWith(problem);
    if (problem = migrate(); !problem.isEmpty())
        return failWith(problem);
    m_unavailable.clear();
    return {true, true, {}};
}

int SqliteSessionWorker::schemaVersion()
{
    return SchemaSteps::latest();
}

QString SqliteSessionWorker::migrate()
{
    QSqlDatabase db = database();
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return query.lastError().text();
    const int current = query.value(0).toInt();
    query.finish();
    if (current > schemaVersion())
        return QStringLiteral("the database has schema version %1; this build knows up to %2")
            .arg(current)
            .arg(schemaVersion());
    for (const SchemaStep &step : SchemaSteps::all()) {
        if (step.version <= current)
            continue;
        if (!db.transaction())
            return db.lastError().text();
        for (const char *statement : step.sqlite) {
            if (!query.exec(QString::fromLatin1(statement))) {
                const QString error = query.lastError().text();
                query.finish();
                db.rollback();
                return QStringLiteral("migration %1: %2").arg(step.version).arg(error);
            }
        }
        // PRAGMA takes no bound value; the number is ours.
        if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(step.version))) {
            const QString error = query.lastError().text();
            query.finish();
            db.rollback();
            return error;
        }
        query.finish();
        if (!db.commit()) {
            const QString error = db.lastError().text();
            db.rollback();
            return error;
        }
    }
    return {};
}

} // namespace passerelle
