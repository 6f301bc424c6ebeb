#pragma once

// A raw-socket HTTP/1.1 client for contract tests: sends exactly the bytes a test wants and
// returns exactly what the server wrote (status, headers, de-chunked body, SSE frames), so tests
// assert what a client sees. Blocking with timeouts (the server runs in its own thread).

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpSocket>

#include <memory>

namespace passerelle::test {

struct HttpResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body; // de-chunked
    bool complete = false;
    bool chunked = false;

    QByteArray header(const QByteArray &lowerName) const;
    int headerCount(const QByteArray &lowerName) const;
    QJsonObject json() const;
    // A chat completion's reply text: choices[0].message.content ("" when there is none).
    QString chatContent() const;
    QList<QByteArray> sseFrames() const; // every frame: "data: ..." or ": comment" (no blank line)
    QList<QByteArray> sseData() const; // payloads of the data frames
};

class TestHttpClient
{
public:
    explicit TestHttpClient(quint16 port, QByteArray host = "127.0.0.1");

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    // One request on a fresh connection; waits for the complete response.
    HttpResponse request(const QByteArray &method, const QByteArray &path,
                         const Headers &headers = {}, const QByteArray &body = {},
                         int timeoutMs = 10000);
    HttpResponse post(const QByteArray &path, const QByteArray &body, const QByteArray &token,
                      const Headers &extra = {});
    // Sends raw bytes and reads until the response completes or the server closes.
    HttpResponse raw(const QByteArray &bytes, int timeoutMs = 10000);

    // Streaming: open, send, read incrementally.
    bool open(const QByteArray &bytes);
    bool waitForData(const QByteArray &needle,
                     int timeoutMs = 10000); // until the raw stream has it
    HttpResponse current() const; // what has arrived so far, parsed
    void close(); // the client vanishes
    bool waitForServerClose(int timeoutMs = 10000);

    static QByteArray buildRequest(const QByteArray &method, const QByteArray &path,
                                   const Headers &headers, const QByteArray &body,
                                   const QByteArray &host);
    // The complete responses, in order, of one connection's bytes (pipelining); headOnly[i]: the
    // i-th answers a HEAD (no body whatever its Content-Length says).
    static QList<HttpResponse> parseAll(const QByteArray &raw, const QList<bool> &headOnly = {});

private:
    static HttpResponse parse(const QByteArray &raw, bool closed);
    static HttpResponse parseAt(const QByteArray &raw, qsizetype from, bool closed, bool headOnly,
                                qsizetype *end);

    quint16 m_port = 0;
    QByteArray m_host;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_raw;
};

} // namespace passerelle::test
