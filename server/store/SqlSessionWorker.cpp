#include "store/SqlSessionWorker.h"

#include "Logging.h"

#include <QAtomicInteger>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace passerelle {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

// A chain is walked parent by parent; this bounds a walk whatever the data says.
constexpr int kMaxChainDepth = 100000;

// Qt SQL binds a null QString as SQL NULL; an empty reply is still a reply.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

QString isoDay(const QDate &day)
{
    return day.toString(Qt::ISODate);
}

} // namespace

SqlSessionWorker::SqlSessionWorker(const QString &connectionPrefix)
    : m_connectionName(QStringLiteral("%1-%2").arg(connectionPrefix).arg(++s_connectionCounter)),
      m_unavailable(QStringLiteral("the session store is not open"))
{
}

SqlSessionWorker::~SqlSessionWorker()
{
    close();
}

QSqlDatabase SqlSessionWorker::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

void SqlSessionWorker::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = database();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqlSessionWorker::ready(QString *why)
{
    *why = m_unavailable;
    return m_unavailable.isEmpty();
}

StoreResult<bool> SqlSessionWorker::rollback(QSqlQuery &query, const QString &what)
{
    const QSqlError error = query.lastError();
    query.finish();
    database().rollback();
    return failure<bool>(what, error);
}

StoreResult<bool> SqlSessionWorker::commit()
{
    QSqlDatabase db = database();
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return failure<bool>(QStringLiteral("commit failed:"), error);
    }
    return {true, true, {}};
}

StoreResult<QList<ChatTurn>> SqlSessionWorker::history(const QString &key, int limit)
{
    StoreResult<QList<ChatTurn>> result;
    if (!usable(&result) || limit <= 0)
        return result;
    QSqlQuery query(database());
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

StoreResult<bool> SqlSessionWorker::appendTurn(const StoredTurn &turn)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    if (turn.sessionKey.isEmpty())
        return {false, false, QStringLiteral("a turn needs a session key")};
    QSqlDatabase db = database();
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(db);
    // The upsert locks the session's row until the commit: two gateways writing a turn of one
    // session at once write one turn after the other, each turn's two messages together.
    query.prepare(QStringLiteral(
        "INSERT INTO sessions(key, agent_id, created_at, updated_at) VALUES(?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET agent_id = excluded.agent_id,"
        " updated_at = excluded.updated_at"));
    query.addBindValue(turn.sessionKey);
    query.addBindValue(text(turn.agentId));
    query.addBindValue(now);
    query.addBindValue(now);
    if (!query.exec())
        return rollback(query, QStringLiteral("cannot record the session:"));

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
            return rollback(query, QStringLiteral("cannot append a message:"));
    }
    query.finish();
    return commit();
}

StoreResult<QList<SessionInfo>> SqlSessionWorker::sessions(int limit)
{
    StoreResult<QList<SessionInfo>> result;
    if (!usable(&result) || limit <= 0)
        return result;
    QSqlQuery query(database());
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

StoreResult<bool> SqlSessionWorker::addUsage(const QList<TokenUsageDay> &deltas)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    for (const TokenUsageDay &d : deltas) {
        if (d.token.isEmpty() || !d.day.isValid())
            return {false, false, QStringLiteral("a usage bucket needs a token and a day")};
    }
    QSqlDatabase db = database();
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    QSqlQuery query(db);
    // The old values qualified by the table's name: PostgreSQL finds a bare column ambiguous
    // beside `excluded`.
    query.prepare(QStringLiteral(
        "INSERT INTO token_usage(day, token, requests, prompt_tokens, completion_tokens, errors)"
        " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(day, token) DO UPDATE SET"
        " requests = token_usage.requests + excluded.requests,"
        " prompt_tokens = token_usage.prompt_tokens + excluded.prompt_tokens,"
        " completion_tokens = token_usage.completion_tokens + excluded.completion_tokens,"
        " errors = token_usage.errors + excluded.errors"));
    for (const TokenUsageDay &d : deltas) {
        query.bindValue(0, isoDay(d.day));
        query.bindValue(1, d.token);
        query.bindValue(2, d.counts.requests);
        query.bindValue(3, d.counts.promptTokens);
        query.bindValue(4, d.counts.completionTokens);
        query.bindValue(5, d.counts.errors);
        if (!query.exec())
            return rollback(query, QStringLiteral("cannot add usage:"));
    }
    query.finish();
    return commit();
}

