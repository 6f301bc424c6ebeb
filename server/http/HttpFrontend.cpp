#include "http/HttpFrontend.h"

#include "Logging.h"
#include "http/ClientSocket.h"
#include "http/HttpConnection.h"
#include "http/HttpReply.h"
#include "ws/WsHandshake.h"
#include "ws/WsSocket.h"

#include <QTimer>
#include <QUrl>

namespace passerelle {

QByteArray HttpRequest::value(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

HttpFrontend::HttpFrontend(HttpHandler *handler, HttpListener::HeadPolicy policy, QObject *parent)
    : QObject(parent), m_handler(handler), m_policy(std::move(policy))
{
    // What thousands of connections held is free now: give it back, as after a big request.
    connect(&m_registry, &ConnectionRegistry::burstOver, &m_trimmer, &HeapTrimmer::schedule);
}

HttpFrontend::~HttpFrontend()
{
    // The client sockets (children) go first, while the registry they report to is whole.
    const auto sockets = findChildren<ClientSocket *>(Qt::FindDirectChildrenOnly);
    for (ClientSocket *s : sockets)
        delete s;
}

bool HttpFrontend::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto open = [&]() -> HttpListener * {
        auto *listener = new HttpListener([this](qintptr fd) { onIncoming(fd); }, this);
        if (listener->listen(address, port))
            return listener;
        if (error)
            *error = listener->errorString();
        delete listener;
        return nullptr;
    };
    HttpListener *fresh = open();
    // Same port, other address (e.g. loopback -> lan): the old socket holds it; let it go first.
    if (!fresh && m_listener && m_listener->serverPort() == port) {
        const QHostAddress oldAddress = m_listener->serverAddress();
        m_listener->close();
        fresh = open();
        if (!fresh && !m_listener->listen(oldAddress, port))
            qCWarning(lcHttp) << "could not reopen the previous listener";
    }
    if (!fresh)
        return false;
    if (m_listener && m_listener != fresh)
        stopListening();
    m_listener = fresh;
    return true;
}

void HttpFrontend::stopListening()
{
    // Connections belong to this object, not to the listener: they carry on.
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
    }
    m_listener.clear();
}

quint16 HttpFrontend::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QHostAddress HttpFrontend::address() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

bool HttpFrontend::isListening() const
{
    return m_listener && m_listener->isListening();
}

int HttpFrontend::openConnections() const
{
    return m_registry.count();
}

qint64 HttpFrontend::bufferedBytes() const
{
    return m_registry.bufferedBytes();
}

void HttpFrontend::setLimits(const ConnectionLimits &limits)
{
    m_registry.setLimits(limits);
}

void HttpFrontend::onIncoming(qintptr descriptor)
{
    auto *socket = new ClientSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const ConnectionRegistry::Admission admission = m_registry.admit(socket->peerAddress());
    if (admission != ConnectionRegistry::Admission::Admitted) {
        m_registry.noteRefusal(admission);
        socket->write(HttpReply::text(503, QByteArrayLiteral("Service Unavailable"))
                          .withHeader("Retry-After", "1")
                          .toBytes({{}, {}, false, true}));
        connect(socket, &ClientSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        if (socket->state() != QAbstractSocket::UnconnectedState)
            QTimer::singleShot(2000, socket, [socket] { socket->abort(); });
        return;
    }
    // SSE frames are small writes: without TCP_NODELAY, Nagle and delayed ACKs hold them ~40 ms.
    socket->setLowDelay(true);
    // While a request runs, its pipelined successors wait in at most this much buffer.
    socket->setReadBufferSize(kReadBufferBytes);
    new HttpConnection(socket, this, &m_registry);
}

HeadDecision HttpFrontend::screenHead(const RequestHead &head, ClientSocket *socket) const
{
    return m_policy ? m_policy(head, socket) : HeadDecision {};
}

HttpRequest HttpFrontend::convert(const RequestHead &head, QByteArray body,
                                  const QHostAddress &peer)
{
    HttpRequest out;
    out.method = head.method;
    const QUrl url(QString::fromLatin1(head.target));
    out.path = url.path();
    out.query = QUrlQuery(url);
    out.headers = head.headers;
    out.body = std::move(body);
    out.peer = peer;
    out.version = head.version;
    out.webSocketUpgrade = head.upgrade;
    return out;
}

void HttpFrontend::dispatch(HttpConnection *connection, const RequestHead &head, QByteArray body)
{
    m_handler->handleHttp(convert(head, std::move(body), connection->peer()), connection->socket());
}

void HttpFrontend::upgrade(HttpConnection *connection, const RequestHead &head,
                           const QByteArray &early)
{
    const HttpRequest request = convert(head, {}, connection->peer());
    const QByteArray refusal = m_handler->checkUpgrade(request);
    if (!refusal.isEmpty()) {
        connection->refuseWith(refusal);
        return;
    }
    ClientSocket *socket = connection->socket();
    connection->markUpgraded();
    socket->write(WsHandshake::acceptResponse(request.value("sec-websocket-key")));
    socket->setReadBufferSize(0); // frames are read by the WebSocket, which bounds them
    auto ws = std::make_unique<WsSocket>(socket, early);
    m_handler->handleWebSocket(std::move(ws), request);
}

} // namespace passerelle
