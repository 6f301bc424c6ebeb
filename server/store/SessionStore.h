#pragma once

// The transcript store of stable sessions (SPEC.md section 7): an embedded SQLite database (Qt SQL,
// WAL, one transaction per turn) in the app's data directory. Lives on the server thread; each
// call is a short local query.

#include "providers/Backend.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace passerelle {

struct SessionInfo
{
    QString key;
    QString agentId;
    int turns = 0;
    QDateTime updatedAt;
};

class SessionStore
{
public:
    SessionStore();
    ~SessionStore();
    SessionStore(const SessionStore &) = delete;
    SessionStore &operator=(const SessionStore &) = delete;

    // Opens (creating) the database file; ":memory:" for tests. False with *error on failure.
    bool open(const QString &path, QString *error);
    bool isOpen() const;
    static QString defaultPath(); // AppDataLocation/sessions.sqlite

    // The last `limit` messages of the session, oldest first.
    QList<ChatTurn> history(const QString &key, int limit) const;
    // What a model is sent before the new prompt: history() cut so it opens with a user turn
    // (chat templates expect user/assistant alternation from a user message).
    QList<ChatTurn> modelContext(const QString &key, int limit) const;
    // Appends one completed turn (user prompt + assistant reply) atomically.
    bool appendTurn(const QString &key, const QString &agentId, const QString &userText,
                    const QString &assistantText);
    QList<SessionInfo> sessions(int limit = 200) const;

private:
    QString m_connectionName;
};

} // namespace passerelle
