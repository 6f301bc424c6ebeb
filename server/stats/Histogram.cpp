#include "stats/Histogram.h"

#include <initializer_list>

namespace passerelle {

namespace {

Histogram::Bounds make(std::initializer_list<double> upper)
{
    Histogram::Bounds b;
    for (const double u : upper)
        b.upper[std::size_t(b.size++)] = u;
    return b;
}

} // namespace

const Histogram::Bounds &Histogram::requestSeconds()
{
    static const Bounds b
        = make({0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120});
    return b;
}

const Histogram::Bounds &Histogram::firstTokenSeconds()
{
    static const Bounds b = make({0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60});
    return b;
}

const Histogram::Bounds &Histogram::runSeconds()
{
    static const Bounds b = make({0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600});
    return b;
}

void Histogram::observe(double seconds)
{
    int i = 0;
    while (i < m_bounds->size && seconds > m_bounds->upper[std::size_t(i)])
        ++i;
    ++m_buckets[std::size_t(i)];
    ++m_count;
    m_sum += seconds;
}

quint64 Histogram::cumulative(int i) const
{
    quint64 n = 0;
    for (int k = 0; k <= i && k <= m_bounds->size; ++k)
        n += m_buckets[std::size_t(k)];
    return n;
}

} // namespace passerelle