StoreResult<QList<TokenUsageDay>> SqlSessionWorker::usageDays(const QDate &from, const QDate &to)
{
    StoreResult<QList<TokenUsageDay>> result;
    if (!usable(&result))
        return result;
    QSqlQuery query(database());
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

StoreResult<QList<TokenUsageSummary>> SqlSessionWorker::usageSummary(const QDate &today)
{
    StoreResult<QList<TokenUsageSummary>> result;
    if (!usable(&result))
        return result;
    static const char *const columns[]
        = {"requests", "prompt_tokens", "completion_tokens", "errors"};
    // Three sums of each column: today, the 7 days ending today, every day. Positional values
    // only (each bound in order), which both drivers take.
    QString select = QStringLiteral("SELECT token");
    for (const char *when : {"day = ?", "day > ? AND day <= ?", "1 = 1"})
        for (const char *column : columns)
            select += QStringLiteral(", SUM(CASE WHEN %1 THEN %2 ELSE 0 END)")
                          .arg(QLatin1String(when), QLatin1String(column));
    select += QStringLiteral(" FROM token_usage GROUP BY token ORDER BY token");
    QSqlQuery query(database());
    query.prepare(select);
    const QString day = isoDay(today);
    const QString weekAgo = isoDay(today.addDays(-7));
    for (int i = 0; i < 4; ++i)
        query.addBindValue(day);
    for (int i = 0; i < 4; ++i) {
        query.addBindValue(weekAgo);
        query.addBindValue(day);
    }
    if (!query.exec())
        return failure<QList<TokenUsageSummary>>(QStringLiteral("usage query failed:"),
                                                 query.lastError());
    // SUM of a BIGINT is NUMERIC in PostgreSQL, which QPSQL hands over as text: toLongLong()
    // converts it as it does SQLite's integers.
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

StoreResult<bool> SqlSessionWorker::storeResponse(const StoredResponse &response, int maxStored)
{
    StoreResult<bool> result;
    if (!usable(&result))
        return result;
    if (response.id.isEmpty())
        return {false, false, QStringLiteral("a stored response needs an id")};
    QSqlDatabase db = database();
    if (!db.transaction())
        return failure<bool>(QStringLiteral("cannot begin a transaction:"), db.lastError());
    QSqlQuery query(db);
    // A new seq even for a replaced id: it counts as the newest.
    query.prepare(QStringLiteral("DELETE FROM responses WHERE id = ?"));
    query.addBindValue(response.id);
    if (!query.exec())
        return rollback(query, QStringLiteral("cannot replace a stored response:"));
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
        return rollback(query, QStringLiteral("cannot store a response:"));
    // The bound: the oldest beyond maxStored go, in the same transaction.
    query.prepare(QStringLiteral("DELETE FROM responses WHERE seq <= (SELECT seq FROM responses"
                                 " ORDER BY seq DESC LIMIT 1 OFFSET ?)"));
    query.addBindValue(qMax(maxStored, 1));
    if (!query.exec())
        return rollback(query, QStringLiteral("cannot drop old responses:"));
    query.finish();
    return commit();
}

std::optional<StoredResponse> SqlSessionWorker::findResponse(const QString &id, QString *error)
{
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "SELECT id, parent_id, session_key, agent_id, principal, created_at, turns, input, body,"
        " input_tokens, output_tokens, usage_known FROM responses WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        *error = failure<bool>(QStringLiteral("response query failed:"), query.lastError()).error;
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

StoreResult<std::optional<StoredResponse>> SqlSessionWorker::response(const QString &id,
                                                                      const ResponseScope &scope)
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

StoreResult<ResponseChain> SqlSessionWorker::responseChain(const QString &id,
                                                           const ResponseScope &scope, int limit)
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

StoreResult<bool> SqlSessionWorker::deleteResponse(const QString &id, const ResponseScope &scope)
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
    QSqlQuery query(database());
    query.prepare(QStringLiteral("DELETE FROM responses WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return failure<bool>(QStringLiteral("cannot delete a response:"), query.lastError());
    result.value = query.numRowsAffected() > 0;
    return result;
}

} // namespace passerelle
