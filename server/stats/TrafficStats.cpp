#include "stats/TrafficStats.h"

#include <algorithm>

namespace passerelle {

namespace {
constexpr size_t kFinishedMemory = 16384;
constexpr int kMaxRunning = 100000;
} // namespace

TrafficStats::Second *TrafficStats::bucket(qint64 epochSecond)
{
    // A second older than the window (a long request finishing) must not recycle a live slot.
    m_latestSecond = std::max(m_latestSecond, epochSecond);
    if (epochSecond <= m_latestSecond - kWindowSeconds)
        return nullptr;
    Second &b = m_buckets[static_cast<size_t>(epochSecond % qint64(m_buckets.size()))];
    if (b.epochSecond != epochSecond)
        b = Second {epochSecond, 0, 0, 0};
    return &b;
}

void TrafficStats::rememberFinished(quint64 id)
{
    m_finished.insert(id);
    m_finishedOrder.push_back(id);
    if (m_finishedOrder.size() > kFinishedMemory) {
        m_finished.remove(m_finishedOrder.front());
        m_finishedOrder.pop_front();
    }
}

void TrafficStats::ingest(const LogBatch &batch)
{
    for (const RequestRecord &r : batch.records)
        ingest(r);
}

void TrafficStats::ingest(const RequestRecord &r)
{
    if (m_finished.contains(r.id))
        return;
    const bool known = m_running.contains(r.id);
    const qint64 startMs = r.startedAt.toMSecsSinceEpoch();
    if (!known) {
        ++m_total;
        if (Second *b = bucket(startMs / 1000))
            b->requests += 1;
    }
    if (!r.finished) {
        if (!known && m_running.size() < kMaxRunning)
            m_running.insert(r.id);
        if (r.stream && m_running.contains(r.id))
            m_runningStreams.insert(r.id);
        return;
    }
    m_running.remove(r.id);
    m_runningStreams.remove(r.id);
    rememberFinished(r.id);
    if (r.isError())
        ++m_errors;
    const qint64 duration = r.durationMs >= 0 ? r.durationMs : 0;
    if (Second *b = bucket((startMs + duration) / 1000)) {
        b->finished += 1;
        b->latencySumMs += duration;
    }
}

TrafficStats::Snapshot TrafficStats::snapshot() const
{
    Snapshot s;
    s.m_total = m_total;
    s.m_errors = m_errors;
    s.m_running = running();
    s.m_activeStreams = activeStreams();
    s.m_buckets = m_buckets;
    return s;
}

QList<TrafficStats::Second> TrafficStats::Snapshot::window(qint64 nowEpochSecond) const
{
    QList<Second> out;
    out.reserve(kWindowSeconds);
    for (qint64 s = nowEpochSecond - kWindowSeconds + 1; s <= nowEpochSecond; ++s) {
        const Second &b = m_buckets[static_cast<size_t>(s % qint64(m_buckets.size()))];
        out.append(b.epochSecond == s ? b : Second {s, 0, 0, 0});
    }
    return out;
}

} // namespace passerelle
