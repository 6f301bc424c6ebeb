#pragma once

// A request head as the gateway reads it (RequestHead), and a scanner that follows the bytes of
// one HTTP/1.1 connection and reports each request head (method, target, headers, body length) as
// soon as it is complete, skipping the bodies. The parsing is HttpRequestParser's (one set of
// rules); the scanner is that parser seen head by head. Pure state machine, any thread.

#include <QByteArray>
#include <QList>
#include <QPair>

#include <functional>
#include <memory>

namespace passerelle {

class HttpRequestParser;

struct RequestHead
{
    QByteArray method;
    QByteArray target; // as sent: "/v1/chat/completions?x=1"
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    qint64 contentLength = -1; // -1: no Content-Length
    bool chunked = false; // a Transfer-Encoding (none is read: 411)
    bool expectContinue = false;
    bool upgrade = false; // Upgrade: websocket

    QByteArray value(const QByteArray &lowerName) const;
    QByteArray path() const; // target without the query
    // Whether a comma-separated header (every occurrence) lists `token`, case-insensitively.
    bool hasToken(const QByteArray &lowerName, const QByteArray &lowerToken) const
    {
        return hasToken(headers, lowerName, lowerToken);
    }
    static bool hasToken(const QList<QPair<QByteArray, QByteArray>> &headers,
                         const QByteArray &lowerName, const QByteArray &lowerToken);
    // Connection: close, or HTTP/1.0 without Connection: keep-alive.
    bool wantsClose() const;
};

class RequestHeadScanner
{
public:
    enum class Verdict { Continue, Reject };
    // Called once per complete head; Reject stops the scanner (the connection will be closed).
    using HeadHandler = std::function<Verdict(const RequestHead &head)>;

    enum class State { Head, Body, Upgraded, Stopped, HeadTooLarge, Malformed };

    explicit RequestHeadScanner(HeadHandler handler);
    ~RequestHeadScanner();

    // Consumes the next bytes of the connection. Returns the state after them.
    State feed(const QByteArray &bytes);
    State state() const { return m_state; }

    static constexpr int kMaxHeadBytes = 64 * 1024;

private:
    HeadHandler m_handler;
    std::unique_ptr<HttpRequestParser> m_parser;
    State m_state = State::Head;
};

} // namespace passerelle
