#include "support/RawPeer.h"

#include <QDeadlineTimer>

namespace passerelle::test {

RawPeer::RawPeer(quint16 port, const Options &options) : m_options(options)
{
    // Bound first: the socket exists, so the receive window applies before the handshake.
    m_socket.bind(options.from, 0);
    if (options.receiveWindow > 0)
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                                 options.receiveWindow);
    if (options.readChunk > 0)
        m_socket.setReadBufferSize(options.readChunk);
    m_socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    m_socket.waitForConnected(5000);
}

bool RawPeer::send(const QByteArray &bytes)
{
    if (!isConnected())
        return false;
    m_socket.write(bytes);
    QDeadlineTimer deadline(10000);
    while (m_socket.bytesToWrite() > 0 && isConnected() && !deadline.hasExpired())
        m_socket.waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime())));
    return m_socket.bytesToWrite() == 0;
}

void RawPeer::setReadChunk(qint64 bytes)
{
    m_options.readChunk = bytes;
    m_socket.setReadBufferSize(bytes);
}

void RawPeer::readSome()
{
    m_data += m_options.readChunk > 0 ? m_socket.read(m_options.readChunk) : m_socket.readAll();
}

bool RawPeer::readUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        readSome();
        if (done(m_data))
            return true;
        if (m_socket.bytesAvailable() > 0)
            continue;
        if (!isConnected() || deadline.hasExpired())
            return false;
        m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

bool RawPeer::readUntilContains(const QByteArray &needle, int timeoutMs)
{
    return readUntil([&needle](const QByteArray &all) { return all.contains(needle); }, timeoutMs);
}

bool RawPeer::waitClosed(int timeoutMs)
{
    readUntil([](const QByteArray &) { return false; }, timeoutMs);
    readSome();
    return !isConnected();
}

} // namespace passerelle::test
