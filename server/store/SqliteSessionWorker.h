#pragma once

// The SQLite side of SqliteSessionStore: opens its one connection to the gateway's own file (WAL,
// synchronous=NORMAL, a busy timeout) and brings its schema up to date by the numbered steps of
// SchemaSteps, the version kept in PRAGMA user_version; the queries are SqlSessionWorker's. Moved
// into the store's own thread before that thread starts; every member, the destructor included,
// runs in that thread, where the connection is created.

#include "store/SqlSessionWorker.h"

namespace passerelle {

class SqliteSessionWorker final : public SqlSessionWorker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteSessionWorker)

public:
    explicit SqliteSessionWorker(QString path);
    ~SqliteSessionWorker() override = default;

    // Opens (creating) the database file; ":memory:" for tests.
    StoreResult<bool> open() override;

    // The schema version a database reaches once open() has migrated it.
    static int schemaVersion();

private:
    QString migrate(); // "" once the schema is current, else why not

    QString m_path;
};

} // namespace passerelle
