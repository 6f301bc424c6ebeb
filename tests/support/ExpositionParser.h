#pragma once

// A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a
// `# HELP`, a `# TYPE` or a sample; names and label names are valid; label values use only the
// escapes \\, \" and \n; a family has at most one HELP and one TYPE, the TYPE before its samples,
// and its samples together; no series twice; no negative counter; a histogram's series are
// `_bucket` with increasing `le` ending at "+Inf" and non-decreasing (cumulative) counts, `_sum`
// and `_count`, the +Inf bucket equal to `_count`; the text ends with a newline. parse() says what
// is wrong, with the line number.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace passerelle::test {

class Exposition
{
public:
    using Labels = QMap<QString, QString>;
    struct Sample
    {
        QString name; // as written (histograms: with _bucket, _sum, _count)
        Labels labels;
        double value = 0;
    };
    struct Family
    {
        QString name;
        QString type; // counter, gauge, histogram, summary, untyped
        QString help;
        QList<Sample> samples;
    };

    // Every metric family SPEC.md section 12 names.
    static const QList<const char *> &section12Families();

    // Empty error: parsed and valid.
    static Exposition parse(const QByteArray &text, QString *error);

    QList<Family> families() const { return m_families; }
    const Family *family(const QString &name) const;
    bool hasFamily(const QString &name) const { return family(name) != nullptr; }
    // The value of the sample `name` whose labels are exactly `labels`; none: std::nullopt.
    std::optional<double> value(const QString &name, const Labels &labels = {}) const;
    // value() or 0 (a series not written yet counts as zero).
    double valueOr0(const QString &name, const Labels &labels = {}) const;
    // The sum of the samples `name` whose labels include `labels`.
    double sum(const QString &name, const Labels &labels = {}) const;

private:
    QList<Family> m_families;
};

} // namespace passerelle::test
