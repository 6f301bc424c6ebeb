#include "providers/SseParser.h"

namespace passerelle {

namespace {

const QByteArray &utf8Bom()
{
    static const QByteArray bom("\xEF\xBB\xBF", 3);
    return bom;
}

QByteArrayView afterOneSpace(QByteArrayView value)
{
    return value.startsWith(' ') ? value.sliced(1) : value;
}

} // namespace

SseParser::SseParser(qsizetype maxEventBytes) : m_maxEventBytes(maxEventBytes) { }

void SseParser::reset()
{
    const qsizetype max = m_maxEventBytes;
    *this = SseParser(max);
}

bool SseParser::hasPartialEvent() const
{
    return !m_line.isEmpty() || m_pendingFields;
}

QList<SseParser::Item> SseParser::feed(QByteArrayView bytes)
{
    QList<Item> out;
    if (hasError() || bytes.isEmpty())
        return out;

    // A UTF-8 BOM may open the stream (and only the stream); it can itself arrive split.
    QByteArray probe;
    if (!m_bomChecked) {
        m_bomProbe.append(bytes.data(), bytes.size());
        const qsizetype n = qMin<qsizetype>(m_bomProbe.size(), 3);
        if (utf8Bom().startsWith(QByteArrayView(m_bomProbe).first(n)) && m_bomProbe.size() < 3)
            return out;
        m_bomChecked = true;
        probe = m_bomProbe.startsWith(utf8Bom()) ? m_bomProbe.mid(3) : m_bomProbe;
        m_bomProbe.clear();
        bytes = probe;
    }

    qsizetype pos = 0;
    const qsizetype size = bytes.size();
    if (m_skipLeadingLf && size > 0) {
        m_skipLeadingLf = false;
        if (bytes.at(0) == '\n')
            pos = 1;
    }

    // A line counts against the bound whether it came in one read or was buffered across several
    // (the answer may not depend on where the reads were cut).
    const auto overBound = [this](qsizetype lineBytes) {
        if (lineBytes + m_data.size() + m_eventType.size() <= m_maxEventBytes)
            return false;
        m_error = QStringLiteral("SSE event larger than %1 bytes").arg(m_maxEventBytes);
        m_line.clear();
        m_data.clear();
        return true;
    };
    while (pos < size && !hasError()) {
        qsizetype end = pos;
        while (end < size && bytes.at(end) != '\n' && bytes.at(end) != '\r')
            ++end;
        if (end == size) {
            m_line.append(bytes.data() + pos, size - pos);
            overBound(m_line.size());
            break;
        }
        if (overBound(m_line.size() + (end - pos)))
            break;
        if (m_line.isEmpty()) {
            processLine(bytes.sliced(pos, end - pos), &out);
        } else {
            m_line.append(bytes.data() + pos, end - pos);
            const QByteArray line = std::exchange(m_line, QByteArray());
            processLine(line, &out);
        }
        if (bytes.at(end) == '\r') {
            if (end + 1 < size && bytes.at(end + 1) == '\n')
                ++end;
            else if (end + 1 == size)
                m_skipLeadingLf = true;
        }
        pos = end + 1;
    }
    return out;
}

void SseParser::processLine(QByteArrayView line, QList<Item> *out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.startsWith(':')) {
        Item item;
        item.kind = Item::Kind::Comment;
        item.comment = afterOneSpace(line.sliced(1)).toByteArray();
        item.id = m_lastEventId;
        out->append(item);
        return;
    }

    m_pendingFields = true;
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    const QByteArrayView value
        = colon < 0 ? QByteArrayView() : afterOneSpace(line.sliced(colon + 1));

    if (field == "data") {
        m_data.append(value.data(), value.size());
        m_data.append('\n');
        m_hasData = true;
        if (bufferedBytes() > m_maxEventBytes) {
            m_error = QStringLiteral("SSE event larger than %1 bytes").arg(m_maxEventBytes);
            m_data.clear();
        }
    } else if (field == "event") {
        m_eventType = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    }
    // "retry" and unknown fields are ignored, as the grammar says.
}

void SseParser::dispatch(QList<Item> *out)
{
    if (m_hasData) {
        Item item;
        item.kind = Item::Kind::Event;
        item.event = QString::fromUtf8(m_eventType);
        m_data.chop(1); // the '\n' after the last data line
        item.data = m_data;
        item.id = m_lastEventId;
        out->append(item);
    }
    m_data.clear();
    m_eventType.clear();
    m_hasData = false;
    m_pendingFields = false;
}

} // namespace passerelle
