#include "support/FakeUpstream.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace passerelle::test {

struct FakeUpstream::Connection
{
    QByteArray buffer;
    bool headersDone = false;
    qsizetype contentLength = 0;
    Request request;
    Reply reply;
    bool answering = false;
    bool complete = false; // the answer was queued whole (or the server closed on purpose)
    qint64 queued = 0; // bytes of the answer given to the socket
    qint64 written = 0; // of which the kernel took
};

FakeUpstream::FakeUpstream(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeUpstream::onNewConnection);
}

FakeUpstream::~FakeUpstream()
{
    for (Connection *c : std::as_const(m_connections))
        delete c;
    m_connections.clear();
    for (int fd : std::as_const(m_stalledFds))
        ::close(fd);
}

bool FakeUpstream::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeUpstream::port() const
{
    return m_server->serverPort();
}

QString FakeUpstream::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(port());
}

void FakeUpstream::enqueue(const Reply &reply)
{
    m_queue.enqueue(reply);
}

void FakeUpstream::setDefaultReply(const Reply &reply)
{
    m_default = reply;
}

void FakeUpstream::releaseHeld()
{
    if (!m_held.isEmpty())
        m_held.dequeue()();
}

qint64 FakeUpstream::unsentBytes() const
{
    qint64 total = 0;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        total += it.key()->bytesToWrite();
    return total;
}

quint16 FakeUpstream::stalledPort()
{
    // listen() with a backlog of 0 queues one connection; the kernel drops the SYNs of any
    // further one while nobody accepts, so its connect stays pending.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0)
        return 0;
    m_stalledFds.append(listener);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (::bind(listener, reinterpret_cast<sockaddr *>(&addr), len) != 0
        || ::listen(listener, 0) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return 0;
    for (int i = 0; i < 2; ++i) {
        const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
        if (filler < 0)
            break;
        m_stalledFds.append(filler);
        ::fcntl(filler, F_SETFL, ::fcntl(filler, F_GETFL) | O_NONBLOCK);
        ::connect(filler, reinterpret_cast<sockaddr *>(&addr), sizeof(addr));
    }
    return ntohs(addr.sin_port);
}

quint16 FakeUpstream::refusedPort()
{
    QTcpServer closed;
    if (!closed.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = closed.serverPort();
    closed.close();
    return port;
}

void FakeUpstream::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Small writes go out at once, as from a streaming server (no Nagle coalescing).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.insert(socket, new Connection);
        ++m_open;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket](qint64 n) {
            if (Connection *c = m_connections.value(socket))
                c->written += n;
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            Connection *c = m_connections.take(socket);
            --m_open;
            // An answer is whole once the kernel took every byte of it: a client that closes
            // while the rest still waits in the socket's buffer closed before the end.
            const bool byClient = c && (!c->complete || c->written < c->queued);
            delete c;
            socket->deleteLater();
            if (byClient) {
                ++m_clientClosed;
                emit clientClosed();
            }
        });
    }
}

void FakeUpstream::onReadyRead(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    c->buffer += socket->readAll();
    if (c->answering)
        return; // one request per connection: every answer closes it
    if (!c->headersDone) {
        const qsizetype end = c->buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = c->buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        c->request.method = requestLine.value(0);
        c->request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            c->request.headers.insert(line.left(colon).trimmed().toLower(),
                                      line.mid(colon + 1).trimmed());
        }
        c->contentLength = c->request.headers.value("content-length").toLongLong();
        c->buffer.remove(0, end + 4);
        c->headersDone = true;
    }
    if (c->buffer.size() < c->contentLength)
        return;
    c->request.body = c->buffer.left(c->contentLength);
    c->request.json = QJsonDocument::fromJson(c->request.body).object();
    c->answering = true;
    c->reply = m_queue.isEmpty() ? m_default : m_queue.dequeue();
    m_requests.append(c->request);
    emit requestReceived();
    answer(socket);
}

void FakeUpstream::answer(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c || !c->reply.answer)
        return;
    const Reply &reply = c->reply;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Status\r\n";
    if (!reply.contentType.isEmpty())
        head += "Content-Type: " + reply.contentType + "\r\n";
    switch (reply.framing) {
    case Framing::Chunked:
        head += "Transfer-Encoding: chunked\r\n";
        break;
    case Framing::ContentLength: {
        qsizetype total = 0;
        for (const Chunk &chunk : reply.chunks)
            total += chunk.bytes.size();
        head += "Content-Length: " + QByteArray::number(total) + "\r\n";
        break;
    }
    case Framing::UntilClose:
        break;
    }
    head += "Connection: close\r\n";
    for (const auto &header : reply.headers)
        head += header.first + ": " + header.second + "\r\n";
    head += "\r\n";
    c->queued += socket->write(head);
    sendFrom(socket, 0);
}

