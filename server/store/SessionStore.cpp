#include "store/SessionStore.h"

#include "Logging.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace passerelle {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

// Schema version 1. Timestamps are milliseconds since the epoch, UTC.
const char *const SchemaStatements[] = {
    "CREATE TABLE IF NOT EXISTS sessions ("
    " key TEXT PRIMARY KEY NOT NULL,"
    " agent_id TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS messages ("
    " id INTEGER PRIMARY KEY,"
    " session_key TEXT NOT NULL REFERENCES sessions(key),"
    " role TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " created_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_key, id)",
    "PRAGMA user_version = 1",
};

// Qt SQL binds a null QString as SQL NULL; an empty reply is still a reply.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

} // namespace

SessionStore::SessionStore()
    : m_connectionName(QStringLiteral("passerelle-sessions-%1").arg(++s_connectionCounter))
{
}

SessionStore::~SessionStore()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString SessionStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/sessions.sqlite");
}

bool SessionStore::open(const QString &path, QString *error)
{
    const auto failWith = [&](const QString &message) {
        qCWarning(lcSessions).noquote() << "cannot open the session store:" << message;
        if (error)
            *error = message;
        if (QSqlDatabase::contains(m_connectionName)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(m_connectionName);
        }
        return false;
    };

    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase old = QSqlDatabase::database(m_connectionName, false);
            old.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return failWith(QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));

    if (path != QLatin1String(":memory:")) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            return failWith(QStringLiteral("cannot create %1").arg(info.absolutePath()));
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return failWith(db.lastError().text());

    QSqlQuery query(db);
    // WAL: readers never block the writer and a crash mid-write loses at most the open
    // transaction; NORMAL is durable across an application crash (kill -9) in WAL mode.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL"))
        || !query.exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
        return failWith(query.lastError().text());
    for (const char *statement : SchemaStatements) {
        if (!query.exec(QString::fromLatin1(statement)))
            return failWith(query.lastError().text());
    }
    return true;
}

bool SessionStore::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName)
        && QSqlDatabase::database(m_connectionName, false).isOpen();
}

QList<ChatTurn> SessionStore::history(const QString &key, int limit) const
{
    QList<ChatTurn> turns;
    if (limit <= 0 || !isOpen())
        return turns;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT role, content FROM messages WHERE session_key = ?"
                                 " ORDER BY id DESC LIMIT ?"));
    query.addBindValue(key);
    query.addBindValue(limit);
    if (!query.exec()) {
        qCWarning(lcSessions).noquote() << "history query failed:" << query.lastError().text();
        return turns;
    }
    while (query.next())
        turns.prepend(ChatTurn {query.value(0).toString(), query.value(1).toString()});
    return turns;
}

QList<ChatTurn> SessionStore::modelContext(const QString &key, int limit) const
{
    QList<ChatTurn> turns = history(key, limit);
    while (!turns.isEmpty() && turns.first().role != QLatin1String("user"))
        turns.removeFirst();
    return turns;
}

bool SessionStore::appendTurn(const QString &key, const QString &agentId, const QString &userText,
                              const QString &assistantText)
{
    if (!isOpen() || key.isEmpty())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        qCWarning(lcSessions).noquote() << "cannot begin a transaction:" << db.lastError().text();
        return false;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(db);
    const auto rollback = [&](const QString &what) {
        qCWarning(lcSessions).noquote() << what << query.lastError().text();
        query.finish();
        db.rollback();
        return false;
    };

    query.prepare(QStringLiteral(
        "INSERT INTO sessions(key, agent_id, created_at, updated_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET agent_id = excluded.agent_id,"
        " updated_at = excluded.updated_at"));
    query.addBindValue(key);
    query.addBindValue(text(agentId));
    query.addBindValue(now);
    query.addBindValue(now);
    if (!query.exec())
        return rollback(QStringLiteral("cannot record the session:"));

    query.prepare(QStringLiteral(
        "INSERT INTO messages(session_key, role, content, created_at) VALUES(?, ?, ?, ?)"));
    const QString roles[] = {QStringLiteral("user"), QStringLiteral("assistant")};
    const QString *texts[] = {&userText, &assistantText};
    for (int i = 0; i < 2; ++i) {
        query.bindValue(0, key);
        query.bindValue(1, roles[i]);
        query.bindValue(2, text(*texts[i]));
        query.bindValue(3, now);
        if (!query.exec())
            return rollback(QStringLiteral("cannot append a message:"));
    }
    query.finish();
    if (!db.commit()) {
        qCWarning(lcSessions).noquote() << "commit failed:" << db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

QList<SessionInfo> SessionStore::sessions(int limit) const
{
    QList<SessionInfo> out;
    if (limit <= 0 || !isOpen())
        return out;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    // Newest first by the last message written (ids only grow), so two turns in the same
    // millisecond still order correctly.
    query.prepare(QStringLiteral(
        "SELECT s.key, s.agent_id, s.updated_at,"
        " (SELECT COUNT(*) FROM messages m WHERE m.session_key = s.key AND m.role = 'user'),"
        " (SELECT MAX(id) FROM messages m WHERE m.session_key = s.key) AS last_id"
        " FROM sessions s ORDER BY last_id DESC, s.updated_at DESC LIMIT ?"));
    query.addBindValue(limit);
    if (!query.exec()) {
        qCWarning(lcSessions).noquote() << "sessions query failed:" << query.lastError().text();
        return out;
    }
    while (query.next()) {
        SessionInfo info;
        info.key = query.value(0).toString();
        info.agentId = query.value(1).toString();
        info.updatedAt = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
        info.turns = query.value(3).toInt();
        out.append(info);
    }
    return out;
}

} // namespace passerelle
