#pragma once

// The bytes of one HTTP/1.1 connection turned into requests, one at a time (RFC 9112, strictly:
// one space between the parts of the request line, header names without surrounding space, no
// folded lines, no control character, Content-Length as plain digits and never two different
// ones, any Transfer-Encoding flagged for 411). Bytes in, decisions out: append() what arrives,
// next() says when a head is complete (the caller decides on it before its body is read), when
// the request is complete, or why the connection must be refused. Nothing after a complete
// request is parsed until next() is called again, so pipelined requests wait their turn. Pure,
// any thread (a fuzzer drives it directly).

#include "http/RequestHeadScanner.h"

#include <QByteArray>

namespace passerelle {

class HttpRequestParser
{
public:
    enum class Event {
        NeedMore, // nothing more is complete yet
        Head, // head() is complete; the next call reads its body
        Request, // head() and takeBody() make a complete request; the next call starts the next one
        HeadTooLarge, // 431; the parser stops
        Malformed, // 400; the parser stops
    };

    static constexpr qsizetype kMaxHeadBytes = RequestHeadScanner::kMaxHeadBytes;

    void append(const QByteArray &bytes);
    Event next();

    const RequestHead &head() const { return m_head; }
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    // The bytes received and not parsed: after an upgrade's head, the client's first frames.
    QByteArray takeUnparsed();
    qsizetype unparsedSize() const { return m_in.size() - m_pos; }
    // A byte of the next request has arrived (its head deadline runs).
    bool requestStarted() const { return m_state == State::Head && unparsedSize() > 0; }
    bool readingBody() const { return m_state == State::Body; }

    // One complete head (its bytes up to the blank line, excluded) into *head; false: malformed.
    static bool parseHead(const QByteArray &raw, RequestHead *head);

private:
    enum class State { Head, Body, Complete, Stopped };

    void skipBlankLines();
    qsizetype findHeadEnd(qsizetype *separatorLength);
    void compact();

    State m_state = State::Head;
    QByteArray m_in;
    qsizetype m_pos = 0; // parsed up to here
    qsizetype m_scanFrom = 0; // the head's end is not before this (offset from m_pos)
    RequestHead m_head;
    QByteArray m_body;
    qint64 m_bodyRemaining = 0;
    bool m_headSeen = false; // the Head event of the current request was returned
};

} // namespace passerelle
