#pragma once

// A client of the gateway's WebSocket protocol for tests (SPEC.md section 8), over QWebSocket: it
// keeps every frame the server sent, in order (ticks apart), sends requests and waits for frames,
// responses and the close, always with timeouts. Test thread.

#include "support/TestGateway.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QWebSocket>

#include <functional>

namespace passerelle::test {

// The `connect` params of a test client: protocol range, client info, auth.
QJsonObject wsClientInfo();
QJsonObject wsConnectParams(const QJsonObject &auth, int minProtocol = 3, int maxProtocol = 4);
QJsonObject wsTokenAuth(const QByteArray &token = TestGateway::kToken);

class WsClient
{
public:
    WsClient();
    Q_DISABLE_COPY_MOVE(WsClient)

    bool open(quint16 port, const QString &path = QStringLiteral("/"));
    // Waits for the challenge, sends `connect`, returns the answer (hello-ok or the error).
    QJsonObject connectWith(const QJsonObject &params);
    bool handshake(quint16 port, const QJsonObject &auth = wsTokenAuth());
    QString send(const QString &method, const QJsonObject &params = {}, QString id = {});
    void sendJson(const QJsonObject &frame);
    void sendText(const QString &text) { m_socket.sendTextMessage(text); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }

    // The index of the first frame (from `from`) matching, or -1 after the timeout.
    int indexOf(const std::function<bool(const QJsonObject &)> &match, int from = 0,
                int timeoutMs = 10000);
    bool waitFor(const std::function<bool(const QJsonObject &)> &match, int from = 0)
    {
        return indexOf(match, from) >= 0;
    }
    // The n-th (0-based) response to `id`.
    QJsonObject waitResponse(const QString &id, int nth = 0);
    bool waitClosed(int timeoutMs = 10000);
    void close() { m_socket.close(); }
    void abort() { m_socket.abort(); }

    int closeCode() const { return int(m_socket.closeCode()); }
    QString closeReason() const { return m_socket.closeReason(); }
    bool isClosed() const { return m_closed; }
    const QList<QJsonObject> &frames() const { return m_frames; }
    const QList<QJsonObject> &ticks() const { return m_ticks; }

    static bool isEvent(const QJsonObject &f, const char *name);
    static bool isResponse(const QJsonObject &f, const QString &id);

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QList<QJsonObject> m_ticks;
    bool m_closed = false;
    int m_nextId = 0;
};

} // namespace passerelle::test
