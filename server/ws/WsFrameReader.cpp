#include "ws/WsFrameReader.h"

#include <QStringDecoder>
#include <QtEndian>

namespace passerelle {

namespace {

constexpr int kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9,
              kPong = 0xA;

bool utf8(const QByteArray &bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder.decode(bytes);
    return !decoder.hasError();
}

// Close codes a peer may send (RFC 6455 section 7.4).
bool validCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
}

} // namespace

void WsFrameReader::fail(QList<Message> *out, int code, const QString &why)
{
    m_failed = true;
    m_in.clear();
    m_pos = 0;
    Message m;
    m.kind = Message::Kind::Error;
    m.closeCode = code;
    m.text = why;
    out->append(m);
}

QList<WsFrameReader::Message> WsFrameReader::feed(const QByteArray &bytes)
{
    QList<Message> out;
    if (m_failed)
        return out;
    m_in.append(bytes);
    while (!m_failed) {
        const uchar *p = reinterpret_cast<const uchar *>(m_in.constData()) + m_pos;
        if (m_step == Step::Header) {
            if (available() < 2 || !readHeader(&out))
                break;
        } else if (m_step == Step::Length16) {
            if (available() < 2)
                break;
            m_length = qFromBigEndian<quint16>(p);
            m_pos += 2;
            if (m_length < 126) {
                fail(&out, 1002, QStringLiteral("length not in its shortest form"));
                break;
            }
            m_step = Step::Mask;
        } else if (m_step == Step::Length64) {
            if (available() < 8)
                break;
            m_length = qFromBigEndian<quint64>(p);
            m_pos += 8;
            if (m_length >> 63) {
                fail(&out, 1002, QStringLiteral("length with its top bit set"));
                break;
            }
            if (m_length <= 0xffff) {
                fail(&out, 1002, QStringLiteral("length not in its shortest form"));
                break;
            }
            m_step = Step::Mask;
        } else if (m_step == Step::Mask) {
            if (available() < 4)
                break;
            memcpy(m_mask, p, 4);
            m_pos += 4;
            const bool data = m_opcode == kText || m_opcode == kBinary || m_opcode == kContinuation;
            if (data
                && (m_length > quint64(m_maxFrame)
                    || quint64(m_message.size()) + m_length > quint64(m_maxMessage))) {
                fail(&out, 1009, QStringLiteral("message too big"));
                break;
            }
            m_frame.clear();
            m_frame.reserve(qsizetype(m_length));
            m_step = Step::Payload;
        } else { // Payload
            const qsizetype take = qsizetype(
                qMin<quint64>(m_length - quint64(m_frame.size()), quint64(available())));
            const qsizetype at = m_frame.size();
            m_frame.append(m_in.constData() + m_pos, take);
            m_pos += take;
            char *f = m_frame.data();
            for (qsizetype i = at; i < at + take; ++i)
                f[i] = char(f[i] ^ m_mask[i & 3]);
            if (quint64(m_frame.size()) < m_length)
                break;
            frameDone(&out);
            m_step = Step::Header;
        }
    }
    if (m_pos == m_in.size()) {
        m_in.clear();
        m_pos = 0;
    } else if (m_pos > 4096) {
        m_in.remove(0, m_pos);
        m_pos = 0;
    }
    return out;
}

bool WsFrameReader::readHeader(QList<Message> *out)
{
    const uchar b0 = uchar(m_in[m_pos]);
    const uchar b1 = uchar(m_in[m_pos + 1]);
    m_pos += 2;
    m_fin = b0 & 0x80;
    m_opcode = b0 & 0x0f;
    if (b0 & 0x70) {
        fail(out, 1002, QStringLiteral("reserved bits set"));
        return false;
    }
    const bool control = m_opcode & 0x8;
    if (m_opcode != kContinuation && m_opcode != kText && m_opcode != kBinary && m_opcode != kClose
        && m_opcode != kPing && m_opcode != kPong) {
        fail(out, 1002, QStringLiteral("reserved opcode"));
        return false;
    }
    if (!(b1 & 0x80)) {
        fail(out, 1002, QStringLiteral("client frames must be masked"));
        return false;
    }
    const int length7 = b1 & 0x7f;
    if (control && (!m_fin || length7 > 125)) {
        fail(out, 1002, QStringLiteral("invalid control frame"));
        return false;
    }
    if (m_opcode == kContinuation && m_messageOpcode == 0) {
        fail(out, 1002, QStringLiteral("continuation without a message"));
        return false;
    }
    if ((m_opcode == kText || m_opcode == kBinary) && m_messageOpcode != 0) {
        fail(out, 1002, QStringLiteral("new message inside a fragmented one"));
        return false;
    }
    m_length = quint64(length7);
    m_step = length7 == 126 ? Step::Length16 : length7 == 127 ? Step::Length64 : Step::Mask;
    return true;
}

void WsFrameReader::frameDone(QList<Message> *out)
{
    Message m;
    switch (m_opcode) {
    case kPing:
        m.kind = Message::Kind::Ping;
        m.data = m_frame;
        out->append(m);
        return;
    case kPong:
        m.kind = Message::Kind::Pong;
        m.data = m_frame;
        out->append(m);
        return;
    case kClose:
        m.kind = Message::Kind::Close;
        if (m_frame.isEmpty()) {
            m.closeCode = 1005;
        } else if (m_frame.size() == 1) {
            fail(out, 1002, QStringLiteral("close frame of one byte"));
            return;
        } else {
            m.closeCode = qFromBigEndian<quint16>(m_frame.constData());
            if (!validCloseCode(m.closeCode)) {
                fail(out, 1002, QStringLiteral("invalid close code"));
                return;
            }
            if (!utf8(m_frame.mid(2), &m.text)) {
                fail(out, 1007, QStringLiteral("close reason is not UTF-8"));
                return;
            }
        }
        out->append(m);
        return;
    default:
        break;
    }
    // A data frame: the first of a message, or a continuation.
    if (m_opcode != kContinuation)
        m_messageOpcode = m_opcode;
    if (m_message.isEmpty())
        m_message = std::move(m_frame);
    else
        m_message.append(m_frame);
    m_frame.clear();
    if (!m_fin)
        return;
    if (m_messageOpcode == kText) {
        m.kind = Message::Kind::Text;
        if (!utf8(m_message, &m.text)) {
            fail(out, 1007, QStringLiteral("text message is not UTF-8"));
            return;
        }
    } else {
        m.kind = Message::Kind::Binary;
        m.data = m_message;
    }
    m_message.clear();
    m_messageOpcode = 0;
    out->append(m);
}

} // namespace passerelle
