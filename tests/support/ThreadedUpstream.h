#pragma once

// A FakeUpstream in a thread of its own, for tests whose client blocks the test thread (the raw
// TestHttpClient): every call is made in the fake's thread and waited for.

#include "support/FakeUpstream.h"

#include <QAtomicInt>
#include <QJsonArray>
#include <QThread>

#include <functional>
#include <type_traits>

namespace passerelle::test {

class ThreadedUpstream
{
    template<typename F> void call(F f)
    {
        QMetaObject::invokeMethod(m_fake, std::move(f), Qt::BlockingQueuedConnection);
    }
    template<typename F> std::invoke_result_t<F> get(F f)
    {
        decltype(f()) result {};
        QMetaObject::invokeMethod(
            m_fake, [&] { result = f(); }, Qt::BlockingQueuedConnection);
        return result;
    }

public:
    ThreadedUpstream()
    {
        m_fake = new FakeUpstream;
        m_fake->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_fake, &QObject::deleteLater);
        QObject::connect(
            m_fake, &FakeUpstream::clientClosed, m_fake, [this] { ++m_clientClosed; },
            Qt::DirectConnection);
        m_thread.start();
        call([this] { m_listening = m_fake->listen(); });
    }
    ~ThreadedUpstream()
    {
        m_thread.quit();
        m_thread.wait();
    }
    ThreadedUpstream(const ThreadedUpstream &) = delete;
    ThreadedUpstream &operator=(const ThreadedUpstream &) = delete;

    bool listening() const { return m_listening; }
    QString baseUrl()
    {
        return get([this] { return m_fake->baseUrl(); });
    }
    void setDefaultReply(const FakeUpstream::Reply &reply)
    {
        call([this, reply] { m_fake->setDefaultReply(reply); });
    }
    void enqueue(const FakeUpstream::Reply &reply)
    {
        call([this, reply] { m_fake->enqueue(reply); });
    }
    // Until disconnect(returned), `f` runs in the fake's thread each time the fake has read a whole
    // request, before it answers.
    QMetaObject::Connection onRequestReceived(std::function<void()> f)
    {
        return get([this, f] {
            return QObject::connect(m_fake, &FakeUpstream::requestReceived, m_fake, f,
                                    Qt::DirectConnection);
        });
    }
    void disconnect(const QMetaObject::Connection &connection)
    {
        call([connection] { QObject::disconnect(connection); });
    }
    void releaseHeld()
    {
        call([this] { m_fake->releaseHeld(); });
    }
    int heldCount()
    {
        return get([this] { return m_fake->heldCount(); });
    }
    int openConnections()
    {
        return get([this] { return m_fake->openConnections(); });
    }
    qint64 unsentBytes()
    {
        return get([this] { return m_fake->unsentBytes(); });
    }
    // Read without waiting for the fake's thread, which may be busy writing a long reply.
    int clientClosedCount() const { return m_clientClosed.loadAcquire(); }
    QList<FakeUpstream::Request> requests()
    {
        return get([this] { return m_fake->requests(); });
    }
    QJsonArray lastMessages()
    {
        const QList<FakeUpstream::Request> all = requests();
        return all.isEmpty() ? QJsonArray()
                             : all.last().json.value(QStringLiteral("messages")).toArray();
    }

private:
    QThread m_thread;
    FakeUpstream *m_fake = nullptr; // lives in m_thread; deleted when it finishes
    bool m_listening = false;
    QAtomicInt m_clientClosed; // FakeUpstream::clientClosed, counted in the fake's thread
};

} // namespace passerelle::test
