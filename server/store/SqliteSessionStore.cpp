#include "store/SqliteSessionStore.h"

#include "store/SqliteSessionWorker.h"

#include <QPointer>

#include <memory>

namespace passerelle {

SqliteSessionStore::SqliteSessionStore(const QString &path, QObject *parent)
    : SessionStore(parent), m_path(path), m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("passerelle-sessions"));
    m_worker = new SqliteSessionWorker(path);
    m_worker->moveToThread(m_thread.get());
    // Deleted in its own thread, where its connection was made, once that thread's loop is over.
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    post([this](SqliteSessionWorker &worker) {
        const bool opened = worker.open().ok;
        QMetaObject::invokeMethod(
            this,
            [this, opened] {
                m_state = opened ? State::Available : State::Unavailable;
                emit stateChanged(m_state);
            },
            Qt::QueuedConnection);
    });
}

SqliteSessionStore::~SqliteSessionStore()
{
    // The quit goes behind every call already queued, so all of them run first. (A quit() from
    // here could end the loop with calls still queued.) The worker posts its last results to this
    // object meanwhile: safe, it is still whole; they are dropped with it.
    post([thread = m_thread.get()](SqliteSessionWorker &) { thread->quit(); });
    m_thread->wait();
}

void SqliteSessionStore::post(std::function<void(SqliteSessionWorker &worker)> task)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, task = std::move(task)] { task(*worker); },
        Qt::QueuedConnection);
}

template<typename T>
void SqliteSessionStore::submit(QObject *context, Callback<T> done,
                                std::function<StoreResult<T>(SqliteSessionWorker &worker)> work)
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
    post([this, call, result, work = std::move(work)](SqliteSessionWorker &worker) {
        *result = work(worker);
        QMetaObject::invokeMethod(
            this, [this, call] { deliver(call); }, Qt::QueuedConnection);
    });
}

void SqliteSessionStore::deliver(quint64 call)
{
    const std::function<void()> delivery = m_pending.take(call);
    if (delivery)
        delivery();
}

void SqliteSessionStore::history(const QString &key, int limit, QObject *context,
                                 Callback<QList<ChatTurn>> done)
{
    submit<QList<ChatTurn>>(context, std::move(done), [key, limit](SqliteSessionWorker &worker) {
        return worker.history(key, limit);
    });
}

void SqliteSessionStore::modelContext(const QString &key, int limit, QObject *context,
                                      Callback<QList<ChatTurn>> done)
{
    submit<QList<ChatTurn>>(context, std::move(done), [key, limit](SqliteSessionWorker &worker) {
        StoreResult<QList<ChatTurn>> result = worker.history(key, limit);
        result.value = fromFirstUserTurn(std::move(result.value));
        return result;
    });
}

void SqliteSessionStore::appendTurn(const StoredTurn &turn, QObject *context, Callback<bool> done)
{
    submit<bool>(context, std::move(done),
                 [turn](SqliteSessionWorker &worker) { return worker.appendTurn(turn); });
}

void SqliteSessionStore::sessions(int limit, QObject *context, Callback<QList<SessionInfo>> done)
{
    submit<QList<SessionInfo>>(context, std::move(done), [limit](SqliteSessionWorker &worker) {
        return worker.sessions(limit);
    });
}

void SqliteSessionStore::addUsage(const QList<TokenUsageDay> &deltas, QObject *context,
                                  Callback<bool> done)
{
    submit<bool>(context, std::move(done),
                 [deltas](SqliteSessionWorker &worker) { return worker.addUsage(deltas); });
}

void SqliteSessionStore::usageDays(const QDate &from, const QDate &to, QObject *context,
                                   Callback<QList<TokenUsageDay>> done)
{
    submit<QList<TokenUsageDay>>(context, std::move(done), [from, to](SqliteSessionWorker &worker) {
        return worker.usageDays(from, to);
    });
}

void SqliteSessionStore::usageSummary(const QDate &today, QObject *context,
                                      Callback<QList<TokenUsageSummary>> done)
{
    submit<QList<TokenUsageSummary>>(
        context, std::move(done),
        [today](SqliteSessionWorker &worker) { return worker.usageSummary(today); });
}

void SqliteSessionStore::storeResponse(const StoredResponse &response, int maxStored,
                                       QObject *context, Callback<bool> done)
{
    submit<bool>(context, std::move(done), [response, maxStored](SqliteSessionWorker &worker) {
        return worker.storeResponse(response, maxStored);
    });
}

void SqliteSessionStore::response(const QString &id, const ResponseScope &scope, QObject *context,
                                  Callback<std::optional<StoredResponse>> done)
{
    submit<std::optional<StoredResponse>>(
        context, std::move(done),
        [id, scope](SqliteSessionWorker &worker) { return worker.response(id, scope); });
}

void SqliteSessionStore::responseChain(const QString &id, const ResponseScope &scope, int limit,
                                       QObject *context, Callback<ResponseChain> done)
{
    submit<ResponseChain>(
        context, std::move(done), [id, scope, limit](SqliteSessionWorker &worker) {
            StoreResult<ResponseChain> result = worker.responseChain(id, scope, limit);
            result.value.turns = fromFirstUserTurn(std::move(result.value.turns));
            return result;
        });
}

void SqliteSessionStore::deleteResponse(const QString &id, const ResponseScope &scope,
                                        QObject *context, Callback<bool> done)
{
    submit<bool>(context, std::move(done), [id, scope](SqliteSessionWorker &worker) {
        return worker.deleteResponse(id, scope);
    });
}

} // namespace passerelle
