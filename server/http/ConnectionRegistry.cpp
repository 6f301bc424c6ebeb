#include "http/ConnectionRegistry.h"

#include "Logging.h"
#include "http/HttpConnection.h"

#include <algorithm>
#include <vector>

namespace passerelle {

ConnectionRegistry::ConnectionRegistry(QObject *parent) : QObject(parent)
{
    m_clock.start();
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionRegistry::sweep);
    m_refusalLog.setSingleShot(true);
    m_refusalLog.setInterval(1000);
    connect(&m_refusalLog, &QTimer::timeout, this, &ConnectionRegistry::logRefusals);
    setLimits(m_limits);
}

ConnectionRegistry::~ConnectionRegistry()
{
    // The connections outlive nothing of this: they stop reporting here.
    for (HttpConnection *c : m_all)
        c->m_registry = nullptr;
    logRefusals();
}

void ConnectionRegistry::setLimits(const ConnectionLimits &limits)
{
    m_limits = limits;
    // Deadlines are met within a quarter of the shortest one (at most 250 ms late).
    const int shortest = qMin(m_limits.headerTimeoutMs, m_limits.idleTimeoutMs);
    m_sweep.setInterval(std::clamp(shortest / 4, 10, 250));
    if (!m_all.empty())
        m_sweep.start();
}

QString ConnectionRegistry::addressKey(const QHostAddress &peer)
{
    // An IPv4 client may show up as ::ffff:a.b.c.d on a dual-stack listener: count it once.
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : peer.toString();
}

bool ConnectionRegistry::exempt(const QHostAddress &peer) const
{
    return m_limits.exemptLoopback && peer.isLoopback();
}

ConnectionRegistry::Admission ConnectionRegistry::admit(const QHostAddress &peer)
{
    if (!exempt(peer) && m_perAddress.value(addressKey(peer)) >= m_limits.maxPerAddress)
        return Admission::AtAddressCap;
    if (count() < m_limits.maxConnections)
        return Admission::Admitted;
    if (m_idle.empty())
        return Admission::AtCap;
    // Fair sharing: the connection idle longest makes room.
    HttpConnection *oldest = m_idle.begin()->second;
    oldest->closeIdle();
    return count() < m_limits.maxConnections ? Admission::Admitted : Admission::AtCap;
}

void ConnectionRegistry::noteRefusal(Admission why)
{
    if (why == Admission::AtAddressCap)
        ++m_refusedAtAddressCap;
    else
        ++m_refusedAtCap;
    if (!m_refusalLog.isActive())
        m_refusalLog.start();
}

void ConnectionRegistry::logRefusals()
{
    const int total = m_refusedAtCap + m_refusedAtAddressCap;
    if (total == 0)
        return;
    qCWarning(lcHttp).noquote() << QStringLiteral(
                                       "refused %1 connection(s) in the last second: %2 at the "
                                       "connection cap (%3), %4 over the per-address cap (%5)")
                                       .arg(total)
                                       .arg(m_refusedAtCap)
                                       .arg(m_limits.maxConnections)
                                       .arg(m_refusedAtAddressCap)
                                       .arg(m_limits.maxPerAddress);
    m_refusedAtCap = 0;
    m_refusedAtAddressCap = 0;
}

void ConnectionRegistry::add(HttpConnection *connection)
{
    m_all.insert(connection);
    m_peak = qMax(m_peak, count());
    ++m_perAddress[connection->addressKey()];
    if (!m_sweep.isActive())
        m_sweep.start();
}

void ConnectionRegistry::remove(HttpConnection *connection)
{
    if (m_all.erase(connection) == 0)
        return;
    leaveIdle(connection);
    if (m_unsent.erase(connection) > 0)
        m_buffered -= connection->m_unsent;
    auto it = m_perAddress.find(connection->addressKey());
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
    if (m_all.empty())
        m_sweep.stop();
    if (m_peak >= kBurstConnections && count() <= m_peak / 4) {
        m_peak = count();
        emit burstOver();
    }
}

void ConnectionRegistry::enterIdle(HttpConnection *connection)
{
    if (connection->m_idleKey != 0 || m_all.count(connection) == 0)
        return;
    connection->m_idleKey = ++m_idleSeq;
    m_idle.emplace(connection->m_idleKey, connection);
}

void ConnectionRegistry::leaveIdle(HttpConnection *connection)
{
    if (connection->m_idleKey == 0)
        return;
    m_idle.erase(connection->m_idleKey);
    connection->m_idleKey = 0;
}

void ConnectionRegistry::noteUnsent(HttpConnection *connection, qint64 delta, qint64 now)
{
    if (m_all.count(connection) == 0)
        return;
    m_buffered += delta;
    if (now > 0)
        m_unsent.insert(connection);
    else
        m_unsent.erase(connection);
    if (m_buffered > m_limits.maxBufferedTotalBytes && !m_shedQueued) {
        // Not from inside the write that crossed the bound: the writer's call stack unwinds first.
        m_shedQueued = true;
        QMetaObject::invokeMethod(this, &ConnectionRegistry::shed, Qt::QueuedConnection);
    }
}

void ConnectionRegistry::shed()
{
    m_shedQueued = false;
    if (m_buffered <= m_limits.maxBufferedTotalBytes)
        return;
    std::vector<HttpConnection *> readers(m_unsent.begin(), m_unsent.end());
    std::sort(readers.begin(), readers.end(), [](HttpConnection *a, HttpConnection *b) {
        return a->lastReadMs() < b->lastReadMs();
    });
    for (HttpConnection *c : readers) {
        if (m_buffered <= m_limits.maxBufferedTotalBytes)
            break;
        c->drop("all connections together hold passerelle.http.maxBufferedTotalBytes");
    }
}

void ConnectionRegistry::sweep()
{
    const qint64 now = nowMs();
    // A deadline may close a connection (and remove it from m_all): walk a copy.
    const std::vector<HttpConnection *> all(m_all.begin(), m_all.end());
    for (HttpConnection *c : all) {
        if (m_all.count(c) > 0)
            c->checkDeadlines(now);
    }
}

} // namespace passerelle
