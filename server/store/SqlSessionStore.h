#pragma once

// The facade of a SQL session store: serves every SessionStore call from "lanes", each a thread
// of the store's own with one SqlSessionWorker (one connection), so the caller's thread never
// waits on a disk or a network. Calls given to one lane run in the order they are made; results
// come back through the facade and are delivered to `context` while it lives. SqliteSessionStore
// has one lane, PostgresSessionStore a small pool. Lives on the caller's (server) thread.

#include "store/SessionStore.h"

#include <QHash>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace passerelle {

class SqlSessionWorker;

class SqlSessionStore : public SessionStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqlSessionStore)

public:
    // Lets every call already made finish (a turn handed over is durable), then quits and joins
    // each lane's thread. Results not delivered yet are dropped.
    ~SqlSessionStore() override;

    State state() const override { return m_state; }

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

protected:
    explicit SqlSessionStore(QObject *parent);

    // Starts a lane around `worker` (which must not have a thread yet); its index.
    int addLane(SqlSessionWorker *worker, const QString &threadName);
    int laneCount() const { return int(m_lanes.size()); }
    // The lane the next call goes to (SqliteSessionStore: its only one).
    virtual int pickLane() { return 0; }

    // Runs `task` on a lane's thread, behind every task given to it before.
    void post(int lane, std::function<void(SqlSessionWorker &worker)> task);
    // Runs `work` on a lane (-1: pickLane()) and delivers its result to `done` here. Only values
    // cross the threads: `done` and `context` stay on this side, in m_pending.
    template<typename T>
    void submit(QObject *context, Callback<T> done,
                std::function<StoreResult<T>(SqlSessionWorker &worker)> work, int lane = -1);
    void setState(State state); // emits stateChanged when it changes

private:
    struct Lane
    {
        std::unique_ptr<QThread> thread;
        SqlSessionWorker *worker = nullptr; // lives in `thread`, deleted there when it finishes
    };
    void deliver(quint64 call);

    State m_state = State::Opening;
    std::vector<Lane> m_lanes;
    QHash<quint64, std::function<void()>> m_pending; // call -> delivery, on this thread
    quint64 m_lastCall = 0;
};

template<typename T>
void SqlSessionStore::submit(QObject *context, Callback<T> done,
                             std::function<StoreResult<T>(SqlSessionWorker &worker)> work, int lane)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Q_ASSERT(!context || context->thread() == thread());
    const quint64 call = ++m_lastCall;
    // Written by the worker before it posts the delivery, read here after: the post orders them.
    auto result = std::make_shared<StoreResult<T>>();
    m_pending.insert(call, [context = QPointer<QObject>(context), done = std::move(done), result] {
        if (context && done)
            done(*result);
    });
    post(lane < 0 ? pickLane() : lane,
         [this, call, result, work = std::move(work)](SqlSessionWorker &worker) {
             *result = work(worker);
             QMetaObject::invokeMethod(
                 this, [this, call] { deliver(call); }, Qt::QueuedConnection);
         });
}

} // namespace passerelle
