#include "http/HttpConnection.h"

#include "Logging.h"
#include "http/ClientSocket.h"
#include "http/ConnectionRegistry.h"
#include "http/FlowControl.h"
#include "http/HttpFrontend.h"
#include "http/HttpReply.h"

#include <sys/socket.h>

namespace passerelle {

namespace {

// After a final response, how long a client may keep sending before the socket is reset.
constexpr qint64 kLingerMs = 2000;

} // namespace

HttpConnection::HttpConnection(ClientSocket *socket, HttpFrontend *frontend,
                               ConnectionRegistry *registry)
    : QObject(socket), m_socket(socket), m_frontend(frontend), m_registry(registry),
      m_peer(socket->peerAddress()), m_addressKey(ConnectionRegistry::addressKey(m_peer))
{
    m_sinceMs = m_registry->nowMs();
    m_lastWriteProgressMs = m_sinceMs;
    m_keptUpMs = m_sinceMs;
    connect(socket, &ClientSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &ClientSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(socket, &ClientSocket::disconnected, this, &HttpConnection::onDisconnected);
    m_registry->add(this);
    m_registry->enterIdle(this);
}

HttpConnection::~HttpConnection()
{
    if (m_registry)
        m_registry->remove(this);
}

HttpConnection *HttpConnection::of(const ClientSocket *socket)
{
    return socket ? socket->findChild<HttpConnection *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

// --- input ---

void HttpConnection::onReadyRead()
{
    switch (m_state) {
    case State::Idle:
    case State::ReadingHead:
    case State::ReadingBody:
        processInput();
        return;
    case State::Closing:
        m_socket->readAll(); // whatever else the client sends is dropped
        return;
    case State::Busy: // the next request waits in the socket's (bounded) buffer
    case State::Upgraded:
        return;
    }
}

void HttpConnection::processInput()
{
    m_processQueued = false;
    if (m_processing) {
        m_again = true;
        return;
    }
    m_processing = true;
    do {
        m_again = false;
        pump();
    } while (m_again);
    m_processing = false;
}

void HttpConnection::pump()
{
    while (m_state == State::Idle || m_state == State::ReadingHead
           || m_state == State::ReadingBody) {
        const QByteArray bytes = m_socket->readAll();
        if (!bytes.isEmpty()) {
            m_parser.append(bytes);
            if (m_state == State::ReadingBody)
                m_sinceMs = m_registry->nowMs(); // a body must keep arriving, not arrive fast
        }
        switch (m_parser.next()) {
        case HttpRequestParser::Event::NeedMore:
            if (m_state == State::Idle && m_parser.requestStarted()) {
                // The head deadline runs from its first byte; more bytes do not extend it. Until
                // the head is complete no request is in flight: it may still be closed for room.
                m_state = State::ReadingHead;
                m_sinceMs = m_registry->nowMs();
            }
            if (m_socket->bytesAvailable() > 0)
                continue;
            return;
        case HttpRequestParser::Event::Head:
            onHead();
            break;
        case HttpRequestParser::Event::Request:
            dispatch();
            break;
        case HttpRequestParser::Event::HeadTooLarge:
            refuse(431);
            return;
        case HttpRequestParser::Event::Malformed:
            refuse(400);
            return;
        }
    }
}

void HttpConnection::onHead()
{
    m_registry->leaveIdle(this);
    const RequestHead &head = m_parser.head();
    m_closeAfter = head.wantsClose();
    if (head.upgrade) {
        m_frontend->upgrade(this, head, m_parser.takeUnparsed());
        return;
    }
    const HeadDecision decision = m_frontend->screenHead(head, m_socket);
    if (!decision.rejection.isEmpty()) {
        refuseWith(decision.rejection);
        return;
    }
    if (decision.sendContinue)
        m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    m_state = State::ReadingBody;
    m_sinceMs = m_registry->nowMs();
}

void HttpConnection::dispatch()
{
    m_state = State::Busy;
    QByteArray body = m_parser.takeBody();
    m_bodyBytes = body.size();
    m_frontend->dispatch(this, m_parser.head(), std::move(body));
}

// --- output ---

void HttpConnection::respond(ClientSocket *socket, const QByteArray &bytes)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (HttpConnection *connection = of(socket)) {
        connection->write(bytes);
        connection->endResponse();
    } else {
        socket->write(bytes);
    }
}

void HttpConnection::write(const QByteArray &bytes)
{
    if (m_state == State::Upgraded || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_unsent == 0)
        m_lastWriteProgressMs = m_registry->nowMs(); // the clock of a silent reader starts now
    m_socket->write(bytes);
    updateUnsent();
    if (!m_behind && m_flow && m_unsent > m_registry->limits().maxBufferedBytes) {
        m_behind = true;
        m_flow->setClientBehind(true);
    }
}

void HttpConnection::onBytesWritten()
{
    m_lastWriteProgressMs = m_registry->nowMs();
    updateUnsent();
    if (m_behind && m_unsent <= m_registry->limits().maxBufferedBytes / 2) {
        m_behind = false;
        if (m_flow)
            m_flow->setClientBehind(false);
    }
    if (m_state == State::Closing && m_unsent == 0 && !m_writeShut)
        beginClose();
}

void HttpConnection::updateUnsent()
{
    const qint64 now = m_socket->bytesToWrite();
    if (now <= m_registry->limits().maxBufferedBytes / 2)
        m_keptUpMs = m_registry->nowMs();
    if (now == m_unsent)
        return;
    const qint64 delta = now - m_unsent;
    m_unsent = now;
    m_registry->noteUnsent(this, delta, now);
}

qint64 HttpConnection::lastReadMs() const
{
    // Not the last byte the kernel took (a stalled client's window still lets a few through for a
    // while) but the last time the client had read all but half a buffer of what it was sent.
    return m_unsent <= m_registry->limits().maxBufferedBytes / 2 ? m_registry->nowMs() : m_keptUpMs;
}

void HttpConnection::endResponse()
{
    if (m_state != State::Busy)
        return;
    m_flow = nullptr;
    m_behind = false;
    if (m_bodyBytes >= HttpFrontend::kBigBodyBytes)
        m_frontend->bigRequestDone();
    m_bodyBytes = 0;
    if (m_closeAfter) {
        m_state = State::Closing;
        m_sinceMs = m_registry->nowMs();
        beginClose();
        return;
    }
    becomeIdle();
    // A pipelined request may be waiting: read it after this call stack has unwound.
    if (m_processing) {
        m_again = true;
    } else if (!m_processQueued
               && (m_parser.unparsedSize() > 0 || m_socket->bytesAvailable() > 0)) {
        m_processQueued = true;
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
    }
}

void HttpConnection::becomeIdle()
{
    m_state = State::Idle;
    m_sinceMs = m_registry->nowMs();
    m_registry->enterIdle(this);
}

void HttpConnection::refuse(int status)
{
    refuseWith(
        HttpReply::text(status, HttpReply::reasonPhrase(status)).toBytes({{}, {}, false, true}));
}

void HttpConnection::refuseWith(const QByteArray &reply)
{
    m_registry->leaveIdle(this);
    m_parser.takeUnparsed();
    m_flow = nullptr;
    m_socket->write(reply);
    m_state = State::Closing;
    m_sinceMs = m_registry->nowMs();
    m_socket->readAll();
    updateUnsent();
    beginClose();
}

void HttpConnection::beginClose()
{
    if (m_socket->bytesToWrite() > 0)
        return; // onBytesWritten comes back once it is sent
    // Half-close: the client reads the whole answer before it sees the end, and what it still
    // sends meanwhile does not reset the connection under it (closed after kLingerMs anyway).
    m_writeShut = true;
    m_sinceMs = m_registry->nowMs();
    const qintptr fd = m_socket->socketDescriptor();
    if (fd < 0 || ::shutdown(int(fd), SHUT_WR) != 0)
        m_socket->disconnectFromHost();
}

void HttpConnection::onDisconnected()
{
    m_registry->remove(this);
    if (m_state == State::Upgraded)
        return; // the WebSocket owns the socket now
    m_state = State::Closing;
    m_flow = nullptr;
    m_socket->deleteLater();
}

// --- deadlines (the registry's sweep) ---

void HttpConnection::checkDeadlines(qint64 nowMs)
{
    const ConnectionLimits &limits = m_registry->limits();
    switch (m_state) {
    case State::Idle:
        if (nowMs - m_sinceMs >= limits.idleTimeoutMs)
            closeIdle();
        return;
    case State::ReadingHead:
        if (nowMs - m_sinceMs >= limits.headerTimeoutMs) {
            qCDebug(lcHttp).noquote() << "408 for" << m_peer.toString() << ": head too slow";
            refuse(408);
        }
        return;
    case State::ReadingBody:
        if (nowMs - m_sinceMs >= limits.idleTimeoutMs) {
            qCDebug(lcHttp).noquote() << "408 for" << m_peer.toString() << ": body stalled";
            refuse(408);
        }
        return;
    case State::Busy:
        if (m_unsent > 0 && nowMs - m_lastWriteProgressMs >= limits.idleTimeoutMs)
            drop("read nothing for passerelle.http.idleTimeoutMs");
        return;
    case State::Closing:
        if (m_unsent > 0 && nowMs - m_lastWriteProgressMs >= limits.idleTimeoutMs)
            m_socket->abort();
        else if (m_writeShut && nowMs - m_sinceMs >= kLingerMs)
            m_socket->abort();
        return;
    case State::Upgraded:
        return;
    }
}

void HttpConnection::closeIdle()
{
    m_registry->remove(this);
    m_state = State::Closing;
    m_socket->disconnectFromHost();
}

void HttpConnection::drop(const char *why)
{
    if (m_state == State::Upgraded)
        return;
    qCInfo(lcHttp).noquote() << "dropping" << m_peer.toString() << "with" << m_unsent
                             << "bytes unread:" << why;
    m_registry->remove(this);
    m_socket->abort(); // the stream sees its client go: its run is aborted (499)
}

void HttpConnection::markUpgraded()
{
    m_registry->leaveIdle(this);
    m_state = State::Upgraded;
    m_flow = nullptr;
    disconnect(m_socket, &ClientSocket::readyRead, this, nullptr);
    disconnect(m_socket, &ClientSocket::bytesWritten, this, nullptr);
    if (m_unsent != 0) {
        m_registry->noteUnsent(this, -m_unsent, 0);
        m_unsent = 0;
    }
}

} // namespace passerelle
