#pragma once

// One Prometheus histogram series: fixed upper bounds (seconds) shared by every series of its
// metric, a count per bucket, the sum and the count. observe() is a few comparisons and adds: no
// allocation, no lock. Cumulative counts are computed when the text is written. Plain value,
// server thread.

#include <QtGlobal>

#include <array>

namespace passerelle {

class Histogram
{
public:
    static constexpr int kMaxBounds = 16;
    struct Bounds
    {
        std::array<double, kMaxBounds> upper {}; // increasing
        int size = 0;
    };
    // The bucket layouts of the gateway's histograms.
    static const Bounds &requestSeconds(); // HTTP request duration
    static const Bounds &firstTokenSeconds(); // time to first token
    static const Bounds &runSeconds(); // run duration

    explicit Histogram(const Bounds *bounds = &requestSeconds()) : m_bounds(bounds) { }

    void observe(double seconds);

    const Bounds &bounds() const { return *m_bounds; }
    // Observations at or below bounds().upper[i] (cumulative); i == bounds().size: all (+Inf).
    quint64 cumulative(int i) const;
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    const Bounds *m_bounds;
    std::array<quint64, kMaxBounds + 1> m_buckets {}; // per bucket, the last one +Inf
    quint64 m_count = 0;
    double m_sum = 0;
};

} // namespace passerelle
