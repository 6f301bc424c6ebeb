#pragma once

// The SQLite side of SqliteSessionStore: owns its one QSqlDatabase connection (WAL,
// synchronous=NORMAL, a busy timeout, one transaction per turn) and answers each call
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

    // The version the migrations bring a database to (PRAGMA user_version).
    static int schemaVersion();

private:
    template<typename T> bool usable(StoreResult<T> *result) const;
    void close();
    // Applies the migration steps the database lacks; the reason when one fails.
    QString migrate(QSqlDatabase &db);

    QString m_path;
    QString m_connectionName;
    QString m_unavailable; // why calls fail; empty once open
};

} // namespace passerelle
