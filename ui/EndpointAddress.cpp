#include "EndpointAddress.h"

#include <QHostAddress>

namespace passerelle {

QString EndpointAddress::baseUrl(const ServerStatus &status, const GatewayConfig &config)
{
    QString host;
    int port = config.port;
    if (status.state == ServerState::Serving && status.port != 0) {
        host = status.host;
        port = status.port;
    } else {
        host = config.bindAddress().toString();
    }
    const QHostAddress addr(host);
    if (addr == QHostAddress(QHostAddress::AnyIPv4) || addr == QHostAddress(QHostAddress::AnyIPv6)
        || addr == QHostAddress(QHostAddress::Any) || host.isEmpty()) {
        host = QStringLiteral("127.0.0.1");
    } else if (addr.protocol() == QAbstractSocket::IPv6Protocol
               && !host.startsWith(QLatin1Char('['))) {
        host = QLatin1Char('[') + host + QLatin1Char(']');
    }
    return QStringLiteral("http://%1:%2").arg(host).arg(port);
}

QString EndpointAddress::chatCompletionsUrl(const ServerStatus &status, const GatewayConfig &config)
{
    return baseUrl(status, config) + QStringLiteral("/v1/chat/completions");
}

} // namespace passerelle
