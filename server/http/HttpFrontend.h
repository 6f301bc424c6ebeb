#pragma once

// The one adapter over QtHttpServer (QT64-NOTES): a QAbstractHttpServer subclass that listens
// through HttpListener, turns each parsed request into a version-neutral HttpRequest, hands it to
// the gateway's handler with the client socket, and accepts or refuses WebSocket upgrades. Every
// QtHttpServer API difference between 6.4 and 6.8+ stays in this file pair. Server thread.

#include "http/HttpListener.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <memory>

class QTcpSocket;
class QWebSocket;

namespace passerelle {

struct HttpRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path; // decoded path, no query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;
    bool webSocketUpgrade = false;

    QByteArray value(const QByteArray &lowerName) const;
};

class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    // Answers a plain request by writing to the socket (now or later).
    virtual void handleHttp(const HttpRequest &request, QTcpSocket *socket) = 0;
    // Returns an empty array to accept the upgrade, else the HTTP response refusing it.
    virtual QByteArray checkUpgrade(const HttpRequest &request) = 0;
    virtual void handleWebSocket(std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade)
        = 0;
};

class HttpFrontend final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpFrontend)

public:
    HttpFrontend(HttpHandler *handler, HttpListener::HeadPolicy policy, QObject *parent = nullptr);

    // Opens a new listener; the previous one (if any) stops accepting and is dropped once its
    // connections are gone. On failure the previous listener keeps serving and *error says why.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void stopListening();
    quint16 port() const;
    QHostAddress address() const;
    bool isListening() const;
    int openConnections() const { return m_listener ? m_listener->openConnections() : 0; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    static HttpRequest convert(const QHttpServerRequest &request);
    void retire(HttpListener *listener);
    void onNewWebSocket();
    static QString peerKey(const QHostAddress &address, quint16 port);

    HttpHandler *m_handler = nullptr;
    HttpListener::HeadPolicy m_policy;
    QPointer<HttpListener> m_listener;
    QByteArray m_pendingRefusal; // set by handleRequest for missingHandler (upgrades)
    QHash<QString, HttpRequest> m_pendingUpgrades; // accepted upgrades awaiting their QWebSocket
};

} // namespace passerelle
