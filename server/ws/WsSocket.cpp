#include "ws/WsSocket.h"

#include "http/ClientSocket.h"

#include <QtEndian>

namespace passerelle {

WsSocket::WsSocket(ClientSocket *socket, const QByteArray &early, QObject *parent)
    : QObject(parent), m_socket(socket), m_peer(socket->peerAddress()), m_early(early)
{
    socket->setParent(this);
    connect(socket, &ClientSocket::readyRead, this, &WsSocket::onReadyRead);
    connect(socket, &ClientSocket::disconnected, this, &WsSocket::disconnected);
    // Frames that came with the handshake are read once the owner has connected its slots.
    if (!m_early.isEmpty() || socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &WsSocket::onReadyRead, Qt::QueuedConnection);
}

WsSocket::~WsSocket()
{
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

QAbstractSocket::SocketState WsSocket::state() const
{
    if (!m_socket)
        return QAbstractSocket::UnconnectedState;
    const QAbstractSocket::SocketState s = m_socket->state();
    if (s == QAbstractSocket::ConnectedState && (m_closeSent || m_closeReceived))
        return QAbstractSocket::ClosingState;
    return s;
}

qint64 WsSocket::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void WsSocket::setMaxAllowedIncomingFrameSize(quint64 bytes)
{
    m_reader.setMaxFrameBytes(qint64(qMin<quint64>(bytes, quint64(1) << 62)));
}

void WsSocket::setMaxAllowedIncomingMessageSize(quint64 bytes)
{
    m_reader.setMaxMessageBytes(qint64(qMin<quint64>(bytes, quint64(1) << 62)));
}

QByteArray WsSocket::frame(int opcode, const QByteArray &payload)
{
    QByteArray out;
    const qsizetype n = payload.size();
    out.reserve(n + 10);
    out += char(0x80 | opcode);
    if (n < 126) {
        out += char(n);
    } else if (n <= 0xffff) {
        out += char(126);
        char length[2];
        qToBigEndian<quint16>(quint16(n), length);
        out.append(length, 2);
    } else {
        out += char(127);
        char length[8];
        qToBigEndian<quint64>(quint64(n), length);
        out.append(length, 8);
    }
    out += payload;
    return out;
}

qint64 WsSocket::sendTextMessage(const QString &message)
{
    if (state() != QAbstractSocket::ConnectedState)
        return 0;
    const QByteArray utf8 = message.toUtf8();
    m_socket->write(frame(0x1, utf8));
    return utf8.size();
}

qint64 WsSocket::sendBinaryMessage(const QByteArray &data)
{
    if (state() != QAbstractSocket::ConnectedState)
        return 0;
    m_socket->write(frame(0x2, data));
    return data.size();
}

void WsSocket::sendClose(int code, const QByteArray &reasonUtf8)
{
    if (m_closeSent || !m_socket)
        return;
    m_closeSent = true;
    QByteArray payload;
    if (code != 1005) { // 1005: the peer gave no code; the answer carries none either
        char be[2];
        qToBigEndian<quint16>(quint16(code), be);
        payload.append(be, 2);
        payload += reasonUtf8;
    }
    m_socket->write(frame(0x8, payload));
    m_socket->disconnectFromHost(); // once the close frame is written
}

void WsSocket::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    // A control frame holds 125 bytes: the code and at most 123 of reason, whole characters.
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() > 123) {
        qsizetype cut = 123;
        while (cut > 0 && (uchar(utf8[cut]) & 0xC0) == 0x80)
            --cut;
        utf8.truncate(cut);
    }
    sendClose(int(code), utf8);
}

void WsSocket::abort()
{
    if (m_socket)
        m_socket->abort();
}

void WsSocket::onReadyRead()
{
    if (!m_socket)
        return;
    QByteArray bytes = std::exchange(m_early, {});
    bytes += m_socket->readAll();
    if (!bytes.isEmpty())
        process(bytes);
}

void WsSocket::process(const QByteArray &bytes)
{
    if (m_closeSent || m_closeReceived)
        return; // after a close frame, nothing more is read
    const QList<WsFrameReader::Message> messages = m_reader.feed(bytes);
    QPointer<WsSocket> self(this);
    for (const WsFrameReader::Message &m : messages) {
        if (!self || m_closeSent || m_closeReceived)
            return;
        switch (m.kind) {
        case WsFrameReader::Message::Kind::Text:
            emit textMessageReceived(m.text);
            break;
        case WsFrameReader::Message::Kind::Binary:
            emit binaryMessageReceived(m.data);
            break;
        case WsFrameReader::Message::Kind::Ping:
            m_socket->write(frame(0xA, m.data));
            break;
        case WsFrameReader::Message::Kind::Pong:
            break;
        case WsFrameReader::Message::Kind::Close:
            // The closing handshake: the same code back, then the end of the connection.
            sendClose(m.closeCode, {});
            m_closeReceived = true;
            return;
        case WsFrameReader::Message::Kind::Error:
            close(QWebSocketProtocol::CloseCode(m.closeCode), m.text);
            return;
        }
    }
}

} // namespace passerelle
