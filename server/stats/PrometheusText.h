#pragma once

// Writes the Prometheus text exposition format 0.0.4: per metric family its HELP and TYPE lines,
// then its samples (`name{label="value",...} value`), label values escaped (\\, \", \n), numbers
// as Prometheus reads them (+Inf, integers without a fraction), histograms as cumulative
// `_bucket{le=...}` series ending at le="+Inf", then `_sum` and `_count`. Plain value, any thread.

#include "stats/Histogram.h"

#include <QByteArray>
#include <QPair>
#include <QString>

#include <initializer_list>

namespace passerelle {

class PrometheusText
{
public:
    static constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

    using Label = QPair<const char *, QString>;
    using Labels = std::initializer_list<Label>;

    // Starts a family; its samples follow. type: "counter", "gauge" or "histogram".
    void family(const char *name, const char *type, const char *help);
    void sample(const char *name, Labels labels, double value);
    void sample(const char *name, Labels labels, quint64 value);
    void sample(const char *name, Labels labels, qint64 value);
    void sample(const char *name, Labels labels, int value) { sample(name, labels, qint64(value)); }
    // The histogram's _bucket series, _sum and _count, under the family `name`.
    void histogram(const char *name, Labels labels, const Histogram &histogram);

    const QByteArray &text() const { return m_out; }

    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray number(double value);

private:
    void series(const char *name, const char *suffix, Labels labels, const Label *extra);

    QByteArray m_out;
};

} // namespace passerelle
