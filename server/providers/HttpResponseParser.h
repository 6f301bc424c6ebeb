#pragma once

// The HTTP/1.1 response side of the upstream client: parses a status line and headers (skipping
// interim 1xx answers), then decodes the body as its framing says (Content-Length, chunked, or
// until the connection closes) and tells whether the connection may be kept for another request.
// Pure: bytes in, body bytes out, no I/O. Used by UpstreamExchange; any thread.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace passerelle {

class HttpResponseParser
{
public:
    enum class State { Head, Body, Complete, Error };

    static constexpr qsizetype MaxHeadBytes = 64 * 1024;
    static constexpr qsizetype MaxChunkLineBytes = 4 * 1024;

    // Consumes bytes of the response; body bytes are appended to *body. Returns how many input
    // bytes belong to this response: fewer than given once it is complete (what follows is not
    // ours) or on an error.
    qsizetype feed(QByteArrayView bytes, QByteArray *body);
    // The connection closed: completes a body that runs until close; anything else still open
    // is truncated (an error).
    void endOfInput();

    State state() const { return m_state; }
    bool headComplete() const { return m_state != State::Head && m_status != 0; }
    const QString &errorString() const { return m_error; }
    int status() const { return m_status; }
    QByteArray header(QByteArrayView lowerName) const; // the first value, "" if absent
    // Complete and the connection may carry another request.
    bool keepAlive() const { return m_state == State::Complete && m_keepAlive; }

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkStep { Size, Data, DataEnd, Trailer };

    qsizetype feedHead(QByteArrayView bytes);
    bool parseHead();
    qsizetype feedChunked(QByteArrayView bytes, QByteArray *body);
    void fail(const QString &why);

    State m_state = State::Head;
    QByteArray m_head;
    QList<QPair<QByteArray, QByteArray>> m_headers; // names lower-cased
    int m_status = 0;
    bool m_keepAlive = false;
    Framing m_framing = Framing::None;
    qint64 m_left = 0; // of the body (Length) or of the current chunk (Chunked)
    ChunkStep m_chunkStep = ChunkStep::Size;
    QByteArray m_line; // a chunk-size or trailer line being read
    QString m_error;
};

} // namespace passerelle
