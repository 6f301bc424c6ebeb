#pragma once

// The SessionStore of one gateway: an embedded SQLite file (SqliteSessionWorker) served by one
// lane, a thread of its own, so the caller's thread never waits on the disk; calls run in the
// order they are made. Lives on the caller's (server) thread.

#include "store/SqlSessionStore.h"

namespace passerelle {

class SqliteSessionStore final : public SqlSessionStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteSessionStore)

public:
    // Starts opening `path` (created if missing; ":memory:" for tests) in the store's thread: the
    // state is Opening until stateChanged reports Available or Unavailable. Calls made meanwhile
    // are served after the open.
    explicit SqliteSessionStore(const QString &path, QObject *parent = nullptr);
    ~SqliteSessionStore() override = default;

    QString kind() const override { return QStringLiteral("sqlite"); }
    QString location() const override { return m_path; }

private:
    QString m_path;
};

} // namespace passerelle
