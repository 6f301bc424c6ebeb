#pragma once

// The gateway's transport on its one port, and the one adapter every route and the WebSocket side
// go through: opens HttpListeners, admits each client against the connection caps
// (ConnectionRegistry), gives it an HttpConnection (the gateway's own HTTP/1.1: one request at a
// time in order, keep-alive and close, deadlines, flow control), turns each complete request into
// a version-neutral HttpRequest for the gateway's handler, asks the handler about each upgrade
// and hands an accepted one over as a WsSocket (the gateway's RFC 6455 framing). QtHttpServer is
// not used: 6.4 cannot order pipelined requests behind an async reply nor honour Connection:
// close, and QWebSocket cannot refuse unmasked client frames. Server thread.

#include "http/ConnectionRegistry.h"
#include "http/HeapTrimmer.h"
#include "http/HttpListener.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <memory>

namespace passerelle {

class ClientSocket;
class HttpConnection;
class WsSocket;

struct HttpRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path; // decoded path, no query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    bool webSocketUpgrade = false;

    QByteArray value(const QByteArray &lowerName) const;
};

class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    // Answers a plain request through the socket's HttpConnection (now or later).
    virtual void handleHttp(const HttpRequest &request, ClientSocket *socket) = 0;
    // Returns an empty array to accept the upgrade, else the HTTP response refusing it.
    virtual QByteArray checkUpgrade(const HttpRequest &request) = 0;
    virtual void handleWebSocket(std::unique_ptr<WsSocket> socket, const HttpRequest &upgrade) = 0;
};

class HttpFrontend final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpFrontend)

public:
    HttpFrontend(HttpHandler *handler, HttpListener::HeadPolicy policy, QObject *parent = nullptr);
    ~HttpFrontend() override;

    // Opens a new listener; the previous one (if any) stops accepting (its connections stay).
    // On failure the previous listener keeps serving and *error says why.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void stopListening();
    quint16 port() const;
    QHostAddress address() const;
    bool isListening() const;
    // Client connections open now (HTTP and WebSocket).
    int openConnections() const;
    // Bytes written for clients that they have not read yet, all connections together.
    qint64 bufferedBytes() const;
    void setLimits(const ConnectionLimits &limits);

    // A request body this big (or bigger) leaves memory to give back when it is done.
    static constexpr qint64 kBigBodyBytes = qint64(1) << 20;
    // What the socket of one client buffers of its next request while the current one runs.
    static constexpr qint64 kReadBufferBytes = qint64(256) * 1024;

    // --- for HttpConnection ---
    HeadDecision screenHead(const RequestHead &head, ClientSocket *socket) const;
    void dispatch(HttpConnection *connection, const RequestHead &head, QByteArray body);
    void upgrade(HttpConnection *connection, const RequestHead &head, const QByteArray &early);
    void bigRequestDone() { m_trimmer.schedule(); }

private:
    void onIncoming(qintptr descriptor);
    static HttpRequest convert(const RequestHead &head, QByteArray body, const QHostAddress &peer);

    HttpHandler *m_handler = nullptr;
    HttpListener::HeadPolicy m_policy;
    ConnectionRegistry m_registry;
    HeapTrimmer m_trimmer;
    QPointer<HttpListener> m_listener;
};

} // namespace passerelle
