#include "support/TestHttpClient.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>

namespace passerelle::test {

QByteArray HttpResponse::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

int HttpResponse::headerCount(const QByteArray &lowerName) const
{
    int n = 0;
    for (const auto &h : headers)
        n += h.first == lowerName ? 1 : 0;
    return n;
}

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpResponse::chatContent() const
{
    return json()
        .value(QLatin1String("choices"))
        .toArray()
        .at(0)
        .toObject()
        .value(QLatin1String("message"))
        .toObject()
        .value(QLatin1String("content"))
        .toString();
}

QList<QByteArray> HttpResponse::sseFrames() const
{
    QList<QByteArray> out;
    const QList<QByteArray> parts = body.split('\n');
    for (const QByteArray &line : parts) {
        if (!line.isEmpty())
            out.append(line);
    }
    return out;
}

QList<QByteArray> HttpResponse::sseData() const
{
    QList<QByteArray> out;
    const QList<QByteArray> frames = sseFrames();
    for (const QByteArray &f : frames) {
        if (f.startsWith("data: "))
            out.append(f.mid(6));
    }
    return out;
}

TestHttpClient::TestHttpClient(quint16 port, QByteArray host)
    : m_port(port), m_host(std::move(host))
{
}

QByteArray TestHttpClient::buildRequest(const QByteArray &method, const QByteArray &path,
                                        const Headers &headers, const QByteArray &body,
                                        const QByteArray &host)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\n";
    bool hasHost = false, hasLength = false;
    for (const auto &h : headers) {
        hasHost = hasHost || h.first.toLower() == "host";
        hasLength = hasLength || h.first.toLower() == "content-length";
    }
    if (!hasHost)
        out += "Host: " + host + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    if (!hasLength && (!body.isEmpty() || method == "POST"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    return out;
}

HttpResponse TestHttpClient::request(const QByteArray &method, const QByteArray &path,
                                     const Headers &headers, const QByteArray &body, int timeoutMs)
{
    return raw(buildRequest(method, path, headers, body, m_host), timeoutMs);
}

HttpResponse TestHttpClient::post(const QByteArray &path, const QByteArray &body,
                                  const QByteArray &token, const Headers &extra)
{
    Headers headers {{"Content-Type", "application/json"}};
    if (!token.isEmpty())
        headers.append({"Authorization", "Bearer " + token});
    headers += extra;
    return request("POST", path, headers, body);
}

HttpResponse TestHttpClient::raw(const QByteArray &bytes, int timeoutMs)
{
    if (!open(bytes))
        return {};
    const bool head = bytes.startsWith("HEAD ");
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        HttpResponse r = parse(m_raw, false);
        if (r.complete || (head && r.status != 0))
            break;
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            break;
        if (m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            m_raw += m_socket->readAll();
    }
    m_raw += m_socket->readAll();
    const bool closed = m_socket->state() != QAbstractSocket::ConnectedState;
    HttpResponse r = parse(m_raw, closed);
    if (head && r.status != 0) {
        r.complete = true; // a HEAD response has no body whatever its Content-Length says
        r.body.clear();
    }
    close();
    return r;
}

bool TestHttpClient::open(const QByteArray &bytes)
{
    m_raw.clear();
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(QHostAddress::LocalHost, m_port);
    if (!m_socket->waitForConnected(5000))
        return false;
    m_socket->write(bytes);
    return m_socket->waitForBytesWritten(5000) || bytes.isEmpty();
}

bool TestHttpClient::waitForData(const QByteArray &needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_raw.contains(needle)) {
        if (deadline.hasExpired() || !m_socket)
            return false;
        if (m_socket->bytesAvailable() == 0
            && !m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            return m_raw.contains(needle);
        m_raw += m_socket->readAll();
    }
    return true;
}

HttpResponse TestHttpClient::current() const
{
    return parse(m_raw, false);
}

void TestHttpClient::close()
{
    if (m_socket) {
        m_socket->abort();
        m_socket.reset();
    }
}

bool TestHttpClient::waitForServerClose(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        if (deadline.hasExpired())
            return false;
        m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_raw += m_socket->readAll();
    }
    return true;
}

HttpResponse TestHttpClient::parse(const QByteArray &raw, bool closed)
{
    return parseAt(raw, 0, closed, false, nullptr);
}

QList<HttpResponse> TestHttpClient::parseAll(const QByteArray &raw, const QList<bool> &headOnly)
{
    QList<HttpResponse> out;
    qsizetype pos = 0;
    while (pos < raw.size()) {
        // An informational response (100, 101) has no body either.
        const bool informational = raw.mid(pos, 10).startsWith("HTTP/1.1 1");
        const bool head
            = informational || (out.size() < headOnly.size() && headOnly.at(out.size()));
        qsizetype end = 0;
        HttpResponse r = parseAt(raw, pos, false, head, &end);
        if (!r.complete)
            break;
        out.append(r);
        pos = end;
    }
    return out;
}

HttpResponse TestHttpClient::parseAt(const QByteArray &raw, qsizetype from, bool closed,
                                     bool headOnly, qsizetype *end)
{
    HttpResponse r;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n", from);
    if (headEnd < 0)
        return r;
    const QList<QByteArray> lines = raw.mid(from, headEnd - from).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() >= 2)
        r.status = statusLine[1].toInt();
    qint64 length = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
        if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            r.chunked = true;
    }
    const qsizetype bodyStart = headEnd + 4;
    if (headOnly) {
        r.complete = true;
        if (end)
            *end = bodyStart;
        return r;
    }
    if (r.chunked) {
        qsizetype pos = bodyStart;
        while (true) {
            const qsizetype lineEnd = raw.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qint64 size = raw.mid(pos, lineEnd - pos).trimmed().toLongLong(&ok, 16);
            if (!ok)
                break;
            if (size == 0) {
                const qsizetype trailerEnd = raw.indexOf("\r\n", lineEnd + 2);
                r.complete = trailerEnd >= 0;
                if (end && r.complete)
                    *end = trailerEnd + 2;
                break;
            }
            if (raw.size() < lineEnd + 2 + size + 2)
                break;
            r.body += raw.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    } else if (length >= 0) {
        r.body = raw.mid(bodyStart, length);
        r.complete = raw.size() - bodyStart >= length;
        if (end)
            *end = bodyStart + length;
    } else {
        r.body = raw.mid(bodyStart);
        r.complete = closed;
        if (end)
            *end = raw.size();
    }
    return r;
}

} // namespace passerelle::test
