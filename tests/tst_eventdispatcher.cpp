// EpollEventDispatcher on a thread of its own, as the server thread runs it: posted events and
// deleteLater (from other threads and from its own), single-shot, periodic and zero timers (never
// early, stopped ones silent), socket notifiers on a TCP connection (read, write, disconnect),
// 1,500 idle sockets, and quit.

#include "EpollEventDispatcher.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include <sys/resource.h>

using namespace passerelle;

namespace {

// A thread running EpollEventDispatcher; run() executes a function on it and waits.
class DispatcherThread
{
public:
    DispatcherThread()
    {
        m_thread.setEventDispatcher(new EpollEventDispatcher);
        m_thread.start();
        m_context.moveToThread(&m_thread);
    }
    ~DispatcherThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    void post(std::function<void()> f)
    {
        QMetaObject::invokeMethod(&m_context, std::move(f), Qt::QueuedConnection);
    }
    void run(std::function<void()> f)
    {
        QMetaObject::invokeMethod(&m_context, std::move(f), Qt::BlockingQueuedConnection);
    }
    QThread &thread() { return m_thread; }

private:
    QThread m_thread;
    QObject m_context;
};

} // namespace

class TestEventDispatcher final : public QObject
{
    Q_OBJECT

private slots:
    void isTheThreadsDispatcher();
    void postedEventsAndDeleteLater();
    void timersNeverEarly();
    void periodicAndStop();
    void zeroTimerYieldsToSockets();
    void socketsReadWriteAndClose();
    void manyIdleSockets();
};

void TestEventDispatcher::isTheThreadsDispatcher()
{
    DispatcherThread t;
    QAbstractEventDispatcher *seen = nullptr;
    t.run([&] { seen = QAbstractEventDispatcher::instance(); });
    QVERIFY(qobject_cast<EpollEventDispatcher *>(seen));
    QVERIFY(static_cast<EpollEventDispatcher *>(seen)->isValid());
}

