#include "store/SqliteSessionWorker.h"

#include "Logging.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace passerelle {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

// The schema as numbered migrations: a database at PRAGMA user_version n gets every step above n,
// each in one transaction with its version bump, so a crash mid-migration leaves the previous
// version whole. Steps are appended, never edited once released. Timestamps are milliseconds
// since the epoch, UTC.
struct Migration
{
    int version;
    QList<const char *> statements;
};

const QList<Migration> &migrations()
{
    static const QList<Migration> steps {
        // 1: session transcripts (SPEC section 7). IF NOT EXISTS: databases made before the
        // migrations existed already hold these tables at version 1.
        {1,
         {"CREATE TABLE IF NOT EXISTS sessions ("
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
          "CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_key, id)"}},
        // 2: stored responses (SPEC section 11). `seq` orders them by age for the maxStored
        // bound; `turns`, `input` and `body` are JSON documents.
        {2,
         {"CREATE TABLE responses ("
          " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
          " id TEXT NOT NULL UNIQUE,"
          " parent_id TEXT NOT NULL,"
          " session_key TEXT NOT NULL,"
          " agent_id TEXT NOT NULL,"
          " principal TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " turns TEXT NOT NULL,"
          " input TEXT NOT NULL,"
          " body TEXT NOT NULL,"
          " input_tokens INTEGER NOT NULL,"
          " output_tokens INTEGER NOT NULL,"
          " usage_known INTEGER NOT NULL)"}},
        // 3: usage per token (SPEC section 12), one row per UTC day (an ISO date, "2026-03-01")
        // and token name ("main" for the gateway's own credential).
        {3,
         {"CREATE TABLE token_usage ("
          " day TEXT NOT NULL,"
          " token TEXT NOT NULL,"
          " requests INTEGER NOT NULL DEFAULT 0,"
          " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
          " completion_tokens INTEGER NOT NULL DEFAULT 0,"
          " errors INTEGER NOT NULL DEFAULT 0,"
          " PRIMARY KEY (day, token))"}},
    };
    return steps;
}

// A chain is walked parent by parent; this bounds a walk whatever the data says.
constexpr int kMaxChainDepth = 100000;

QString isoDay(const QDate &day)
{
    return day.toString(Qt::ISODate);
}

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

// Commits the open transaction, or rolls it back and says why.
StoreResult<bool> commit(QSqlDatabase &db)
{
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return failure<bool>(QStringLiteral("commit failed:"), error);
    }
    return {true, true, {}};
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
    query.finish();
    if (const QString problem = migrate(); !problem.isEmpty())
        return failWith(problem);
    m_unavailable.clear();
    return {true, true, {}};
}

int SqliteSessionWorker::schemaVersion()
{
    return migrations().last().version;
}

QString SqliteSessionWorker::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return query.lastError().text();
    const int current = query.value(0).toInt();
    query.finish();
    if (current > schemaVersion())
        return QStringLiteral("the database has schema version %1; this build knows up to %2")
            .arg(current)
            .arg(schemaVersion());
    for (const Migration &step : migrations()) {
        if (step.version <= current)
            continue;
        if (!db.transaction())
            return db.lastError().text();
        for (const char *statement : step.statements) {
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

StoreResult<bool> SqliteSessionWorker::addUsage(const QList<TokenUsageDay> &deltas)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO token_usage(day, token, requests, prompt_tokens, completion_tokens, errors)"
        " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(day, token) DO UPDATE SET"
        " requests = requests + excluded.requests,"
        " prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
        " completion_tokens = completion_tokens + excluded.completion_tokens,"
        " errors = errors + excluded.errors"));
    for (const TokenUsageDay &d : deltas) {
        if (d.token.isEmpty() || !d.day.isValid()) {
            query.finish();
            db.rollback();
            return {false, false, QStringLiteral("a usage bucket needs a token and a day")};
        }
        query.bindValue(0, isoDay(d.day));
        query.bindValue(1, d.token);
        query.bindValue(2, d.counts.requests);
        query.bindValue(3, d.counts.promptTokens);
        query.bindValue(4, d.counts.completionTokens);
        query.bindValue(5, d.counts.errors);
        if (!query.exec()) {
            const QSqlError error = query.lastError();
            query.finish();
            db.rollback();
            return failure<bool>(QStringLiteral("cannot add usage:"), error);
        }
    }
    query.finish();
    return commit(db);
}

