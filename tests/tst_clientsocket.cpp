// ClientSocket, the server end of a client connection, against a raw loopback peer: the first
// write of a turn goes to the kernel before the call returns, the later ones together at the end
// of the turn; what the kernel refuses waits and goes out in order,
// reported by bytesWritten; the read bound pauses reading until readAll; the end of the client's
// input and an abort both emit disconnected (an abort before it returns); disconnectFromHost
// sends what waits first; a client that reset the connection makes a write fail without a signal
// inside the write, the close coming on the next turn.

#include "http/ClientSocket.h"

#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace passerelle;

namespace {

// A connected loopback pair: `client` a raw descriptor, `server` the accepted one.
struct Pair
{
    int client = -1;
    int server = -1;
    quint16 clientPort = 0;

    Pair()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || ::listen(listener, 1) != 0
            || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            qFatal("no loopback listener");
        client = ::socket(AF_INET, SOCK_STREAM, 0);
        // Small buffers both ways: what waits for the kernel is certain, whatever its autotuning.
        const int small = 64 * 1024;
        ::setsockopt(client, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        if (::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            qFatal("no loopback connection");
        server = ::accept(listener, nullptr, nullptr);
        ::setsockopt(server, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        ::close(listener);
        sockaddr_in mine {};
        length = sizeof mine;
        ::getsockname(client, reinterpret_cast<sockaddr *>(&mine), &length);
        clientPort = ntohs(mine.sin_port);
    }
    ~Pair()
    {
        if (client >= 0)
            ::close(client);
    }
    // Reads what the client has now (non-blocking).
    QByteArray clientRead() const
    {
        QByteArray out;
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0)
                return out;
            out.append(buffer, qsizetype(n));
        }
    }
    bool clientSawEnd() const
    {
        char c;
        const ssize_t n = ::recv(client, &c, 1, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno == ECONNRESET);
    }
    void clientSend(const QByteArray &bytes) const
    {
        QCOMPARE(::send(client, bytes.constData(), size_t(bytes.size()), 0), ssize_t(bytes.size()));
    }
    void clientReset()
    {
        const linger hard {1, 0};
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        ::close(client);
        client = -1;
    }
};

QByteArray pattern(qsizetype size, char seed)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(seed + (i % 251));
    return out;
}

} // namespace

class tst_ClientSocket : public QObject
{
    Q_OBJECT

private slots:
    void takesTheDescriptorAndItsPeer()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(socket.peerAddress(), QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(socket.peerPort(), pair.clientPort);
        QCOMPARE(socket.socketDescriptor(), qintptr(pair.server));
    }

    void refusesADescriptorThatIsNoConnection()
    {
        const int unconnected = ::socket(AF_INET, SOCK_STREAM, 0);
        ClientSocket socket;
        QVERIFY(!socket.setSocketDescriptor(unconnected));
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(::fcntl(unconnected, F_GETFD), -1); // closed, not leaked
    }

