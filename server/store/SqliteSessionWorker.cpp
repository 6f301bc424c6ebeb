#include "store/SqliteSessionWorker.h"

#include "Logging.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
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

template<typename T> StoreResult<T> failure(const QString &what, const QSqlError &error)
{
    const QString message = what + QLatin1Char(' ') + error.text();
    qCWarning(lcSessions).noquote() << message;
    return {false, {}, message};
}

} // namespace

SqliteSessionWorker::SqliteSessionWorker(QString path)
    : m_path(std::move(path)),
      m_connectionName(QStringLiteral("passerelle-sessions-%1").arg(++s_connectionCounter)),
      m_unavailable(QStringLiteral("the session store is not open"))
{
}

SqliteSessionWorker::~SqliteSessionWorker()
{
    close();
}

void SqliteSessionWorker::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

template<typename T> bool SqliteSessionWorker::usable(StoreResult<T> *result) const
{
    result->ok = m_unavailable.isEmpty();
    result->error = m_unavailable;
    return result->ok;
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

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
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
    m_unavailable.clear();
    return {true, true, {}};
}

StoreResult<QList<ChatTurn>> SqliteSessionWorker::history(const QString &key, int limit) const
{
    StoreResult<QList<ChatTurn>> result;
    if (!usable(&result) || limit <= 0)
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT role, content FROM messages WHERE session_key = ?"
                                 " ORDER BY id DESC LIMIT ?"));
    query.addBindValue(key);
    query.addBindValue(limit);
    if (!query.exec())
        return failure<QList<ChatTurn>>(QStringLiteral("history query failed:"), query.lastError());
    while (query.next())
        result.value.prepend(ChatTurn {query.value(0).toString(), query.value(1).toString()});
    return result;
}

StoreResult<bool> SqliteSessionWorker::appendTurn(const StoredTurn &turn)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    if (turn.sessionKey.isEmpty())
        return {false, false, QStringLiteral("a turn needs a session key")};
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(db);
    const auto rollback = [&](const QString &what) {
        const QSqlError error = query.lastError();
        query.finish();
        db.rollback();
        return failure<bool>(what, error);
    };

    query.prepare(QStringLiteral(
        "INSERT INTO sessions(key, agent_id, created_at, updated_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET agent_id = excluded.agent_id,"
        " updated_at = excluded.updated_at"));
    query.addBindValue(turn.sessionKey);
    query.addBindValue(text(turn.agentId));
    query.addBindValue(now);
    query.addBindValue(now);
    if (!query.exec())
        return rollback(QStringLiteral("cannot record the session:"));

    query.prepare(QStringLiteral(
        "INSERT INTO messages(session_key, role, content, created_at) VALUES(?, ?, ?, ?)"));
    const QString roles[] = {QStringLiteral("user"), QStringLiteral("assistant")};
    const QString *texts[] = {&turn.userText, &turn.assistantText};
    for (int i = 0; i < 2; ++i) {
        query.bindValue(0, turn.sessionKey);
        query.bindValue(1, roles[i]);
        query.bindValue(2, text(*texts[i]));
        query.bindValue(3, now);
        if (!query.exec())
            return rollback(QStringLiteral("cannot append a message:"));
    }
    query.finish();
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return failure<bool>(QStringLiteral("commit failed:"), error);
    }
    return {true, true, {}};
}

StoreResult<QList<SessionInfo>> SqliteSessionWorker::sessions(int limit) const
{
    StoreResult<QList<SessionInfo>> result;
    if (!usable(&result) || limit <= 0)
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    // Newest first by the last message written (ids only grow), so two turns in the same
    // millisecond still order correctly.
    query.prepare(QStringLiteral(
        "SELECT s.key, s.agent_id, s.updated_at,"
        " (SELECT COUNT(*) FROM messages m WHERE m.session_key = s.key AND m.role = 'user'),"
        " (SELECT MAX(id) FROM messages m WHERE m.session_key = s.key) AS last_id"
        " FROM sessions s ORDER BY last_id DESC, s.updated_at DESC LIMIT ?"));
    query.addBindValue(limit);
    if (!query.exec())
        return failure<QList<SessionInfo>>(QStringLiteral("sessions query failed:"),
                                           query.lastError());
    while (query.next()) {
        SessionInfo info;
        info.key = query.value(0).toString();
        info.agentId = query.value(1).toString();
        info.updatedAt = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
        info.turns = query.value(3).toInt();
        result.value.append(info);
    }
    return result;
}

} // namespace passerelle