StoreResult<QList<TokenUsageDay>> SqliteSessionWorker::usageDays(const QDate &from,
                                                                 const QDate &to) const
{
    StoreResult<QList<TokenUsageDay>> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral(
        "SELECT day, token, requests, prompt_tokens, completion_tokens, errors FROM token_usage"
        " WHERE day >= ? AND day <= ? ORDER BY day, token"));
    query.addBindValue(isoDay(from));
    query.addBindValue(isoDay(to));
    if (!query.exec())
        return failure<QList<TokenUsageDay>>(QStringLiteral("usage query failed:"),
                                             query.lastError());
    while (query.next()) {
        TokenUsageDay d;
        d.day = QDate::fromString(query.value(0).toString(), Qt::ISODate);
        d.token = query.value(1).toString();
        d.counts = {query.value(2).toLongLong(), query.value(3).toLongLong(),
                    query.value(4).toLongLong(), query.value(5).toLongLong()};
        result.value.append(d);
    }
    return result;
}

StoreResult<QList<TokenUsageSummary>> SqliteSessionWorker::usageSummary(const QDate &today) const
{
    StoreResult<QList<TokenUsageSummary>> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    const auto sums = [](const char *when) {
        QString out;
        for (const char *column : {"requests", "prompt_tokens", "completion_tokens", "errors"})
            out += QStringLiteral(", SUM(CASE WHEN %1 THEN %2 ELSE 0 END)")
                       .arg(QLatin1String(when), QLatin1String(column));
        return out;
    };
    query.prepare(QStringLiteral("SELECT token") + sums("day = :today")
                  + sums("day > :weekAgo AND day <= :today") + sums("1")
                  + QStringLiteral(" FROM token_usage GROUP BY token ORDER BY token"));
    query.bindValue(QStringLiteral(":today"), isoDay(today));
    query.bindValue(QStringLiteral(":weekAgo"), isoDay(today.addDays(-7)));
    if (!query.exec())
        return failure<QList<TokenUsageSummary>>(QStringLiteral("usage query failed:"),
                                                 query.lastError());
    const auto counts = [&query](int first) {
        return UsageCounts {query.value(first).toLongLong(), query.value(first + 1).toLongLong(),
                            query.value(first + 2).toLongLong(),
                            query.value(first + 3).toLongLong()};
    };
    while (query.next()) {
        TokenUsageSummary s;
        s.token = query.value(0).toString();
        s.today = counts(1);
        s.last7Days = counts(5);
        s.total = counts(9);
        result.value.append(s);
    }
    return result;
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
    return commit(db);
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

StoreResult<bool> SqliteSessionWorker::storeResponse(const StoredResponse &response, int maxStored)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    if (response.id.isEmpty())
        return {false, false, QStringLiteral("a stored response needs an id")};
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    QSqlQuery query(db);
    const auto rollback = [&](const QString &what) {
        const QSqlError error = query.lastError();
        query.finish();
        db.rollback();
        return failure<bool>(what, error);
    };
    // A new seq even for a replaced id: it counts as the newest.
    query.prepare(QStringLiteral("DELETE FROM responses WHERE id = ?"));
    query.addBindValue(response.id);
    if (!query.exec())
        return rollback(QStringLiteral("cannot replace a stored response:"));
    query.prepare(QStringLiteral(
        "INSERT INTO responses(id, parent_id, session_key, agent_id, principal, created_at, turns,"
        " input, body, input_tokens, output_tokens, usage_known)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QDateTime created
        = response.createdAt.isValid() ? response.createdAt : QDateTime::currentDateTimeUtc();
    query.addBindValue(response.id);
    query.addBindValue(text(response.parentId));
    query.addBindValue(text(response.sessionKey));
    query.addBindValue(text(response.agentId));
    query.addBindValue(text(response.principal));
    query.addBindValue(created.toMSecsSinceEpoch());
    query.addBindValue(QString::fromUtf8(SessionStore::turnsToJson(response.turns)));
    query.addBindValue(text(QString::fromUtf8(response.input)));
    query.addBindValue(text(QString::fromUtf8(response.body)));
    query.addBindValue(response.usage.promptTokens);
    query.addBindValue(response.usage.completionTokens);
    query.addBindValue(response.usage.known ? 1 : 0);
    if (!query.exec())
        return rollback(QStringLiteral("cannot store a response:"));
    // The bound: the oldest beyond maxStored go, in the same transaction.
    query.prepare(QStringLiteral("DELETE FROM responses WHERE seq <= (SELECT seq FROM responses"
                                 " ORDER BY seq DESC LIMIT 1 OFFSET ?)"));
    query.addBindValue(qMax(maxStored, 1));
    if (!query.exec())
        return rollback(QStringLiteral("cannot drop old responses:"));
    query.finish();
    return commit(db);
}

std::optional<StoredResponse> SqliteSessionWorker::findResponse(const QString &id,
                                                                QString *error) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral(
        "SELECT id, parent_id, session_key, agent_id, principal, created_at, turns, input, body,"
        " input_tokens, output_tokens, usage_known FROM responses WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        *error = QStringLiteral("response query failed: ") + query.lastError().text();
        qCWarning(lcSessions).noquote() << *error;
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    StoredResponse r;
    r.id = query.value(0).toString();
    r.parentId = query.value(1).toString();
    r.sessionKey = query.value(2).toString();
    r.agentId = query.value(3).toString();
    r.principal = query.value(4).toString();
    r.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(5).toLongLong(), Qt::UTC);
    r.turns = SessionStore::turnsFromJson(query.value(6).toString().toUtf8());
    r.input = query.value(7).toString().toUtf8();
    r.body = query.value(8).toString().toUtf8();
    r.usage.promptTokens = query.value(9).toLongLong();
    r.usage.completionTokens = query.value(10).toLongLong();
    r.usage.known = query.value(11).toInt() != 0;
    return r;
}

StoreResult<std::optional<StoredResponse>>
SqliteSessionWorker::response(const QString &id, const ResponseScope &scope) const
{
    StoreResult<std::optional<StoredResponse>> result;
    if (!usable(&result))
        return result;
    QString error;
    std::optional<StoredResponse> found = findResponse(id, &error);
    if (!error.isEmpty())
        return {false, std::nullopt, error};
    if (found && scope.covers(*found))
        result.value = std::move(found);
    return result;
}

StoreResult<ResponseChain>
SqliteSessionWorker::responseChain(const QString &id, const ResponseScope &scope, int limit) const
{
    StoreResult<ResponseChain> result;
    if (!usable(&result))
        return result;
    QString error;
    std::optional<StoredResponse> tip = findResponse(id, &error);
    if (!error.isEmpty())
        return {false, {}, error};
    if (!tip || !scope.covers(*tip))
        return result;
    result.value.found = true;
    result.value.sessionKey = tip->sessionKey;
    // Walk back to the first response (or to a parent no longer stored) until the limit is met;
    // every link is made by the same credential (the parent was in its scope when it was named).
    QList<ChatTurn> turns = tip->turns;
    QString parent = tip->parentId;
    QSet<QString> seen {tip->id};
    while (turns.size() < limit && !parent.isEmpty() && !seen.contains(parent)
           && seen.size() < kMaxChainDepth) {
        seen.insert(parent);
        const std::optional<StoredResponse> earlier = findResponse(parent, &error);
        if (!error.isEmpty())
            return {false, {}, error};
        if (!earlier)
            break;
        turns = earlier->turns + turns;
        parent = earlier->parentId;
    }
    if (limit <= 0)
        turns.clear();
    else if (turns.size() > limit)
        turns = turns.mid(turns.size() - limit);
    result.value.turns = std::move(turns);
    return result;
}

StoreResult<bool> SqliteSessionWorker::deleteResponse(const QString &id, const ResponseScope &scope)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    QString error;
    const std::optional<StoredResponse> found = findResponse(id, &error);
    if (!error.isEmpty())
        return {false, false, error};
    if (!found || !scope.covers(*found))
        return result; // ok, nothing removed
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM responses WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return failure<bool>(QStringLiteral("cannot delete a response:"), query.lastError());
    result.value = query.numRowsAffected() > 0;
    return result;
}

} // namespace passerelle
