#pragma once

// Every client connection of the HTTP front end, as one table (SPEC.md section 14,
// "Connections", "Deadlines", "Slow readers"): admits a new client or refuses it (the cap, made
// room for by closing the connection idle longest; the per-address cap, loopback exempt while the
// limiter exempts it) and logs refusals once a second with their count; runs every connection's
// deadlines from one timer (thousands of connections, one QTimer); keeps the total of the bytes
// clients have not read and, past its bound, drops the connections that read least recently; says
// when a burst of connections is over (the memory it held can go back). Server thread.

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <unordered_set>

namespace passerelle {

class HttpConnection;

struct ConnectionLimits
{
    int maxConnections = 4096;
    int maxPerAddress = 256;
    bool exemptLoopback = true;
    int headerTimeoutMs = 10000;
    int idleTimeoutMs = 120000;
    qint64 maxBufferedBytes = qint64(1) << 20;
    qint64 maxBufferedTotalBytes = qint64(64) << 20;
};

class ConnectionRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionRegistry)

public:
    explicit ConnectionRegistry(QObject *parent = nullptr);
    ~ConnectionRegistry() override;

    void setLimits(const ConnectionLimits &limits);
    const ConnectionLimits &limits() const { return m_limits; }

    enum class Admission { Admitted, AtCap, AtAddressCap };
    // Whether a client from `peer` may connect now; at the cap, closes the connection idle longest
    // to make room when there is one.
    Admission admit(const QHostAddress &peer);
    // A refused client (logged with the others of the same second).
    void noteRefusal(Admission why);

    int count() const { return int(m_all.size()); }
    // A burst: at least this many connections open at once. It is over when a quarter are left.
    static constexpr int kBurstConnections = 256;
    qint64 bufferedBytes() const { return m_buffered; }
    qint64 nowMs() const { return m_clock.elapsed(); }
    static QString addressKey(const QHostAddress &peer);

    // --- for HttpConnection ---
    void add(HttpConnection *connection);
    void remove(HttpConnection *connection); // safe to call twice
    void enterIdle(HttpConnection *connection); // no request in flight: may be closed for room
    void leaveIdle(HttpConnection *connection);
    // Its unsent bytes changed by `delta` (they are `now` now).
    void noteUnsent(HttpConnection *connection, qint64 delta, qint64 now);

signals:
    void burstOver();

private:
    void sweep();
    void shed();
    void logRefusals();
    bool exempt(const QHostAddress &peer) const;

    ConnectionLimits m_limits;
    QElapsedTimer m_clock;
    std::unordered_set<HttpConnection *> m_all;
    QHash<QString, int> m_perAddress;
    std::map<quint64, HttpConnection *> m_idle; // by the order they became idle
    quint64 m_idleSeq = 0;
    std::unordered_set<HttpConnection *>
        m_unsent; // connections with bytes their client has not read
    qint64 m_buffered = 0;
    int m_peak = 0; // the most connections open at once since the last burst ended
    bool m_shedQueued = false;
    QTimer m_sweep;
    QTimer m_refusalLog;
    int m_refusedAtCap = 0;
    int m_refusedAtAddressCap = 0;
};

} // namespace passerelle
