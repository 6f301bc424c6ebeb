#include "http/HttpRequestParser.h"

#include <utility>

namespace passerelle {

namespace {

// RFC 9110 tchar: the characters of a method or a header name.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isControl(char c)
{
    return (uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f;
}

bool isDigits(const QByteArray &s)
{
    if (s.isEmpty() || s.size() > 18)
        return false;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

QByteArray trimmedOws(const QByteArray &s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return s.mid(b, e - b);
}

} // namespace

void HttpRequestParser::append(const QByteArray &bytes)
{
    if (bytes.isEmpty() || m_state == State::Stopped)
        return;
    // A body streams straight into its buffer: no second copy of a big upload.
    if (m_state == State::Body && m_headSeen && unparsedSize() == 0) {
        const qsizetype take = qsizetype(qMin<qint64>(m_bodyRemaining, bytes.size()));
        m_body.append(bytes.constData(), take);
        m_bodyRemaining -= take;
        if (take < bytes.size())
            m_in.append(bytes.constData() + take, bytes.size() - take);
        return;
    }
    m_in.append(bytes);
}

QByteArray HttpRequestParser::takeUnparsed()
{
    QByteArray rest = m_in.mid(m_pos);
    m_in.clear();
    m_pos = 0;
    m_scanFrom = 0;
    return rest;
}

void HttpRequestParser::compact()
{
    if (m_pos == m_in.size()) {
        m_in.clear();
        m_pos = 0;
    } else if (m_pos > 64 * 1024 && m_pos > m_in.size() / 2) {
        m_in.remove(0, m_pos);
        m_pos = 0;
    }
}

void HttpRequestParser::skipBlankLines()
{
    // RFC 9112 2.2: empty lines before a request line are ignored.
    while (m_pos < m_in.size() && (m_in[m_pos] == '\r' || m_in[m_pos] == '\n'))
        ++m_pos;
}

qsizetype HttpRequestParser::findHeadEnd(qsizetype *separatorLength)
{
    // The head ends at the first empty line: "\n\n" or "\n\r\n" after its last header line.
    qsizetype i = m_pos + qMax<qsizetype>(0, m_scanFrom - 2);
    while (true) {
        i = m_in.indexOf('\n', i);
        if (i < 0 || i + 1 >= m_in.size())
            break;
        if (m_in[i + 1] == '\n') {
            *separatorLength = 2;
            return i;
        }
        if (m_in[i + 1] == '\r') {
            if (i + 2 >= m_in.size())
                break;
            if (m_in[i + 2] == '\n') {
                *separatorLength = 3;
                return i;
            }
        }
        ++i;
    }
    m_scanFrom = unparsedSize();
    return -1;
}

HttpRequestParser::Event HttpRequestParser::next()
{
    switch (m_state) {
    case State::Stopped:
        return Event::NeedMore;
    case State::Complete:
        m_head = RequestHead {};
        m_body.clear();
        m_headSeen = false;
        m_scanFrom = 0;
        m_state = State::Head;
        [[fallthrough]];
    case State::Head: {
        if (m_scanFrom == 0)
            skipBlankLines();
        qsizetype separator = 0;
        const qsizetype end = findHeadEnd(&separator);
        if (end < 0) {
            compact();
            // The head is the bytes before its blank line's "\n" ("\n\n" or "\n\r\n"): the last
            // two bytes seen may be the start of that blank line, not of the head.
            if (unparsedSize() - 2 > kMaxHeadBytes) {
                m_state = State::Stopped;
                return Event::HeadTooLarge;
            }
            return Event::NeedMore;
        }
        if (end - m_pos > kMaxHeadBytes) {
            m_state = State::Stopped;
            return Event::HeadTooLarge;
        }
        const QByteArray raw = m_in.mid(m_pos, end - m_pos);
        m_pos = end + separator;
        m_scanFrom = 0;
        if (!parseHead(raw, &m_head)) {
            m_state = State::Stopped;
            return Event::Malformed;
        }
        m_bodyRemaining = qMax<qint64>(0, m_head.contentLength);
        m_state = State::Body;
        m_headSeen = false;
        compact();
        return Event::Head;
    }
    case State::Body: {
        if (!m_headSeen) {
            // The caller accepted the head: the body is read now, into one buffer of its size.
            m_headSeen = true;
            m_body.reserve(qsizetype(qMin<qint64>(m_bodyRemaining, qint64(64) * 1024 * 1024)));
        }
        const qsizetype take = qsizetype(qMin<qint64>(m_bodyRemaining, unparsedSize()));
        if (take > 0) {
            m_body.append(m_in.constData() + m_pos, take);
            m_pos += take;
            m_bodyRemaining -= take;
            compact();
        }
        if (m_bodyRemaining > 0)
            return Event::NeedMore;
        m_state = State::Complete;
        return Event::Request;
    }
    }
    return Event::NeedMore;
}

bool HttpRequestParser::parseHead(const QByteArray &raw, RequestHead *head)
{
    QList<QByteArray> lines = raw.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> requestLine = lines.first().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty())
        return false;
    for (const char c : requestLine[1]) {
        if (isControl(c) || c == '\t')
            return false;
    }
    if (requestLine[2] != "HTTP/1.1" && requestLine[2] != "HTTP/1.0")
        return false;
    head->method = requestLine[0];
    head->target = requestLine[1];
    head->version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        // Folded lines (obsolete) and empty ones cannot be inside a head.
        if (line.isEmpty() || line.startsWith(' ') || line.startsWith('\t'))
            return false;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArray name = line.left(colon);
        if (!isToken(name))
            return false;
        const QByteArray rawValue = line.mid(colon + 1);
        for (const char c : rawValue) {
            if (isControl(c))
                return false;
        }
        const QByteArray lower = name.toLower();
        const QByteArray value = trimmedOws(rawValue);
        head->headers.append({lower, value});
        if (lower == "content-length") {
            if (!isDigits(value))
                return false;
            const qint64 n = value.toLongLong();
            if (head->contentLength >= 0 && head->contentLength != n)
                return false;
            head->contentLength = n;
        } else if (lower == "transfer-encoding") {
            head->chunked = true; // no transfer coding is read: 411
        } else if (lower == "expect") {
            head->expectContinue = value.toLower() == "100-continue";
        } else if (lower == "upgrade") {
            head->upgrade = head->upgrade || head->hasToken("upgrade", "websocket");
        }
    }
    return true;
}

} // namespace passerelle
