#pragma once

// An in-process OpenAI-compatible upstream for tests, on 127.0.0.1 port 0. Built on raw
// QTcpServer sockets so a test scripts the bytes and their timing exactly: status, headers, body
// chunks with QTimer delays or held until the test releases them, silence, a cut stream, slow
// bodies. It records every request and reports a client closing a connection mid-answer. Lives
// on the thread that creates it (the test's).

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QQueue>
#include <QString>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace passerelle::test {

class FakeUpstream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeUpstream)

public:
    struct Chunk
    {
        QByteArray bytes;
        int delayMs = 0; // after the previous chunk (or the headers)
        bool held = false; // wait for releaseHeld() instead of a delay
    };
    enum class Framing { Chunked, ContentLength, UntilClose };
    struct Reply
    {
        int status = 200;
        QByteArray contentType = "text/event-stream";
        QList<QPair<QByteArray, QByteArray>> headers;
        QList<Chunk> chunks;
        Framing framing = Framing::Chunked;
        bool answer = true; // false: read the request and never send a byte
        bool finish = true; // false: after the last chunk, keep the connection open and silent
    };
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; // names lower-cased
        QByteArray body;
        QJsonObject json;
    };

    explicit FakeUpstream(QObject *parent = nullptr);
    ~FakeUpstream() override;

    bool listen();
    quint16 port() const;
    QString baseUrl() const; // http://127.0.0.1:<port>/v1

    // Requests take queued replies in order; once the queue is empty, the default reply.
    void enqueue(const Reply &reply);
    void setDefaultReply(const Reply &reply);
    // Sends the next held chunk (and whatever follows it up to the next held one).
    void releaseHeld();
    int heldCount() const { return int(m_held.size()); }

    QList<Request> requests() const { return m_requests; }
    int clientClosedCount() const { return m_clientClosed; }
    int openConnections() const { return m_open; }
    // Bytes written to open connections that the kernel has not taken yet: above zero for long
    // once the client stops reading its socket (back-pressure reached this end).
    qint64 unsentBytes() const;

    // A loopback port whose accept queue is full: a connect to it never completes (for connect
    // timeouts without leaving the machine). Valid while this object lives.
    quint16 stalledPort();
    // A loopback port nobody listens on: a connect to it is refused at once.
    static quint16 refusedPort();

    // Body builders.
    static QByteArray sse(const QJsonObject &chunk); // "data: {...}\n\n"
    static QByteArray done(); // "data: [DONE]\n\n"
    static QJsonObject contentChunk(const QString &text, const QString &finishReason = {});
    static QJsonObject finishChunk(const QString &finishReason);
    static QJsonObject toolCallChunk(int index, const QString &id, const QString &name,
                                     const QString &arguments);
    static QJsonObject usageChunk(qint64 promptTokens, qint64 completionTokens);
    static Reply stream(const QList<QByteArray> &events, int delayMs = 0);
    // A stream that starts at once with `first`, then holds its end (`last` with finish_reason
    // "stop", `beforeDone` such as a usage chunk, [DONE]) until releaseHeld().
    static Reply held(const QString &first, const QString &last, const QByteArray &beforeDone = {});
    // The body cut into pieces of `size` bytes, each its own write `delayMs` after the previous
    // one (so the client's reads split there).
    static Reply pieces(const QByteArray &body, qsizetype size, int delayMs);
    static Reply json(int status, const QJsonObject &body);
    static Reply error(int status, const QString &message, const QString &type,
                       const QString &code = {});

signals:
    void requestReceived();
    void clientClosed(); // the client closed a connection before the answer was complete

private:
    struct Connection;
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket);
    void sendFrom(QTcpSocket *socket, int index);
    void writeChunk(QTcpSocket *socket, const QByteArray &bytes);
    void finishAnswer(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QMap<QTcpSocket *, Connection *> m_connections;
    QQueue<Reply> m_queue;
    Reply m_default;
    QList<Request> m_requests;
    QQueue<std::function<void()>> m_held;
    int m_clientClosed = 0;
    int m_open = 0;
    QList<int> m_stalledFds;
};

} // namespace passerelle::test
