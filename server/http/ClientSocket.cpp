#include "http/ClientSocket.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>
#include <QPointer>
#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace passerelle {

namespace {

// What one read call takes at most; a bigger body comes in several.
constexpr qint64 kReadChunk = 64 * 1024;
// Byte arrays handed to the kernel in one sendmsg.
constexpr int kMaxIov = 64;

bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

// The event-loop turns of this thread, counted at each wake of its dispatcher (any dispatcher:
// Qt's emit awake() too).
thread_local quint64 t_turn = 1;
thread_local bool t_counting = false;

quint64 currentTurn()
{
    if (!t_counting) {
        if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance()) {
            QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher,
                             [] { ++t_turn; });
            t_counting = true;
        }
    }
    return t_turn;
}

} // namespace

ClientSocket::ClientSocket(QObject *parent) : QObject(parent) { }

ClientSocket::~ClientSocket()
{
    closeNow(false);
}

bool ClientSocket::setSocketDescriptor(qintptr descriptor)
{
    Q_ASSERT(m_fd < 0);
    const int fd = int(descriptor);
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0
        || ::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(fd);
        return false;
    }
    m_peer.setAddress(reinterpret_cast<const sockaddr *>(&address));
    if (address.ss_family == AF_INET)
        m_peerPort = ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    else if (address.ss_family == AF_INET6)
        m_peerPort = ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    m_fd = fd;
    m_state = QAbstractSocket::ConnectedState;
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &ClientSocket::onReadable);
    return true;
}

void ClientSocket::setLowDelay(bool on)
{
    const int value = on ? 1 : 0;
    if (m_fd >= 0)
        ::setsockopt(int(m_fd), IPPROTO_TCP, TCP_NODELAY, &value, sizeof value);
}

void ClientSocket::setReadBufferSize(qint64 bytes)
{
    m_readLimit = qMax<qint64>(0, bytes);
    updateReadNotifier();
}

QByteArray ClientSocket::readAll()
{
    QByteArray out = std::exchange(m_in, QByteArray());
    updateReadNotifier();
    return out;
}

void ClientSocket::updateReadNotifier()
{
    if (!m_readNotifier)
        return;
    const bool room = m_readLimit == 0 || m_in.size() < m_readLimit;
    const bool want = m_state == QAbstractSocket::ConnectedState && room;
    if (m_readNotifier->isEnabled() != want)
        m_readNotifier->setEnabled(want);
}

void ClientSocket::onReadable()
{
    char chunk[kReadChunk];
    bool got = false;
    bool closed = false;
    while (m_fd >= 0) {
        const qint64 room
            = m_readLimit == 0 ? kReadChunk : qMin(kReadChunk, m_readLimit - m_in.size());
        if (room <= 0)
            break;
        const ssize_t n = ::read(int(m_fd), chunk, size_t(room));
        if (n > 0) {
            m_in.append(chunk, qsizetype(n));
            got = true;
            if (n < room)
                break; // what the kernel had is taken
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && wouldBlock(errno))
            break;
        closed = true; // the end of the client's input, or a connection error
        break;
    }
    QPointer<ClientSocket> self(this);
    if (got)
        emit readyRead();
    if (!self)
        return;
    if (closed) {
        closeNow(true);
        return;
    }
    updateReadNotifier();
}

