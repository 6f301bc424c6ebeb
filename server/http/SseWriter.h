#pragma once

// Writes one Server-Sent-Events response on a client socket with HTTP/1.1 chunked framing: the
// head, one chunk per frame ("data: <json>\n\n", "event: <name>\ndata: <json>\n\n" or a
// ": comment\n\n"), and the terminating chunk.
// Holds a QPointer to the socket and checks it before every write (the client may vanish at any
// time), and sheds a client that stops reading. Server thread.

#include "http/HttpReply.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QPointer>
#include <QTcpSocket>

#include <functional>

namespace passerelle {

class SseWriter
{
public:
    // Called for every frame written, with its offset in ms since the writer was created.
    using FrameObserver = std::function<void(qint64 offsetMs, const QByteArray &frame)>;

    SseWriter(QTcpSocket *socket, ReplyContext context);

    void setObserver(FrameObserver observer) { m_observer = std::move(observer); }
    bool isConnected() const;
    bool hasBegun() const { return m_begun; }

    void begin(); // the response head
    void data(const QByteArray &payload); // payload: compact JSON or "[DONE]"
    // A named event, "event: <name>\ndata: <payload>\n\n", as one chunk (Responses, Messages).
    void event(const QByteArray &name, const QByteArray &payload);
    void comment(const QByteArray &text); // ": <text>\n\n"
    void end(); // "0\r\n\r\n"

    // Pure framing, for tests.
    static QByteArray dataFrame(const QByteArray &payload);
    static QByteArray eventFrame(const QByteArray &name, const QByteArray &payload);
    static QByteArray commentFrame(const QByteArray &text);
    static QByteArray chunk(const QByteArray &bytes);

    // A client that leaves this much unread is dropped (it would otherwise grow memory forever).
    static constexpr qint64 kMaxUnsentBytes = qint64(8) * 1024 * 1024;

private:
    void writeFrame(const QByteArray &frame);

    QPointer<QTcpSocket> m_socket;
    ReplyContext m_context;
    FrameObserver m_observer;
    QElapsedTimer m_clock;
    bool m_begun = false;
    bool m_ended = false;
};

} // namespace passerelle
