#include "http/SseWriter.h"

#include "http/HttpConnection.h"

namespace passerelle {

SseWriter::SseWriter(ClientSocket *socket, ReplyContext context)
    : m_socket(socket), m_connection(HttpConnection::of(socket)), m_context(std::move(context))
{
    m_clock.start();
}

bool SseWriter::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

HttpConnection *SseWriter::connection() const
{
    return m_connection;
}

void SseWriter::setFlowControl(FlowControl *flow)
{
    m_flow = flow;
    if (HttpConnection *c = connection())
        c->setFlowControl(flow);
}

bool SseWriter::isClientBehind() const
{
    const HttpConnection *c = connection();
    return c && c->isClientBehind();
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

void SseWriter::write(const QByteArray &bytes)
{
    if (HttpConnection *c = connection())
        c->write(bytes);
    else if (m_socket)
        m_socket->write(bytes);
}

void SseWriter::begin()
{
    if (m_begun || !isConnected())
        return;
    m_begun = true;
    if (HttpConnection *c = connection()) {
        if (m_context.http10)
            c->closeAfterResponse(); // no chunks: the stream ends with the connection
        c->setFlowControl(m_flow);
    }
    write(HttpReply::streamHead(m_context));
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
    write(m_context.http10 ? frame : chunk(frame));
    if (m_observer)
        m_observer(m_clock.elapsed(), frame);
}

void SseWriter::end()
{
    if (!m_begun || m_ended || !isConnected())
        return;
    m_ended = true;
    if (!m_context.http10)
        write(QByteArrayLiteral("0\r\n\r\n"));
    if (HttpConnection *c = connection())
        c->endResponse();
}

} // namespace passerelle
