#include "http/RequestHeadScanner.h"

namespace passerelle {

namespace {

// Where the head in `buffer` ends: at its first empty line, whether lines end in CRLF or LF, as
// QtHttpServer's parser reads them (so both agree on where every request starts, however the bytes
// were split). Looks only from `from`, so a head trickled in byte by byte is scanned once.
// Returns the index of the '\n' ending the last header line, or -1; *separator: the bytes of the
// empty line with that '\n' (2 or 3).
qsizetype headEnd(const QByteArray &buffer, qsizetype from, qsizetype *separator)
{
    for (qsizetype i = buffer.indexOf('\n', from); i >= 0; i = buffer.indexOf('\n', i + 1)) {
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
            *separator = 2;
            return i;
        }
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            *separator = 3;
            return i;
        }
    }
    return -1;
}

} // namespace

QByteArray RequestHead::value(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

QByteArray RequestHead::path() const
{
    const int q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

RequestHeadScanner::State RequestHeadScanner::feed(const QByteArray &bytes)
{
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        switch (m_state) {
        case State::Body: {
            const qint64 take = qMin<qint64>(m_bodyRemaining, bytes.size() - pos);
            m_bodyRemaining -= take;
            pos += take;
            if (m_bodyRemaining == 0)
                m_state = State::Head;
            break;
        }
        case State::Head: {
            // Tolerate the blank lines some clients send between requests.
            if (m_head.isEmpty()) {
                while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n'))
                    ++pos;
                if (pos == bytes.size())
                    break;
            }
            const qsizetype before = m_head.size();
            m_head.append(bytes.constData() + pos, bytes.size() - pos);
            qsizetype sepLen = 0;
            const qsizetype end = headEnd(m_head, qMax<qsizetype>(0, before - 2), &sepLen);
            if (end < 0) {
                if (m_head.size() > kMaxHeadBytes)
                    return m_state = State::HeadTooLarge;
                pos = bytes.size();
                break;
            }
            if (end > kMaxHeadBytes)
                return m_state = State::HeadTooLarge;
            const QByteArray raw = m_head.left(end);
            pos += (end + sepLen) - before;
            m_head.clear();
            RequestHead head;
            if (!parseHead(raw, &head))
                return m_state = State::Malformed;
            if (m_handler && m_handler(head) == Verdict::Reject)
                return m_state = State::Stopped;
            if (head.upgrade)
                return m_state = State::Upgraded;
            if (head.contentLength > 0) {
                m_bodyRemaining = head.contentLength;
                m_state = State::Body;
            }
            break;
        }
        case State::Upgraded:
        case State::Stopped:
        case State::HeadTooLarge:
        case State::Malformed:
            return m_state;
        }
    }
    return m_state;
}

bool RequestHeadScanner::parseHead(const QByteArray &raw, RequestHead *head) const
{
    const QList<QByteArray> lines = raw.split('\n');
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3)
        return false;
    head->method = requestLine[0];
    head->target = requestLine[1];
    head->version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        head->headers.append({name, value});
        if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || (head->contentLength >= 0 && head->contentLength != n))
                return false;
            head->contentLength = n;
        } else if (name == "transfer-encoding") {
            head->chunked = head->chunked || value.toLower().contains("chunked");
        } else if (name == "expect") {
            head->expectContinue = value.toLower() == "100-continue";
        } else if (name == "upgrade") {
            head->upgrade = value.toLower() == "websocket";
        }
    }
    return true;
}

} // namespace passerelle
