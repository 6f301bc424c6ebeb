#pragma once

// Follows the bytes of one HTTP/1.1 connection ahead of QtHttpServer's parser and reports each
// request head (method, target, headers, body length) as soon as it is complete, then skips the
// body. This lets the listener refuse an oversized body before a byte of it is buffered, answer
// `Expect: 100-continue`, and refuse oversized headers. Pure state machine, any thread.

#include <QByteArray>
#include <QList>
#include <QPair>

#include <functional>

namespace passerelle {

struct RequestHead
{
    QByteArray method;
    QByteArray target; // as sent: "/v1/chat/completions?x=1"
    QByteArray version; // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    qint64 contentLength = -1; // -1: no Content-Length
    bool chunked = false;
    bool expectContinue = false;
    bool upgrade = false; // Upgrade: websocket

    QByteArray value(const QByteArray &lowerName) const;
    QByteArray path() const; // target without the query
};

class RequestHeadScanner
{
public:
    enum class Verdict { Continue, Reject };
    // Called once per complete head; Reject stops the scanner (the connection will be closed).
    using HeadHandler = std::function<Verdict(const RequestHead &head)>;

    enum class State { Head, Body, Upgraded, Stopped, HeadTooLarge, Malformed };

    explicit RequestHeadScanner(HeadHandler handler) : m_handler(std::move(handler)) { }

    // Consumes the next bytes of the connection. Returns the state after them.
    State feed(const QByteArray &bytes);
    State state() const { return m_state; }

    static constexpr int kMaxHeadBytes = 64 * 1024;

private:
    bool parseHead(const QByteArray &raw, RequestHead *head) const;

    HeadHandler m_handler;
    State m_state = State::Head;
    QByteArray m_head;
    qint64 m_bodyRemaining = 0;
};

} // namespace passerelle
