#include "store/SqlSessionStore.h"

#include "store/SqlSessionWorker.h"

namespace passerelle {

SqlSessionStore::SqlSessionStore(QObject *parent) : SessionStore(parent) { }

SqlSessionStore::~SqlSessionStore()
{
    // Each quit goes behind every call already queued to its lane, so all of them run first. (A
    // quit() from here could end a loop with calls still queued.) The workers post their last
    // results to this object meanwhile: safe, it is still whole; they are dropped with it.
    for (const Lane &lane : m_lanes) {
        QThread *thread = lane.thread.get();
        QMetaObject::invokeMethod(
            lane.worker, [thread] { thread->quit(); }, Qt::QueuedConnection);
    }
    for (const Lane &lane : m_lanes)
        lane.thread->wait();
}

int SqlSessionStore::addLane(SqlSessionWorker *worker, const QString &threadName)
{
    Lane lane;
    lane.thread = std::make_unique<QThread>();
    lane.thread->setObjectName(threadName);
    lane.worker = worker;
    worker->moveToThread(lane.thread.get());
    // Deleted in its own thread, where its connection was made, once that thread's loop is over.
    connect(lane.thread.get(), &QThread::finished, worker, &QObject::deleteLater);
    lane.thread->start();
    m_lanes.push_back(std::move(lane));
    return int(m_lanes.size()) - 1;
}

void SqlSessionStore::post(int lane, std::function<void(SqlSessionWorker &worker)> task)
{
    SqlSessionWorker *worker = m_lanes.at(std::size_t(lane)).worker;
    QMetaObject::invokeMethod(
        worker, [worker, task = std::move(task)] { task(*worker); }, Qt::QueuedConnection);
}

void SqlSessionStore::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(m_state);
}

void SqlSessionStore::deliver(quint64 call)
{
    const std::function<void()> delivery = m_pending.take(call);
    if (delivery)
        delivery();
}

void SqlSessionStore::history(const QString &key, int limit, QObject *context,
                              Callback<QList<ChatTurn>> done)
{
    submit<QList<ChatTurn>>(context, std::move(done), [key, limit](SqlSessionWorker &worker) {
        return worker.history(key, limit);
    });
}

void SqlSessionStore::modelContext(const QString &key, int limit, QObject *context,
                                   Callback<QList<ChatTurn>> done)
{
    submit<QList<ChatTurn>>(context, std::move(done), [key, limit](SqlSessionWorker &worker) {
        StoreResult<QList<ChatTurn>> result = worker.history(key, limit);
        result.value = fromFirstUserTurn(std::move(result.value));
        return result;
    });
}

void SqlSessionStore::appendTurn(const StoredTurn &turn, QObject *context, Callback<bool> done)
{
    submit<bool>(context, std::move(done),
                 [turn](SqlSessionWorker &worker) { return worker.appendTurn(turn); });
}

void SqlSessionStore::sessions(int limit, QObject *context, Callback<QList<SessionInfo>> done)
{
    submit<QList<SessionInfo>>(context, std::move(done), [limit](SqlSessionWorker &worker) {
        return worker.sessions(limit);
    });
}

void SqlSessionStore::addUsage(const QList<TokenUsageDay> &deltas, QObject *context,
                               Callback<bool> done)
{
    submit<bool>(context, std::move(done),
                 [deltas](SqlSessionWorker &worker) { return worker.addUsage(deltas); });
}

void SqlSessionStore::usageDays(const QDate &from, const QDate &to, QObject *context,
                                Callback<QList<TokenUsageDay>> done)
{
    submit<QList<TokenUsageDay>>(context, std::move(done), [from, to](SqlSessionWorker &worker) {
        return worker.usageDays(from, to);
    });
}

void SqlSessionStore::usageSummary(const QDate &today, QObject *context,
                                   Callback<QList<TokenUsageSummary>> done)
{
    submit<QList<TokenUsageSummary>>(context, std::move(done), [today](SqlSessionWorker &worker) {
        return worker.usageSummary(today);
    });
}

void SqlSessionStore::storeResponse(const StoredResponse &response, int maxStored, QObject *context,
                                    Callback<bool> done)
{
    submit<bool>(context, std::move(done), [response, maxStored](SqlSessionWorker &worker) {
        return worker.storeResponse(response, maxStored);
    });
}

void SqlSessionStore::response(const QString &id, const ResponseScope &scope, QObject *context,
                               Callback<std::optional<StoredResponse>> done)
{
    submit<std::optional<StoredResponse>>(
        context, std::move(done),
        [id, scope](SqlSessionWorker &worker) { return worker.response(id, scope); });
}

void SqlSessionStore::responseChain(const QString &id, const ResponseScope &scope, int limit,
                                    QObject *context, Callback<ResponseChain> done)
{
    submit<ResponseChain>(context, std::move(done), [id, scope, limit](SqlSessionWorker &worker) {
        StoreResult<ResponseChain> result = worker.responseChain(id, scope, limit);
        result.value.turns = fromFirstUserTurn(std::move(result.value.turns));
        return result;
    });
}

void SqlSessionStore::deleteResponse(const QString &id, const ResponseScope &scope,
                                     QObject *context, Callback<bool> done)
{
    submit<bool>(context, std::move(done), [id, scope](SqlSessionWorker &worker) {
        return worker.deleteResponse(id, scope);
    });
}

} // namespace passerelle
