#include "http/SseWriter.h"

#include "Logging.h"

namespace passerelle {

SseWriter::SseWriter(QTcpSocket *socket, ReplyContext context)
    : m_socket(socket), m_context(std::move(context))
{
    m_clock.start();
}

bool SseWriter::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray SseWriter::dataFrame(const QByteArray &payload)
{
    return "data: " + payload + "\n\n";
}

QByteArray SseWriter::eventFrame(const QByteArray &name, const QByteArray &payload)
{
    return "event: " + name + "\ndata: " + payload + "\n\n";
}

QByteArray SseWriter::commentFrame(const QByteArray &text)
{
    return ": " + text + "\n\n";
}

QByteArray SseWriter::chunk(const QByteArray &bytes)
{
    return QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n";
}

void SseWriter::begin()
{
    if (m_begun || !isConnected())
        return;
    m_begun = true;
    m_socket->write(HttpReply::streamHead(m_context));
}

void SseWriter::data(const QByteArray &payload)
{
    writeFrame(dataFrame(payload));
}

void SseWriter::event(const QByteArray &name, const QByteArray &payload)
{
    writeFrame(eventFrame(name, payload));
}

void SseWriter::comment(const QByteArray &text)
{
    writeFrame(commentFrame(text));
}

void SseWriter::writeFrame(const QByteArray &frame)
{
    if (!m_begun || m_ended || !isConnected())
        return;
    if (m_socket->bytesToWrite() > kMaxUnsentBytes) {
        qCWarning(lcHttp) << "dropping a stream client that stopped reading";
        m_socket->abort();
        return;
    }
    m_socket->write(chunk(frame));
    if (m_observer)
        m_observer(m_clock.elapsed(), frame);
}

void SseWriter::end()
{
    if (!m_begun || m_ended || !isConnected())
        return;
    m_ended = true;
    m_socket->write(QByteArrayLiteral("0\r\n\r\n"));
}

} // namespace passerelle
