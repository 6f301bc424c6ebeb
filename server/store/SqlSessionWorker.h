#pragma once

// What both SQL engines of the session store share: the queries of every store call (written in
// the SQL that SQLite and PostgreSQL both take), each on the worker's one QSqlDatabase
// connection, one transaction per turn or stored response. A subclass opens the connection
// (SqliteSessionWorker, PostgresSessionWorker) and may check it after a failure. Moved into a
// thread of its store's before that thread starts; every member runs there.

#include "Logging.h"
#include "store/SessionStore.h"

#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace passerelle {

class SqlSessionWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqlSessionWorker)

public:
    ~SqlSessionWorker() override;

    // Opens the connection (and brings the schema up to date). Not ok: later calls fail with the
    // reason until an open succeeds.
    virtual StoreResult<bool> open() = 0;

    StoreResult<QList<ChatTurn>> history(const QString &key, int limit);
    StoreResult<bool> appendTurn(const StoredTurn &turn);
    StoreResult<QList<SessionInfo>> sessions(int limit);
    StoreResult<bool> addUsage(const QList<TokenUsageDay> &deltas);
    StoreResult<QList<TokenUsageDay>> usageDays(const QDate &from, const QDate &to);
    StoreResult<QList<TokenUsageSummary>> usageSummary(const QDate &today);
    StoreResult<bool> storeResponse(const StoredResponse &response, int maxStored);
    StoreResult<std::optional<StoredResponse>> response(const QString &id,
                                                        const ResponseScope &scope);
    StoreResult<ResponseChain> responseChain(const QString &id, const ResponseScope &scope,
                                             int limit);
    StoreResult<bool> deleteResponse(const QString &id, const ResponseScope &scope);

protected:
    explicit SqlSessionWorker(const QString &connectionPrefix);

    QSqlDatabase database() const;
    void close();
    // Whether calls may run now (else result->error says why). A subclass may reconnect here.
    virtual bool ready(QString *why);
    // A statement or commit failed: a subclass may find that the connection itself is gone.
    virtual void failed() { }

    template<typename T> bool usable(StoreResult<T> *result);
    template<typename T> StoreResult<T> failure(const QString &what, const QSqlError &error);
    // Ends the open transaction after `query` failed, with the failure of `what`.
    StoreResult<bool> rollback(QSqlQuery &query, const QString &what);
    StoreResult<bool> commit();

    QString m_connectionName;
    QString m_unavailable; // why calls fail; empty while the connection is usable

private:
    // The stored response with that id, whatever its scope (nullopt: none); error set on failure.
    std::optional<StoredResponse> findResponse(const QString &id, QString *error);
};

template<typename T> bool SqlSessionWorker::usable(StoreResult<T> *result)
{
    result->ok = ready(&result->error);
    return result->ok;
}

template<typename T>
StoreResult<T> SqlSessionWorker::failure(const QString &what, const QSqlError &error)
{
    const QString message = what + QLatin1Char(' ') + error.text();
    qCWarning(lcSessions).noquote() << message;
    failed();
    return {false, {}, m_unavailable.isEmpty() ? message : m_unavailable};
}

} // namespace passerelle
