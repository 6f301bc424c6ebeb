#include "providers/UpstreamPool.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QUrl>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

namespace passerelle {

UpstreamPool::UpstreamPool(QObject *parent) : QObject(parent)
{
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &UpstreamPool::sweep);
}

UpstreamPool::~UpstreamPool()
{
    for (const QList<Idle> &list : std::as_const(m_idle)) {
        for (const Idle &idle : list)
            delete idle.socket;
    }
}

QString UpstreamPool::origin(const QUrl &url)
{
    const bool tls = url.scheme() == QLatin1String("https");
    return url.scheme() + QLatin1Char('|') + url.host() + QLatin1Char('|')
        + QString::number(url.port(tls ? 443 : 80));
}

QTcpSocket *UpstreamPool::take(const QUrl &url, bool *reused)
{
    auto it = m_idle.find(origin(url));
    while (it != m_idle.end() && !it->isEmpty()) {
        QTcpSocket *socket = it->takeLast().socket; // the most recently used: the warmest
        disconnect(socket, nullptr, this, nullptr);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0) {
            *reused = true;
            return socket;
        }
        socket->deleteLater();
    }
    *reused = false;
#if QT_CONFIG(ssl)
    if (url.scheme() == QLatin1String("https"))
        return new QSslSocket;
#endif
    return new QTcpSocket;
}

void UpstreamPool::open(QTcpSocket *socket, const QUrl &url)
{
#if QT_CONFIG(ssl)
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        tls->connectToHostEncrypted(url.host(), quint16(url.port(443)));
        return;
    }
#endif
    socket->connectToHost(url.host(), quint16(url.port(80)));
}

void UpstreamPool::release(const QUrl &url, QTcpSocket *socket)
{
    QList<Idle> &list = m_idle[origin(url)];
    if (socket->state() != QAbstractSocket::ConnectedState || list.size() >= MaxIdlePerOrigin) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    list.append({socket, QDateTime::currentMSecsSinceEpoch()});
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { drop(socket); });
    if (!m_sweep.isActive())
        m_sweep.start();
}

void UpstreamPool::drop(QTcpSocket *socket)
{
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        for (qsizetype i = 0; i < it->size(); ++i) {
            if (it->at(i).socket == socket) {
                it->removeAt(i);
                disconnect(socket, nullptr, this, nullptr);
                socket->abort();
                socket->deleteLater();
                return;
            }
        }
    }
}

void UpstreamPool::sweep()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool any = false;
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        // Oldest first: the list is in release order.
        while (!it->isEmpty() && now - it->first().since >= IdleTimeoutMs) {
            QTcpSocket *socket = it->takeFirst().socket;
            disconnect(socket, nullptr, this, nullptr);
            socket->abort();
            socket->deleteLater();
        }
        any = any || !it->isEmpty();
    }
    if (!any)
        m_sweep.stop();
}

int UpstreamPool::idleCount() const
{
    int n = 0;
    for (const QList<Idle> &list : m_idle)
        n += int(list.size());
    return n;
}

} // namespace passerelle
