#pragma once

// The SQLite side of SqliteSessionStore: owns its one QSqlDatabase connection (WAL,
// synchronous=NORMAL, a busy timeout, one transaction per turn or stored response), brings the
// schema up to date by its numbered migrations (PRAGMA user_version), and answers each call
// synchronously. Moved into the store's own thread before that thread starts; every member, the
// destructor included, runs in that thread, where the connection is created.

#include "store/SessionStore.h"

#include <QObject>
#include <QSqlDatabase>
#include <QString>

namespace passerelle {

class SqliteSessionWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteSessionWorker)

public:
    explicit SqliteSessionWorker(QString path);
    ~SqliteSessionWorker() override;

    // Opens (creating) the database file; ":memory:" for tests. Not ok: every later call fails
    // with the reason.
    StoreResult<bool> open();
    StoreResult<QList<ChatTurn>> history(const QString &key, int limit) const;
    StoreResult<bool> appendTurn(const StoredTurn &turn);
    StoreResult<QList<SessionInfo>> sessions(int limit) const;
    StoreResult<bool> addUsage(const QList<TokenUsageDay> &deltas);
    StoreResult<QList<TokenUsageDay>> usageDays(const QDate &from, const QDate &to) const;
    StoreResult<QList<TokenUsageSummary>> usageSummary(const QDate &today) const;
    StoreResult<bool> storeResponse(const StoredResponse &response, int maxStored);
    StoreResult<std::optional<StoredResponse>> response(const QString &id,
                                                        const ResponseScope &scope) const;
    StoreResult<ResponseChain> responseChain(const QString &id, const ResponseScope &scope,
                                             int limit) const;
    StoreResult<bool> deleteResponse(const QString &id, const ResponseScope &scope);

    // The schema version a database reaches once open() has migrated it.
    static int schemaVersion();

private:
    template<typename T> bool usable(StoreResult<T> *result) const;
    void close();
    QString migrate(); // "" once the schema is current, else why not
    // The stored response with that id, whatever its scope (nullopt: none); error set on failure.
    std::optional<StoredResponse> findResponse(const QString &id, QString *error) const;

    QString m_path;
    QString m_connectionName;
    QString m_unavailable; // why calls fail; empty once open
};

} // namespace passerelle
