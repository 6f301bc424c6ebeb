#include "http/RequestHeadScanner.h"

#include "http/HttpRequestParser.h"

namespace passerelle {

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

bool RequestHead::hasToken(const QList<QPair<QByteArray, QByteArray>> &headers,
                           const QByteArray &lowerName, const QByteArray &lowerToken)
{
    for (const auto &h : headers) {
        if (h.first != lowerName)
            continue;
        const QList<QByteArray> tokens = h.second.split(',');
        for (const QByteArray &t : tokens) {
            if (t.trimmed().toLower() == lowerToken)
                return true;
        }
    }
    return false;
}

bool RequestHead::wantsClose() const
{
    if (hasToken("connection", "close"))
        return true;
    return version == "HTTP/1.0" && !hasToken("connection", "keep-alive");
}

RequestHeadScanner::RequestHeadScanner(HeadHandler handler)
    : m_handler(std::move(handler)), m_parser(std::make_unique<HttpRequestParser>())
{
}

RequestHeadScanner::~RequestHeadScanner() = default;

RequestHeadScanner::State RequestHeadScanner::feed(const QByteArray &bytes)
{
    if (m_state != State::Head && m_state != State::Body)
        return m_state;
    m_parser->append(bytes);
    while (true) {
        switch (m_parser->next()) {
        case HttpRequestParser::Event::NeedMore:
            return m_state = m_parser->readingBody() ? State::Body : State::Head;
        case HttpRequestParser::Event::Head:
            if (m_handler && m_handler(m_parser->head()) == Verdict::Reject)
                return m_state = State::Stopped;
            if (m_parser->head().upgrade)
                return m_state = State::Upgraded;
            break;
        case HttpRequestParser::Event::Request:
            m_parser->takeBody();
            break;
        case HttpRequestParser::Event::HeadTooLarge:
            return m_state = State::HeadTooLarge;
        case HttpRequestParser::Event::Malformed:
            return m_state = State::Malformed;
        }
    }
}

} // namespace passerelle
