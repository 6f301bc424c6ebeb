#include "providers/HttpResponseParser.h"

namespace passerelle {

namespace {

bool containsToken(QByteArrayView list, QByteArrayView token)
{
    for (const QByteArrayView part : QByteArray(list.data(), list.size()).toLower().split(',')) {
        if (part.trimmed() == token)
            return true;
    }
    return false;
}

} // namespace

QByteArray HttpResponseParser::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : m_headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

void HttpResponseParser::fail(const QString &why)
{
    m_state = State::Error;
    m_error = why;
}

qsizetype HttpResponseParser::feed(QByteArrayView bytes, QByteArray *body)
{
    qsizetype used = 0;
    while (used < bytes.size()) {
        const QByteArrayView rest = bytes.sliced(used);
        switch (m_state) {
        case State::Head:
            used += feedHead(rest);
            break;
        case State::Body:
            switch (m_framing) {
            case Framing::Length: {
                const qsizetype take = qsizetype(qMin<qint64>(m_left, rest.size()));
                body->append(rest.data(), take);
                m_left -= take;
                used += take;
                if (m_left == 0)
                    m_state = State::Complete;
                break;
            }
            case Framing::Chunked:
                used += feedChunked(rest, body);
                break;
            case Framing::UntilClose:
                body->append(rest.data(), rest.size());
                used += rest.size();
                break;
            case Framing::None:
                m_state = State::Complete;
                break;
            }
            break;
        case State::Complete:
        case State::Error:
            return used;
        }
    }
    return used;
}

qsizetype HttpResponseParser::feedHead(QByteArrayView bytes)
{
    // Look for the blank line from a little before the new bytes (it may straddle two reads).
    const qsizetype before = m_head.size();
    m_head.append(bytes.data(), bytes.size());
    // The head is the bytes before "\r\n\r\n", however many reads bring it: over the bound it
    // is refused, complete or not (the last three bytes seen may be the start of the blank line).
    const qsizetype end = m_head.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
    if (end < 0 ? m_head.size() - 3 > MaxHeadBytes : end > MaxHeadBytes) {
        fail(QStringLiteral("response head larger than %1 bytes").arg(MaxHeadBytes));
        return bytes.size();
    }
    if (end < 0)
        return bytes.size();
    const qsizetype used = end + 4 - before;
    m_head.truncate(end + 2);
    if (!parseHead())
        return used;
    m_head.clear();
    return used;
}

bool HttpResponseParser::parseHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    const QByteArray statusLine = lines.value(0).trimmed();
    // HTTP/1.x SSS reason
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine.at(8) != ' ') {
        fail(QStringLiteral("not an HTTP/1 response"));
        return false;
    }
    bool ok = false;
    const int status = statusLine.mid(9, 3).toInt(&ok);
    if (!ok || status < 100 || status > 999) {
        fail(QStringLiteral("bad status line"));
        return false;
    }
    const bool http10 = statusLine.at(7) == '0';
    m_headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(QStringLiteral("bad header line"));
            return false;
        }
        m_headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    if (status < 200 && status != 101) {
        // An interim answer (100 Continue, 103 Early Hints): the real one follows.
        m_headers.clear();
        return true;
    }
    m_status = status;
    const QByteArray connection = header("connection");
    m_keepAlive
        = http10 ? containsToken(connection, "keep-alive") : !containsToken(connection, "close");
    m_state = State::Body;
    if (status == 204 || status == 304 || status == 101) {
        m_framing = Framing::None;
        m_state = State::Complete;
    } else if (containsToken(header("transfer-encoding"), "chunked")) {
        m_framing = Framing::Chunked;
        m_chunkStep = ChunkStep::Size;
    } else if (const QByteArray length = header("content-length"); !length.isEmpty()) {
        m_left = length.toLongLong(&ok);
        if (!ok || m_left < 0) {
            fail(QStringLiteral("bad Content-Length"));
            return false;
        }
        m_framing = Framing::Length;
        if (m_left == 0)
            m_state = State::Complete;
    } else {
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
    }
    return true;
}

qsizetype HttpResponseParser::feedChunked(QByteArrayView bytes, QByteArray *body)
{
    qsizetype used = 0;
    while (used < bytes.size() && m_state == State::Body) {
        const QByteArrayView rest = bytes.sliced(used);
        switch (m_chunkStep) {
        case ChunkStep::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_left, rest.size()));
            body->append(rest.data(), take);
            m_left -= take;
            used += take;
            if (m_left == 0) {
                m_chunkStep = ChunkStep::DataEnd;
                m_line.clear();
            }
            break;
        }
        case ChunkStep::Size:
        case ChunkStep::DataEnd:
        case ChunkStep::Trailer: {
            const qsizetype lf = rest.indexOf('\n');
            const qsizetype take = lf < 0 ? rest.size() : lf + 1;
            m_line.append(rest.data(), take);
            used += take;
            if (m_line.size() > MaxChunkLineBytes) {
                fail(QStringLiteral("chunk line too long"));
                return used;
            }
            if (lf < 0)
                break;
            const QByteArray line = m_line.trimmed();
            m_line.clear();
            if (m_chunkStep == ChunkStep::DataEnd) {
                if (!line.isEmpty()) {
                    fail(QStringLiteral("bad chunk end"));
                    return used;
                }
                m_chunkStep = ChunkStep::Size;
            } else if (m_chunkStep == ChunkStep::Trailer) {
                if (line.isEmpty())
                    m_state = State::Complete;
            } else {
                const qsizetype semicolon = line.indexOf(';');
                bool ok = false;
                m_left
                    = (semicolon < 0 ? line : line.left(semicolon)).trimmed().toLongLong(&ok, 16);
                if (!ok || m_left < 0) {
                    fail(QStringLiteral("bad chunk size"));
                    return used;
                }
                m_chunkStep = m_left == 0 ? ChunkStep::Trailer : ChunkStep::Data;
            }
            break;
        }
        }
    }
    return used;
}

void HttpResponseParser::endOfInput()
{
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Complete;
    else if (m_state == State::Head || m_state == State::Body)
        fail(QStringLiteral("connection closed by the upstream"));
}

} // namespace passerelle