void FakeUpstream::sendFrom(QTcpSocket *socket, int index)
{
    // Chunks without a delay go out in one loop: a reply of 300,000 events must not recurse.
    for (;; ++index) {
        Connection *c = m_connections.value(socket);
        if (!c)
            return;
        if (index >= c->reply.chunks.size()) {
            if (c->reply.finish)
                finishAnswer(socket);
            return;
        }
        const Chunk chunk = c->reply.chunks.at(index);
        if (!chunk.held && chunk.delayMs <= 0) {
            writeChunk(socket, chunk.bytes);
            continue;
        }
        const QPointer<QTcpSocket> guard(socket);
        const auto send = [this, guard, chunk, index] {
            if (!guard || !m_connections.contains(guard))
                return;
            writeChunk(guard, chunk.bytes);
            sendFrom(guard, index + 1);
        };
        if (chunk.held)
            m_held.enqueue(send);
        else
            QTimer::singleShot(chunk.delayMs, socket, send);
        return;
    }
}

void FakeUpstream::writeChunk(QTcpSocket *socket, const QByteArray &bytes)
{
    Connection *c = m_connections.value(socket);
    if (!c || bytes.isEmpty())
        return;
    if (c->reply.framing == Framing::Chunked)
        c->queued += socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
    else
        c->queued += socket->write(bytes);
    socket->flush();
}

void FakeUpstream::finishAnswer(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    if (c->reply.framing == Framing::Chunked)
        c->queued += socket->write("0\r\n\r\n");
    c->complete = true;
    socket->disconnectFromHost();
}

QByteArray FakeUpstream::sse(const QJsonObject &chunk)
{
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray FakeUpstream::done()
{
    return QByteArrayLiteral("data: [DONE]\n\n");
}

static QJsonObject chunkWith(const QJsonObject &delta, const QJsonValue &finishReason)
{
    return QJsonObject {
        {QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), 1700000000},
        {QStringLiteral("model"), QStringLiteral("fake-model")},
        {QStringLiteral("choices"),
         QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                  {QStringLiteral("delta"), delta},
                                  {QStringLiteral("finish_reason"), finishReason}}}},
    };
}

QJsonObject FakeUpstream::contentChunk(const QString &text, const QString &finishReason)
{
    return chunkWith(QJsonObject {{QStringLiteral("content"), text}},
                     finishReason.isEmpty() ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(finishReason));
}

QJsonObject FakeUpstream::finishChunk(const QString &finishReason)
{
    return chunkWith(QJsonObject {}, finishReason);
}

QJsonObject FakeUpstream::toolCallChunk(int index, const QString &id, const QString &name,
                                        const QString &arguments)
{
    QJsonObject call {{QStringLiteral("index"), index}};
    QJsonObject function;
    if (!id.isEmpty()) {
        call.insert(QStringLiteral("id"), id);
        call.insert(QStringLiteral("type"), QStringLiteral("function"));
    }
    if (!name.isEmpty())
        function.insert(QStringLiteral("name"), name);
    if (!arguments.isNull())
        function.insert(QStringLiteral("arguments"), arguments);
    call.insert(QStringLiteral("function"), function);
    return chunkWith(QJsonObject {{QStringLiteral("tool_calls"), QJsonArray {call}}},
                     QJsonValue(QJsonValue::Null));
}

QJsonObject FakeUpstream::usageChunk(qint64 promptTokens, qint64 completionTokens)
{
    return QJsonObject {
        {QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("choices"), QJsonArray {}},
        {QStringLiteral("usage"),
         QJsonObject {{QStringLiteral("prompt_tokens"), promptTokens},
                      {QStringLiteral("completion_tokens"), completionTokens},
                      {QStringLiteral("total_tokens"), promptTokens + completionTokens}}},
    };
}

FakeUpstream::Reply FakeUpstream::stream(const QList<QByteArray> &events, int delayMs)
{
    Reply reply;
    for (const QByteArray &event : events)
        reply.chunks.append(Chunk {event, delayMs, false});
    return reply;
}

FakeUpstream::Reply FakeUpstream::held(const QString &first, const QString &last,
                                       const QByteArray &beforeDone)
{
    Reply reply = stream({sse(contentChunk(first))});
    reply.chunks.append(
        Chunk {sse(contentChunk(last, QStringLiteral("stop"))) + beforeDone + done(), 0, true});
    return reply;
}

FakeUpstream::Reply FakeUpstream::pieces(const QByteArray &body, qsizetype size, int delayMs)
{
    Reply reply;
    for (qsizetype i = 0; i < body.size(); i += size)
        reply.chunks.append(Chunk {body.mid(i, size), delayMs, false});
    return reply;
}

FakeUpstream::Reply FakeUpstream::json(int status, const QJsonObject &body)
{
    Reply reply;
    reply.status = status;
    reply.contentType = "application/json";
    reply.framing = Framing::ContentLength;
    reply.chunks.append(Chunk {QJsonDocument(body).toJson(QJsonDocument::Compact), 0, false});
    return reply;
}

FakeUpstream::Reply FakeUpstream::error(int status, const QString &message, const QString &type,
                                        const QString &code)
{
    QJsonObject error {{QStringLiteral("message"), message}, {QStringLiteral("type"), type}};
    error.insert(QStringLiteral("code"),
                 code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code));
    return json(status, QJsonObject {{QStringLiteral("error"), error}});
}

} // namespace passerelle::test
