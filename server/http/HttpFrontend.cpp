#include "http/HttpFrontend.h"

#include "Logging.h"

#include <QHttpServerRequest>
#include <QTcpSocket>
#include <QWebSocket>

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
    : QAbstractHttpServer(parent), m_handler(handler), m_policy(std::move(policy))
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this,
            &HttpFrontend::onNewWebSocket);
}

bool HttpFrontend::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto open = [&]() -> HttpListener * {
        auto *listener = new HttpListener(m_policy);
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
        retire(m_listener);
    bind(fresh); // parents it to this server (QtHttpServer 6.4 API)
    m_listener = fresh;
    return true;
}

void HttpFrontend::retire(HttpListener *listener)
{
    listener->close();
    if (listener->openConnections() == 0) {
        listener->deleteLater();
        return;
    }
    // Existing connections are children of the listener: keep it until they are gone.
    const auto sockets = listener->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    auto remaining = std::make_shared<int>(int(sockets.size()));
    for (QTcpSocket *s : sockets) {
        connect(s, &QObject::destroyed, listener, [listener, remaining] {
            if (--*remaining == 0)
                listener->deleteLater();
        });
    }
}

void HttpFrontend::stopListening()
{
    if (m_listener)
        retire(m_listener);
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

HttpRequest HttpFrontend::convert(const QHttpServerRequest &request)
{
    HttpRequest out;
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        out.method = "GET";
        break;
    case QHttpServerRequest::Method::Put:
        out.method = "PUT";
        break;
    case QHttpServerRequest::Method::Delete:
        out.method = "DELETE";
        break;
    case QHttpServerRequest::Method::Post:
        out.method = "POST";
        break;
    case QHttpServerRequest::Method::Head:
        out.method = "HEAD";
        break;
    case QHttpServerRequest::Method::Options:
        out.method = "OPTIONS";
        break;
    case QHttpServerRequest::Method::Patch:
        out.method = "PATCH";
        break;
    case QHttpServerRequest::Method::Connect:
        out.method = "CONNECT";
        break;
    case QHttpServerRequest::Method::Trace:
        out.method = "TRACE";
        break;
    default:
        out.method = "UNKNOWN";
        break;
    }
    const QUrl url = request.url();
    out.path = url.path();
    out.query = QUrlQuery(url);
    const auto headers = request.headers();
    out.headers.reserve(headers.size());
    for (const auto &h : headers)
        out.headers.append({h.first.toLower(), h.second.trimmed()});
    out.body = request.body();
    out.peer = request.remoteAddress();
    out.webSocketUpgrade = out.value("upgrade").toLower() == "websocket";
    return out;
}

QString HttpFrontend::peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    HttpRequest req = convert(request);
    if (req.webSocketUpgrade) {
        // 6.4: returning true without writing hands the socket to the WebSocket server;
        // returning false makes it call missingHandler(), where the refusal is written.
        m_pendingRefusal = m_handler->checkUpgrade(req);
        if (!m_pendingRefusal.isEmpty())
            return false;
        m_pendingUpgrades.insert(peerKey(socket->peerAddress(), socket->peerPort()),
                                 std::move(req));
        return true;
    }
    m_handler->handleHttp(req, socket);
    return true;
}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Q_UNUSED(request);
    if (!m_pendingRefusal.isEmpty()) {
        socket->write(m_pendingRefusal);
        m_pendingRefusal.clear();
    }
}

void HttpFrontend::onNewWebSocket()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> ws = nextPendingWebSocketConnection();
        if (!ws)
            continue;
        const HttpRequest upgrade
            = m_pendingUpgrades.take(peerKey(ws->peerAddress(), ws->peerPort()));
        m_handler->handleWebSocket(std::move(ws), upgrade);
    }
}

} // namespace passerelle
