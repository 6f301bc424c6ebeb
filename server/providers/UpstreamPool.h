#pragma once

// The keep-alive connections to model upstreams, per origin (scheme, host, port), in the server
// thread: an exchange takes an idle connection (or a new one, TCP or TLS) and gives it back once
// its response was read whole with keep-alive, so a relayed request costs no connect, no thread
// hop and no per-host connection limit. An idle connection is closed after IdleTimeoutMs or when
// the upstream closes or sends anything; one timer serves the whole pool. Server thread.

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

class QTcpSocket;
class QUrl;

namespace passerelle {

class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    // Below the 5 s keep-alive timeout of common servers: an idle connection is rarely reused
    // just as the upstream closes it.
    static constexpr int IdleTimeoutMs = 4000;
    static constexpr int MaxIdlePerOrigin = 256;

    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    // A connected idle connection to the URL's origin (*reused true), else a new socket (TLS for
    // https), not yet connecting: the caller connects its signals, then calls open(). The caller
    // owns it until release().
    QTcpSocket *take(const QUrl &url, bool *reused);
    static void open(QTcpSocket *socket, const QUrl &url);
    // Gives back a connection whose exchange is over and which may carry another request; it
    // is closed instead when it is not connected or the origin has MaxIdlePerOrigin idle.
    void release(const QUrl &url, QTcpSocket *socket);

    int idleCount() const;

private:
    struct Idle
    {
        QTcpSocket *socket = nullptr;
        qint64 since = 0;
    };
    static QString origin(const QUrl &url);
    void drop(QTcpSocket *socket); // an idle connection the upstream closed or wrote to
    void sweep();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweep;
};

} // namespace passerelle
