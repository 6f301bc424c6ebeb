#pragma once

// The gateway's request statistics, kept in the core (headless mode has them too): totals
// (requests, errors, running requests and streams) and, per second over the last minute, the
// requests started and their mean latency. Fed with every request-log record as the server thread
// writes it; a record seen again (an update) counts once. snapshot() is the copyable value the
// panel and a metrics endpoint read. Server thread; bounded memory.

#include "log/RequestLog.h"

#include <QMetaType>

#include <QList>
#include <QSet>

#include <array>
#include <deque>

namespace passerelle {

class TrafficStats
{
public:
    static constexpr int kWindowSeconds = 60;

    struct Second
    {
        qint64 epochSecond = 0;
        int requests = 0; // requests started in this second
        int finished = 0; // requests finished in this second
        qint64 latencySumMs = 0; // of the finished ones (duration)
        double meanLatencyMs() const { return finished ? double(latencySumMs) / finished : -1.0; }
    };
    using Buckets = std::array<Second, std::size_t(kWindowSeconds) * 2>;

    // The counters at one moment, without the bookkeeping of ids: a small value to hand around.
    class Snapshot
    {
    public:
        qint64 total() const { return m_total; }
        qint64 errors() const { return m_errors; }
        int running() const { return m_running; }
        int activeStreams() const { return m_activeStreams; }
        // The last `kWindowSeconds` seconds ending at nowEpochSecond (inclusive), oldest first;
        // seconds without traffic are zero.
        QList<Second> window(qint64 nowEpochSecond) const;

    private:
        friend class TrafficStats;
        qint64 m_total = 0;
        qint64 m_errors = 0;
        int m_running = 0;
        int m_activeStreams = 0;
        Buckets m_buckets {};
    };

    void ingest(const RequestRecord &record);
    void ingest(const LogBatch &batch);

    qint64 total() const { return m_total; }
    qint64 errors() const { return m_errors; }
    int running() const { return static_cast<int>(m_running.size()); }
    int activeStreams() const { return static_cast<int>(m_runningStreams.size()); }
    QList<Second> window(qint64 nowEpochSecond) const { return snapshot().window(nowEpochSecond); }
    Snapshot snapshot() const;

private:
    Second *bucket(qint64 epochSecond); // nullptr: too old for the window
    void rememberFinished(quint64 id);

    qint64 m_total = 0;
    qint64 m_errors = 0;
    QSet<quint64> m_running;
    QSet<quint64> m_runningStreams;
    QSet<quint64> m_finished; // recent finished ids, so a repeated record counts once
    std::deque<quint64> m_finishedOrder; // bounds m_finished
    Buckets m_buckets {};
    qint64 m_latestSecond = 0;
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::TrafficStats::Snapshot)
