#include "support/WsClient.h"

#include <QJsonDocument>
#include <QTest>

namespace passerelle::test {

QJsonObject wsClientInfo()
{
    return {{QStringLiteral("id"), QStringLiteral("tst_ws")},
            {QStringLiteral("version"), QStringLiteral("1.0.0")},
            {QStringLiteral("platform"), QStringLiteral("linux")},
            {QStringLiteral("mode"), QStringLiteral("test")}};
}

QJsonObject wsConnectParams(const QJsonObject &auth, int minProtocol, int maxProtocol)
{
    return {{QStringLiteral("minProtocol"), minProtocol},
            {QStringLiteral("maxProtocol"), maxProtocol},
            {QStringLiteral("client"), wsClientInfo()},
            {QStringLiteral("auth"), auth}};
}

QJsonObject wsTokenAuth(const QByteArray &token)
{
    return {{QStringLiteral("token"), QString::fromUtf8(token)}};
}

WsClient::WsClient()
{
    QObject::connect(
        &m_socket, &QWebSocket::textMessageReceived, &m_socket, [this](const QString &text) {
            const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
            if (frame.value(QStringLiteral("event")).toString() == QLatin1String("tick"))
                m_ticks.append(frame);
            else
                m_frames.append(frame);
        });
    QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] { m_closed = true; });
}

bool WsClient::open(quint16 port, const QString &path)
{
    m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path)));
    (void)QTest::qWaitFor(
        [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; }, 5000);
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

QJsonObject WsClient::connectWith(const QJsonObject &params)
{
    if (!waitFor([](const QJsonObject &f) { return isEvent(f, "connect.challenge"); }))
        return {};
    const QString id = send(QStringLiteral("connect"), params);
    return waitResponse(id);
}

bool WsClient::handshake(quint16 port, const QJsonObject &auth)
{
    if (!open(port))
        return false;
    const QJsonObject res = connectWith(wsConnectParams(auth));
    return res.value(QStringLiteral("ok")).toBool()
        && res.value(QStringLiteral("payload")).toObject().value(QStringLiteral("type")).toString()
        == QLatin1String("hello-ok");
}

QString WsClient::send(const QString &method, const QJsonObject &params, QString id)
{
    if (id.isEmpty())
        id = QStringLiteral("req-%1").arg(++m_nextId);
    sendJson({{QStringLiteral("type"), QStringLiteral("req")},
              {QStringLiteral("id"), id},
              {QStringLiteral("method"), method},
              {QStringLiteral("params"), params}});
    return id;
}

void WsClient::sendJson(const QJsonObject &frame)
{
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

int WsClient::indexOf(const std::function<bool(const QJsonObject &)> &match, int from,
                      int timeoutMs)
{
    int found = -1;
    (void)QTest::qWaitFor(
        [&] {
            for (int i = from; i < m_frames.size(); ++i) {
                if (match(m_frames.at(i))) {
                    found = i;
                    return true;
                }
            }
            return m_closed;
        },
        timeoutMs);
    if (found < 0) {
        for (int i = from; i < m_frames.size(); ++i) {
            if (match(m_frames.at(i)))
                return i;
        }
    }
    return found;
}

QJsonObject WsClient::waitResponse(const QString &id, int nth)
{
    QJsonObject found;
    const auto scan = [&] {
        int seen = 0;
        for (const QJsonObject &f : std::as_const(m_frames)) {
            if (isResponse(f, id) && seen++ == nth) {
                found = f;
                return true;
            }
        }
        return false;
    };
    (void)QTest::qWaitFor([&] { return scan() || m_closed; }, 10000);
    scan();
    return found;
}

bool WsClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

bool WsClient::isEvent(const QJsonObject &f, const char *name)
{
    return f.value(QStringLiteral("type")).toString() == QLatin1String("event")
        && f.value(QStringLiteral("event")).toString() == QLatin1String(name);
}

bool WsClient::isResponse(const QJsonObject &f, const QString &id)
{
    return f.value(QStringLiteral("type")).toString() == QLatin1String("res")
        && f.value(QStringLiteral("id")).toString() == id;
}

} // namespace passerelle::test
