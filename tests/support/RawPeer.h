#pragma once

// One client connection for robustness tests, over a real socket: from any loopback address (a
// second "client address"), with a small receive window and read buffer when it plays a client
// that reads slowly or not at all, sending exactly the bytes a test gives and keeping everything
// the server sent. Blocking with timeouts (the gateway runs in its own thread); test thread.

#include <QByteArray>
#include <QHostAddress>
#include <QTcpSocket>

#include <functional>

namespace passerelle::test {

class RawPeer
{
public:
    struct Options
    {
        QHostAddress from = QHostAddress(QHostAddress::LocalHost); // the client's own address
        int receiveWindow = 0; // SO_RCVBUF in bytes (0: the system's)
        qint64 readChunk = 0; // at most this much per read (0: everything available)
    };

    explicit RawPeer(quint16 port) : RawPeer(port, Options {}) { }
    RawPeer(quint16 port, const Options &options);
    Q_DISABLE_COPY_MOVE(RawPeer)

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool send(const QByteArray &bytes);
    // Reads until `done(all bytes so far)` holds, the server closes, or the timeout.
    bool readUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs = 10000);
    bool readUntilContains(const QByteArray &needle, int timeoutMs = 10000);
    // Reads (and keeps) until the server closes the connection.
    bool waitClosed(int timeoutMs = 10000);
    void abort() { m_socket.abort(); }
    // From now on, reads at most `bytes` at a time (0: everything available).
    void setReadChunk(qint64 bytes);
    const QByteArray &data() const { return m_data; }
    void clear() { m_data.clear(); }
    QTcpSocket &socket() { return m_socket; }

private:
    void readSome();

    QTcpSocket m_socket;
    Options m_options;
    QByteArray m_data;
};

} // namespace passerelle::test
