#include "http/HttpListener.h"

#include "Logging.h"
#include "http/HttpReply.h"

#include <QTcpSocket>
#include <QTimer>

namespace passerelle {

namespace {

constexpr char kBusyProperty[] = "passerelle_busy";

// Per-connection companion: a child of the socket, so it dies with it.
class ConnectionGuard final : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, const HttpListener::HeadPolicy &policy)
        : QObject(socket), m_socket(socket), m_policy(policy),
          m_scanner([this](const RequestHead &head) { return onHead(head); })
    {
        // Connected before QtHttpServer connects its own slot, so this runs first.
        connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
        connect(socket, &QTcpSocket::bytesWritten, this, [this] { m_idle.start(); });
        m_idle.setSingleShot(true);
        m_idle.setInterval(HttpListener::kIdleTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            if (m_socket->property(kBusyProperty).toBool()) {
                m_idle.start();
                return;
            }
            m_socket->disconnectFromHost();
        });
        m_idle.start();
    }

private:
    RequestHeadScanner::Verdict onHead(const RequestHead &head)
    {
        const HeadDecision decision = m_policy ? m_policy(head, m_socket) : HeadDecision {};
        if (!decision.rejection.isEmpty()) {
            m_rejection = decision.rejection;
            return RequestHeadScanner::Verdict::Reject;
        }
        if (decision.sendContinue)
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        return RequestHeadScanner::Verdict::Continue;
    }

    void onReadyRead()
    {
        m_idle.start();
        if (m_discarding) {
            m_socket->readAll();
            return;
        }
        const auto state = m_scanner.feed(m_socket->peek(m_socket->bytesAvailable()));
        switch (state) {
        case RequestHeadScanner::State::Head:
        case RequestHeadScanner::State::Body:
            return;
        case RequestHeadScanner::State::Upgraded:
            // The WebSocket takes the connection over (with its own ticks and timeouts).
            disconnect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
            disconnect(m_socket, &QTcpSocket::bytesWritten, this, nullptr);
            m_idle.stop();
            return;
        case RequestHeadScanner::State::Stopped:
            break;
        case RequestHeadScanner::State::HeadTooLarge:
            m_rejection = HttpReply::text(431, QByteArrayLiteral("Request Header Fields Too Large"))
                              .toBytes({{}, {}, false, true});
            break;
        case RequestHeadScanner::State::Malformed:
            m_rejection = HttpReply::text(400, QByteArrayLiteral("Bad Request"))
                              .toBytes({{}, {}, false, true});
            break;
        }
        // Refused: answer, swallow whatever else arrives so QtHttpServer never buffers it, close.
        m_discarding = true;
        m_socket->readAll();
        m_socket->write(m_rejection);
        m_socket->disconnectFromHost();
    }

    QTcpSocket *m_socket = nullptr;
    HttpListener::HeadPolicy m_policy;
    RequestHeadScanner m_scanner;
    QByteArray m_rejection;
    QTimer m_idle;
    bool m_discarding = false;
};

} // namespace

HttpListener::HttpListener(HeadPolicy policy, QObject *parent)
    : QTcpServer(parent), m_policy(std::move(policy))
{
    setListenBacklogSize(kBacklog);
}

void HttpListener::setBusy(QTcpSocket *socket, bool busy)
{
    if (socket)
        socket->setProperty(kBusyProperty, busy);
}

void HttpListener::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (m_open >= kMaxConnections) {
        qCWarning(lcHttp) << "connection limit reached; refusing a client";
        socket->write(HttpReply::text(503, QByteArrayLiteral("Service Unavailable"))
                          .withHeader("Retry-After", "1")
                          .toBytes({{}, {}, false, true}));
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    // SSE frames are small writes: without TCP_NODELAY, Nagle and delayed ACKs hold them ~40 ms.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    new ConnectionGuard(socket, m_policy);
    addPendingConnection(socket); // QTcpServer emits newConnection() after this returns
}

} // namespace passerelle
