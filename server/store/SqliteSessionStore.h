#pragma once

// The SessionStore of one gateway: an embedded SQLite file (SqliteSessionWorker) served by a
// thread of its own, so the caller's thread never waits on the disk. This facade lives on the
// caller's (server) thread; calls are queued to the worker in the order they are made, results
// come back through the facade and are delivered to `context` while it lives.

#include "store/SessionStore.h"

#include <QHash>
#include <QThread>

#include <functional>
#include <memory>

namespace passerelle {

class SqliteSessionWorker;

class SqliteSessionStore final : public SessionStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteSessionStore)

public:
    // Starts opening `path` (created if missing; ":memory:" for tests) in the store's thread: the
    // state is Opening until stateChanged reports Available or Unavailable. Calls made meanwhile
    // are served after the open.
    explicit SqliteSessionStore(const QString &path, QObject *parent = nullptr);
    // Lets every call already made finish (a turn handed over is on disk), then quits and joins
    // the thread. Results not delivered yet are dropped.
    ~SqliteSessionStore() override;

    State state() const override { return m_state; }
    QString kind() const override { return QStringLiteral("sqlite"); }
    QString location() const override { return m_path; }

    void history(const QString &key, int limit, QObject *context,
                 Callback<QList<ChatTurn>> done) override;
    void modelContext(const QString &key, int limit, QObject *context,
                      Callback<QList<ChatTurn>> done) override;
    void appendTurn(const StoredTurn &turn, QObject *context, Callback<bool> done) override;
    void sessions(int limit, QObject *context, Callback<QList<SessionInfo>> done) override;
    void addUsage(const QList<TokenUsageDay> &deltas, QObject *context,
                  Callback<bool> done) override;
    void usageDays(const QDate &from, const QDate &to, QObject *context,
                   Callback<QList<TokenUsageDay>> done) override;
    void usageSummary(const QDate &today, QObject *context,
                      Callback<QList<TokenUsageSummary>> done) override;
    void storeResponse(const StoredResponse &response, int maxStored, QObject *context,
                       Callback<bool> done) override;
    void response(const QString &id, const ResponseScope &scope, QObject *context,
                  Callback<std::optional<StoredResponse>> done) override;
    void responseChain(const QString &id, const ResponseScope &scope, int limit, QObject *context,
                       Callback<ResponseChain> done) override;
    void deleteResponse(const QString &id, const ResponseScope &scope, QObject *context,
                        Callback<bool> done) override;

private:
    // Runs `work` in the store's thread and delivers its result to `done` here. Only values cross
    // the threads: `done` and `context` stay on this side, in m_pending.
    template<typename T>
    void submit(QObject *context, Callback<T> done,
                std::function<StoreResult<T>(SqliteSessionWorker &worker)> work);
    void post(std::function<void(SqliteSessionWorker &worker)> task);
    void deliver(quint64 call);

    QString m_path;
    State m_state = State::Opening;
    std::unique_ptr<QThread> m_thread;
    SqliteSessionWorker *m_worker = nullptr; // lives in m_thread, deleted there when it finishes
    QHash<quint64, std::function<void()>> m_pending; // call -> delivery, on this thread
    quint64 m_lastCall = 0;
};

} // namespace passerelle