qint64 ClientSocket::write(const QByteArray &bytes)
{
    if (m_state != QAbstractSocket::ConnectedState || m_failed)
        return -1;
    if (bytes.isEmpty())
        return 0;
    const quint64 turn = currentTurn();
    qsizetype sent = 0;
    if (m_out.isEmpty() && turn != m_lastWriteTurn) {
        m_lastWriteTurn = turn;
        for (;;) {
            const ssize_t n
                = ::send(int(m_fd), bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
            if (n >= 0) {
                sent = qsizetype(n);
                break;
            }
            if (errno == EINTR)
                continue;
            if (!wouldBlock(errno)) {
                fail();
                return -1;
            }
            break;
        }
        if (sent == bytes.size())
            return sent;
        m_outOffset = sent;
        m_out.append(bytes); // shared, not copied
        m_pending += bytes.size() - sent;
        waitForWritable();
        return bytes.size();
    }
    // Behind the kernel (the write notifier is on) or a second write of this turn (gathered).
    const bool gather = m_out.isEmpty();
    m_out.append(bytes);
    m_pending += bytes.size();
    if (gather && !m_gatherQueued) {
        m_gatherQueued = true;
        QMetaObject::invokeMethod(this, &ClientSocket::sendGathered, Qt::QueuedConnection);
    }
    return bytes.size();
}

void ClientSocket::sendGathered()
{
    m_gatherQueued = false;
    if (m_fd < 0 || m_out.isEmpty() || (m_writeNotifier && m_writeNotifier->isEnabled()))
        return; // sent, closed, or behind the kernel (the notifier sends it)
    QPointer<ClientSocket> self(this);
    onWritable();
    if (self && m_fd >= 0 && !m_out.isEmpty())
        waitForWritable(); // the kernel took part of it
}

void ClientSocket::waitForWritable()
{
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &ClientSocket::onWritable);
    } else {
        m_writeNotifier->setEnabled(true);
    }
}

bool ClientSocket::sendPending(qint64 *sent)
{
    *sent = 0;
    while (!m_out.isEmpty()) {
        iovec iov[kMaxIov];
        int count = 0;
        qint64 offered = 0;
        for (qsizetype i = 0; i < m_out.size() && count < kMaxIov; ++i) {
            const QByteArray &b = m_out.at(i);
            const qsizetype from = i == 0 ? m_outOffset : 0;
            iov[count].iov_base = const_cast<char *>(b.constData() + from);
            iov[count].iov_len = size_t(b.size() - from);
            offered += qint64(iov[count].iov_len);
            ++count;
        }
        msghdr message {};
        message.msg_iov = iov;
        message.msg_iovlen = size_t(count);
        const ssize_t n = ::sendmsg(int(m_fd), &message, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return wouldBlock(errno);
        }
        *sent += n;
        m_pending -= n;
        qint64 left = n;
        while (left > 0) {
            const qint64 inFirst = m_out.first().size() - m_outOffset;
            if (left < inFirst) {
                m_outOffset += qsizetype(left);
                break;
            }
            left -= inFirst;
            m_out.removeFirst();
            m_outOffset = 0;
        }
        if (n < offered)
            return true; // the kernel is full: the notifier says when it has room
    }
    return true;
}

void ClientSocket::onWritable()
{
    if (m_fd < 0)
        return;
    qint64 sent = 0;
    if (!sendPending(&sent)) {
        closeNow(true);
        return;
    }
    if (m_out.isEmpty()) {
        m_out = QList<QByteArray>(); // a long queue's storage goes too
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
    }
    QPointer<ClientSocket> self(this);
    if (sent > 0)
        emit bytesWritten(sent);
    if (self && m_state == QAbstractSocket::ClosingState && m_pending == 0)
        closeNow(true);
}

bool ClientSocket::flush()
{
    if (m_out.isEmpty() || m_fd < 0)
        return false;
    onWritable();
    return true;
}

void ClientSocket::disconnectFromHost()
{
    if (m_state != QAbstractSocket::ConnectedState)
        return;
    if (m_pending == 0 || m_failed) {
        closeNow(true);
        return;
    }
    m_state = QAbstractSocket::ClosingState;
    updateReadNotifier();
}

void ClientSocket::abort()
{
    closeNow(true);
}

void ClientSocket::fail()
{
    // The caller is in the middle of a write: it sees the close on the next turn, as with
    // QTcpSocket, whose writes fail in its write notifier.
    m_failed = true;
    QMetaObject::invokeMethod(
        this, [this] { closeNow(true); }, Qt::QueuedConnection);
}

void ClientSocket::closeNow(bool emitSignal)
{
    if (m_fd < 0)
        return;
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    ::close(int(m_fd));
    m_fd = -1;
    m_state = QAbstractSocket::UnconnectedState;
    m_out.clear();
    m_outOffset = 0;
    m_pending = 0;
    if (emitSignal)
        emit disconnected();
}

} // namespace passerelle
