#pragma once

// The server end of one WebSocket connection (RFC 6455) over the client's ClientSocket, taken over
// after the 101: reads the client's frames with WsFrameReader (a protocol error closes with its
// code: 1002 for an unmasked frame...), answers pings, completes the closing handshake, and sends
// text and binary messages as single unmasked frames. Its API is the part of QWebSocket the
// gateway used, so WsConnection reads the same. Owns the socket; server thread.

#include "ws/WsFrameReader.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QWebSocketProtocol>

namespace passerelle {

class ClientSocket;
class WsSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsSocket)

public:
    // `socket` becomes this object's child; `early`: what the client sent after its handshake.
    WsSocket(ClientSocket *socket, const QByteArray &early, QObject *parent = nullptr);
    ~WsSocket() override;

    // ConnectedState until a close frame went either way.
    QAbstractSocket::SocketState state() const;
    QHostAddress peerAddress() const { return m_peer; }
    qint64 bytesToWrite() const;

    void setMaxAllowedIncomingFrameSize(quint64 bytes);
    void setMaxAllowedIncomingMessageSize(quint64 bytes);

    qint64 sendTextMessage(const QString &message);
    qint64 sendBinaryMessage(const QByteArray &data);
    // Sends a close frame (once) and closes the connection once it is written.
    void close(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal,
               const QString &reason = {});
    void abort();

    // The bytes of one unmasked server frame.
    static QByteArray frame(int opcode, const QByteArray &payload);

signals:
    void textMessageReceived(const QString &message);
    void binaryMessageReceived(const QByteArray &message);
    void disconnected();

private:
    void onReadyRead();
    void process(const QByteArray &bytes);
    void sendClose(int code, const QByteArray &reasonUtf8);

    QPointer<ClientSocket> m_socket;
    QHostAddress m_peer;
    WsFrameReader m_reader;
    QByteArray m_early;
    bool m_closeSent = false;
    bool m_closeReceived = false;
};

} // namespace passerelle
