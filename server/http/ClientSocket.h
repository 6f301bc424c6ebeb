#pragma once

// The server end of one accepted TCP connection, on its non-blocking descriptor: what the HTTP
// layer and the WebSocket side need of a socket and nothing more. QTcpSocket is not used for
// clients (issue 9's profiles): it copies every write into a ring buffer and sends it one loop
// turn later through a write notifier switched on and off around it (two epoll_ctl calls and a
// turn per SSE frame), and gives each socket a 32 KiB write and a 16 KiB read chunk it keeps for
// its life (48 KiB reserved per connection: 26 KB resident, most of a stream's memory at 10,000
// streams). Here the first write of an event-loop turn goes to the kernel at once; more writes in
// the same turn (a burst of SSE frames from one upstream read) are gathered and go out together
// in one call when the turn ends; only what the kernel does not take waits, as the caller's own
// byte arrays (no copy), and only then is the write notifier on. Reads go
// into one buffer bounded by setReadBufferSize; at the bound the descriptor is not read until the
// owner takes its bytes. The end of the client's input (or an error) closes the connection, as
// QTcpSocket did. Server thread.

#include <QAbstractSocket>
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>

class QSocketNotifier;

namespace passerelle {

class ClientSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientSocket)

public:
    explicit ClientSocket(QObject *parent = nullptr);
    ~ClientSocket() override; // closes the descriptor (no signal)

    // Takes over an accepted descriptor (made non-blocking); false if it is not a connected
    // socket.
    bool setSocketDescriptor(qintptr descriptor);
    qintptr socketDescriptor() const { return m_fd; }
    // ConnectedState; ClosingState while disconnectFromHost waits for its bytes; else
    // UnconnectedState.
    QAbstractSocket::SocketState state() const { return m_state; }
    QHostAddress peerAddress() const { return m_peer; }
    quint16 peerPort() const { return m_peerPort; }
    void setLowDelay(bool on);

    // At most this many bytes wait unread here (0: no bound); past it the descriptor is left
    // unread until readAll.
    void setReadBufferSize(qint64 bytes);
    qint64 bytesAvailable() const { return m_in.size(); }
    QByteArray readAll();

    // The first write of a turn is sent now (what the kernel takes); later ones of the same turn
    // at its end; -1 when not connected.
    qint64 write(const QByteArray &bytes);
    // Not in the kernel yet: gathered for the end of the turn, or refused by the kernel.
    qint64 bytesToWrite() const { return m_pending; }
    // Sends what waits, as far as the kernel takes it now.
    bool flush();
    // Closes once what waits is sent (disconnected then); at once when nothing waits.
    void disconnectFromHost();
    // Closes now; what waits is dropped. disconnected() is emitted before it returns.
    void abort();

signals:
    void readyRead();
    // Bytes that had waited here reached the kernel.
    void bytesWritten(qint64 bytes);
    void disconnected();

private:
    void onReadable();
    void onWritable();
    void sendGathered(); // the end of the turn of gathered writes
    void waitForWritable(); // the write notifier on
    // Sends from the queue; false on a connection error.
    bool sendPending(qint64 *sent);
    void fail(); // an error in the middle of a caller's write: closed on the next turn
    void closeNow(bool emitSignal);
    void updateReadNotifier();

    qintptr m_fd = -1;
    QAbstractSocket::SocketState m_state = QAbstractSocket::UnconnectedState;
    QHostAddress m_peer;
    quint16 m_peerPort = 0;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_in;
    qint64 m_readLimit = 0;
    QList<QByteArray> m_out; // waiting for the kernel, the first one from m_outOffset
    qsizetype m_outOffset = 0;
    qint64 m_pending = 0;
    bool m_failed = false;
    bool m_gatherQueued = false; // sendGathered is posted
    quint64 m_lastWriteTurn = 0; // the turn of the last write sent at once
};

} // namespace passerelle
