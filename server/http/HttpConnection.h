#pragma once

// One client connection of the gateway's own HTTP/1.1 layer (SPEC.md section 14): parses its
// requests with HttpRequestParser and hands them on one at a time, in order (a pipelined request
// waits until the response before it has ended), keeps the connection alive or closes it as the
// request asks (Connection: close, HTTP/1.0), runs its deadlines (head within headerTimeoutMs of
// its first byte, body bytes and idle keep-alive within idleTimeoutMs: 408 or close), and carries
// the current response: its bytes, its end, and the flow control of a stream (the client behind
// by maxBufferedBytes: its FlowControl is told; reading nothing for idleTimeoutMs: dropped). A
// child of its socket; hands the socket over on a WebSocket upgrade. Server thread.

#include "http/HttpRequestParser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

namespace passerelle {

class ClientSocket;
class ConnectionRegistry;
class FlowControl;
class HttpFrontend;

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    enum class State { Idle, ReadingHead, ReadingBody, Busy, Closing, Upgraded };

    HttpConnection(ClientSocket *socket, HttpFrontend *frontend, ConnectionRegistry *registry);
    ~HttpConnection() override;

    // The connection layer of a client socket (null for a socket it does not carry).
    static HttpConnection *of(const ClientSocket *socket);

    ClientSocket *socket() const { return m_socket; }
    State state() const { return m_state; }
    QHostAddress peer() const { return m_peer; }
    const QString &addressKey() const { return m_addressKey; }

    // --- the response to the current request ---
    // A whole response at once on a client socket: written, and the response ended.
    static void respond(ClientSocket *socket, const QByteArray &bytes);
    void write(const QByteArray &bytes);
    // The response is complete: the next request is read, or the connection closes.
    void endResponse();
    // Told when this client falls maxBufferedBytes behind and when it catches up; cleared at the
    // end of the response.
    void setFlowControl(FlowControl *flow) { m_flow = flow; }
    bool isClientBehind() const { return m_behind; }
    qint64 unsentBytes() const { return m_unsent; }
    // Forces a close once the current response ends (a stream without chunked framing).
    void closeAfterResponse() { m_closeAfter = true; }

    // --- for HttpFrontend and ConnectionRegistry ---
    void markUpgraded();
    void checkDeadlines(qint64 nowMs);
    void closeIdle(); // room for a new client
    void drop(const char *why); // a client that does not read
    // When the client last kept up (at most half of maxBufferedBytes unread): the order in which
    // clients are dropped when all buffers together are full.
    qint64 lastReadMs() const;

private:
    friend class ConnectionRegistry;
    friend class HttpFrontend;

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void processInput();
    void pump();
    void onHead();
    void dispatch();
    void refuse(int status);
    void refuseWith(const QByteArray &reply);
    void beginClose();
    void updateUnsent();
    void becomeIdle();

    ClientSocket *m_socket = nullptr; // the parent
    HttpFrontend *m_frontend = nullptr;
    ConnectionRegistry *m_registry = nullptr;
    QHostAddress m_peer;
    QString m_addressKey;
    HttpRequestParser m_parser;
    State m_state = State::Idle;
    FlowControl *m_flow = nullptr;
    qint64 m_sinceMs = 0; // idle since / head started / last body byte / closing since
    qint64 m_lastWriteProgressMs = 0; // the kernel last took bytes of the response
    qint64 m_keptUpMs = 0; // the client last had at most half of maxBufferedBytes unread
    qint64 m_unsent = 0;
    qint64 m_bodyBytes = 0; // of the request in flight
    quint64 m_idleKey = 0; // in the registry's idle list (0: not in it)
    bool m_behind = false;
    bool m_closeAfter = false;
    bool m_writeShut = false;
    bool m_processing = false;
    bool m_again = false;
    bool m_processQueued = false;
};

} // namespace passerelle
