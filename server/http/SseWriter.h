#pragma once

// Writes one Server-Sent-Events response on a client connection with HTTP/1.1 chunked framing
// (plain frames to an HTTP/1.0 client): the head, one chunk per frame ("data: <json>\n\n",
// "event: <name>\ndata: <json>\n\n" or a ": comment\n\n"), and the terminating chunk, which
// ends the response on the connection. Holds a QPointer to the socket and checks it before every
// write (the client may vanish at any time). A slow client is followed, not dropped: the stream
// adapter's FlowControl hears when the connection's unsent bytes pass
// passerelle.http.maxBufferedBytes and when they drain. Server thread.

#include "http/ClientSocket.h"
#include "http/HttpReply.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QPointer>

#include <functional>

namespace passerelle {

class FlowControl;
class HttpConnection;

class SseWriter
{
public:
    // Called for every frame written, with its offset in ms since the writer was created.
    using FrameObserver = std::function<void(qint64 offsetMs, const QByteArray &frame)>;

    SseWriter(ClientSocket *socket, ReplyContext context);

    void setObserver(FrameObserver observer) { m_observer = std::move(observer); }
    // The adapter paused while the client is behind; null: nobody is told.
    void setFlowControl(FlowControl *flow);
    bool isConnected() const;
    bool hasBegun() const { return m_begun; }
    // Whether the client is maxBufferedBytes behind (a keep-alive then helps nobody).
    bool isClientBehind() const;

    void begin(); // the response head
    void data(const QByteArray &payload); // payload: compact JSON or "[DONE]"
    // A named event, "event: <name>\ndata: <payload>\n\n", as one chunk (Responses, Messages).
    void event(const QByteArray &name, const QByteArray &payload);
    void comment(const QByteArray &text); // ": <text>\n\n"
    void end(); // "0\r\n\r\n", and the response is over

    // Pure framing, for tests.
    static QByteArray dataFrame(const QByteArray &payload);
    static QByteArray eventFrame(const QByteArray &name, const QByteArray &payload);
    static QByteArray commentFrame(const QByteArray &text);
    static QByteArray chunk(const QByteArray &bytes);

private:
    void writeFrame(const QByteArray &frame);
    void write(const QByteArray &bytes);
    HttpConnection *connection() const;

    QPointer<ClientSocket> m_socket;
    QPointer<HttpConnection> m_connection; // the socket's connection layer
    ReplyContext m_context;
    FrameObserver m_observer;
    FlowControl *m_flow = nullptr;
    QElapsedTimer m_clock;
    bool m_begun = false;
    bool m_ended = false;
};

} // namespace passerelle