    void aWriteReachesTheKernelBeforeItReturns()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QSignalSpy written(&socket, &ClientSocket::bytesWritten);
        QCOMPARE(socket.write("data: hello\n\n"), qint64(13));
        QCOMPARE(socket.bytesToWrite(), qint64(0));
        // No event loop turn: the bytes are at the client already.
        QCOMPARE(pair.clientRead(), QByteArray("data: hello\n\n"));
        QCOMPARE(written.count(), 0); // nothing waited
    }

    void laterWritesOfATurnGoOutTogetherAtItsEnd()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QSignalSpy written(&socket, &ClientSocket::bytesWritten);
        QCOMPARE(socket.write("one "), qint64(4));
        QCOMPARE(socket.write("two "), qint64(4));
        QCOMPARE(socket.write("three"), qint64(5));
        QCOMPARE(pair.clientRead(), QByteArray("one ")); // the first at once
        QCOMPARE(socket.bytesToWrite(), qint64(9)); // the others at the end of the turn
        QTRY_COMPARE(written.count(), 1);
        QCOMPARE(written.first().first().toLongLong(), qint64(9));
        QCOMPARE(pair.clientRead(), QByteArray("two three"));
        QCOMPARE(socket.bytesToWrite(), qint64(0));
        // The next turn's first write goes at once again.
        QCOMPARE(socket.write("four"), qint64(4));
        QCOMPARE(pair.clientRead(), QByteArray("four"));
    }

    void gatheredWritesGoBeforeTheClose()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        socket.write("head ");
        socket.write("body");
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        socket.disconnectFromHost();
        QCOMPARE(socket.state(), QAbstractSocket::ClosingState);
        QTRY_COMPARE(gone.count(), 1);
        QCOMPARE(pair.clientRead(), QByteArray("head body"));
        QVERIFY(pair.clientSawEnd());
    }

    void whatTheKernelRefusesWaitsAndGoesOutInOrder()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        const QByteArray a = pattern(3 << 20, 'a');
        const QByteArray b = pattern(1000, 'b');
        const QByteArray c = pattern(2 << 20, 'c');
        socket.write(a);
        QVERIFY(socket.bytesToWrite() > 0); // 3 MiB do not fit in 2 x 64 KiB of buffers
        const qint64 waitingAfterA = socket.bytesToWrite();
        socket.write(b);
        socket.write(c);
        QCOMPARE(socket.bytesToWrite(), waitingAfterA + b.size() + c.size());
        qint64 reported = 0;
        connect(&socket, &ClientSocket::bytesWritten, this, [&](qint64 n) { reported += n; });
        QByteArray received;
        const qsizetype total = a.size() + b.size() + c.size();
        QTRY_VERIFY_WITH_TIMEOUT((received += pair.clientRead()).size() == total, 20000);
        QCOMPARE(received, a + b + c);
        QCOMPARE(socket.bytesToWrite(), qint64(0));
        QCOMPARE(reported, waitingAfterA + b.size() + c.size());
    }

    void theReadBoundPausesReadingUntilReadAll()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        socket.setReadBufferSize(1000);
        const QByteArray sent = pattern(10000, 'r');
        pair.clientSend(sent);
        QTRY_COMPARE(socket.bytesAvailable(), qint64(1000));
        // More turns read nothing past the bound.
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(socket.bytesAvailable(), qint64(1000));
        QByteArray received = socket.readAll();
        QCOMPARE(socket.bytesAvailable(), qint64(0));
        while (received.size() < sent.size()) {
            QTRY_VERIFY(socket.bytesAvailable() > 0);
            QVERIFY(socket.bytesAvailable() <= 1000);
            received += socket.readAll();
        }
        QCOMPARE(received, sent);
    }

    void theEndOfTheClientsInputDisconnects()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QByteArray read;
        connect(&socket, &ClientSocket::readyRead, this, [&] { read += socket.readAll(); });
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        pair.clientSend("GET / HTTP/1.1\r\n\r\n");
        ::shutdown(pair.client, SHUT_WR);
        QTRY_COMPARE(gone.count(), 1);
        QCOMPARE(read, QByteArray("GET / HTTP/1.1\r\n\r\n"));
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(socket.socketDescriptor(), qintptr(-1));
        QCOMPARE(socket.write("late"), qint64(-1));
        QVERIFY(pair.clientSawEnd());
    }

    void abortDisconnectsBeforeItReturns()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        socket.write(pattern(4 << 20, 'x')); // some of it waits, and is dropped
        QVERIFY(socket.bytesToWrite() > 0);
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        socket.abort();
        QCOMPARE(gone.count(), 1);
        QCOMPARE(socket.bytesToWrite(), qint64(0));
        socket.abort(); // once
        QCOMPARE(gone.count(), 1);
    }

    void disconnectFromHostSendsWhatWaitsFirst()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        const QByteArray big = pattern(4 << 20, 'd');
        socket.write(big);
        QVERIFY(socket.bytesToWrite() > 0);
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        socket.disconnectFromHost();
        QCOMPARE(socket.state(), QAbstractSocket::ClosingState);
        QCOMPARE(gone.count(), 0);
        QCOMPARE(socket.write("more"), qint64(-1)); // closing: nothing new
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += pair.clientRead()).size() == big.size(), 20000);
        QCOMPARE(received, big);
        QTRY_COMPARE(gone.count(), 1);
        QVERIFY(pair.clientSawEnd());
    }

    void disconnectFromHostWithNothingWaitingClosesAtOnce()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        socket.write("bye");
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        socket.disconnectFromHost();
        QCOMPARE(gone.count(), 1);
        QCOMPARE(pair.clientRead(), QByteArray("bye"));
        QVERIFY(pair.clientSawEnd());
    }

    void aResetClientFailsTheWriteAndClosesOnTheNextTurn()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        pair.clientReset();
        // Write until the kernel reports the reset; never a signal from inside write().
        qint64 result = 0;
        for (int i = 0; i < 1000 && result >= 0; ++i) {
            result = socket.write(pattern(1024, 'w'));
            QCOMPARE(gone.count(), 0);
        }
        QCOMPARE(result, qint64(-1));
        QTRY_COMPARE(gone.count(), 1);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    }

    void aResetClientIsSeenWhileIdle()
    {
        Pair pair;
        ClientSocket socket;
        QVERIFY(socket.setSocketDescriptor(pair.server));
        QSignalSpy gone(&socket, &ClientSocket::disconnected);
        pair.clientReset();
        QTRY_COMPARE(gone.count(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_ClientSocket)
#include "tst_clientsocket.moc"