void TestEventDispatcher::postedEventsAndDeleteLater()
{
    DispatcherThread t;
    std::atomic<int> order {0};
    std::atomic<int> first {0}, second {0};
    QPointer<QObject> doomed;
    t.run([&] {
        doomed = new QObject;
        doomed->deleteLater();
        QMetaObject::invokeMethod(
            QAbstractEventDispatcher::instance(), [&] { first = ++order; }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(
            QAbstractEventDispatcher::instance(), [&] { second = ++order; }, Qt::QueuedConnection);
    });
    QTRY_COMPARE(second.load(), 2);
    QCOMPARE(first.load(), 1);
    QTRY_VERIFY(doomed.isNull());
    // Posted by the thread to itself from a timer's slot (after the turn's wait), with nothing
    // else due for a minute: the next wait must not block on it.
    std::atomic<bool> third {false};
    t.run([&] {
        QTimer::singleShot(60000, [] {});
        QTimer::singleShot(0, [&] {
            QMetaObject::invokeMethod(
                QAbstractEventDispatcher::instance(), [&] { third = true; }, Qt::QueuedConnection);
        });
    });
    QTRY_VERIFY(third.load());
}

void TestEventDispatcher::timersNeverEarly()
{
    DispatcherThread t;
    std::atomic<qint64> fired[3] = {-1, -1, -1};
    QElapsedTimer clock;
    t.run([&] {
        clock.start();
        QTimer::singleShot(60, Qt::PreciseTimer, [&] { fired[2] = clock.elapsed(); });
        QTimer::singleShot(15, Qt::PreciseTimer, [&] { fired[0] = clock.elapsed(); });
        QTimer::singleShot(30, Qt::CoarseTimer, [&] { fired[1] = clock.elapsed(); });
    });
    QTRY_VERIFY(fired[2].load() >= 0);
    QVERIFY2(fired[0] >= 15, qPrintable(QString::number(fired[0])));
    QVERIFY2(fired[1] >= 30 * 95 / 100, qPrintable(QString::number(fired[1]))); // coarse: 5%
    QVERIFY2(fired[2] >= 60, qPrintable(QString::number(fired[2])));
    QVERIFY(fired[0] <= fired[1] && fired[1] <= fired[2]);
}

void TestEventDispatcher::periodicAndStop()
{
    DispatcherThread t;
    std::atomic<int> ticks {0}, stoppedTicks {0};
    QTimer *periodic = nullptr;
    QTimer *stopped = nullptr;
    t.run([&] {
        periodic = new QTimer;
        periodic->setInterval(5);
        QObject::connect(periodic, &QTimer::timeout, [&] { ++ticks; });
        periodic->start();
        stopped = new QTimer;
        stopped->setInterval(5);
        QObject::connect(stopped, &QTimer::timeout, [&] { ++stoppedTicks; });
        stopped->start();
        stopped->stop();
    });
    QTRY_VERIFY(ticks.load() >= 5);
    int remaining = -2;
    t.run([&] {
        remaining = periodic->remainingTime();
        delete periodic; // unregisters its timer
        delete stopped;
    });
    QVERIFY(remaining >= 0 && remaining <= 5);
    QCOMPARE(stoppedTicks.load(), 0);
    const int seen = ticks.load();
    std::atomic<bool> later {false};
    t.post([&] { QTimer::singleShot(30, [&] { later = true; }); });
    QTRY_VERIFY(later.load());
    QCOMPARE(ticks.load(), seen); // nothing fired for the deleted timer
}

void TestEventDispatcher::zeroTimerYieldsToSockets()
{
    // A zero timer re-armed by its own timeout must not starve the rest of the loop.
    DispatcherThread t;
    std::atomic<int> zeroTicks {0};
    std::atomic<bool> other {false};
    QTimer *zero = nullptr;
    t.run([&] {
        zero = new QTimer;
        zero->setInterval(0);
        QObject::connect(zero, &QTimer::timeout, [&] { ++zeroTicks; });
        zero->start();
        QTimer::singleShot(10, [&] { other = true; });
    });
    QTRY_VERIFY(other.load());
    QVERIFY(zeroTicks.load() > 1);
    t.run([&] { delete zero; });
}

void TestEventDispatcher::socketsReadWriteAndClose()
{
    DispatcherThread t;
    QTcpServer server; // on the test's thread (Qt's dispatcher)
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QByteArray received;
    std::atomic<bool> closed {false};
    QTcpSocket *client = nullptr;
    t.run([&] {
        client = new QTcpSocket;
        QObject::connect(client, &QTcpSocket::readyRead, [&] { received += client->readAll(); });
        QObject::connect(client, &QTcpSocket::disconnected, [&] { closed = true; });
        QObject::connect(client, &QTcpSocket::connected, [&] { client->write("ping"); });
        client->connectToHost(QHostAddress::LocalHost, server.serverPort());
    });
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QTRY_COMPARE(peer->bytesAvailable(), qint64(4));
    QCOMPARE(peer->readAll(), QByteArray("ping"));
    // A write larger than the socket buffers: the client's read notifier runs many times.
    const QByteArray big(4 * 1024 * 1024, 'x');
    peer->write(big);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), big.size(), 10000);
    peer->close();
    QTRY_VERIFY(closed.load());
    t.run([&] { delete client; });
}

void TestEventDispatcher::manyIdleSockets()
{
    // 1,500 open connections on the thread, idle, then each gets one byte: every one is read.
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 4000)
        QSKIP("needs 4000 file descriptors");
    constexpr int N = 1500;
    DispatcherThread t;
    QTcpServer server;
    server.setMaxPendingConnections(N);
    server.setListenBacklogSize(N); // all connect at once
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    std::vector<QTcpSocket *> clients;
    std::atomic<int> connected {0}, read {0};
    t.run([&] {
        for (int i = 0; i < N; ++i) {
            auto *c = new QTcpSocket;
            QObject::connect(c, &QTcpSocket::connected, [&] { ++connected; });
            QObject::connect(c, &QTcpSocket::readyRead,
                             [&read, c] { read += int(c->readAll().size()); });
            c->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(c);
        }
    });
    std::vector<std::unique_ptr<QTcpSocket>> peers;
    const auto acceptAll = [&] {
        while (server.hasPendingConnections())
            peers.emplace_back(server.nextPendingConnection());
        return connected.load() == N && int(peers.size()) == N;
    };
    QTRY_VERIFY_WITH_TIMEOUT(acceptAll(), 20000);
    for (const auto &peer : peers)
        peer->write("x");
    QTRY_COMPARE_WITH_TIMEOUT(read.load(), N, 10000);
    t.run([&] {
        for (QTcpSocket *c : clients)
            delete c;
    });
}

QTEST_GUILESS_MAIN(TestEventDispatcher)
#include "tst_eventdispatcher.moc"
