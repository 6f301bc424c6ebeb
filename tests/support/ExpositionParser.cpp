#include "support/ExpositionParser.h"

#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace passerelle::test {

namespace {

bool validMetricName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return re.match(name).hasMatch();
}

bool validLabelName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    return re.match(name).hasMatch() && !name.startsWith(QLatin1String("__"));
}

std::optional<double> parseValue(const QString &text)
{
    if (text == QLatin1String("+Inf") || text == QLatin1String("Inf"))
        return INFINITY;
    if (text == QLatin1String("-Inf"))
        return -INFINITY;
    if (text == QLatin1String("NaN"))
        return NAN;
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

// name{a="x",b="y"} value [timestamp]
bool parseSample(const QString &line, Exposition::Sample *out, QString *why)
{
    qsizetype i = 0;
    while (i < line.size() && line.at(i) != QLatin1Char('{') && line.at(i) != QLatin1Char(' '))
        ++i;
    out->name = line.left(i);
    if (!validMetricName(out->name)) {
        *why = QStringLiteral("invalid metric name '%1'").arg(out->name);
        return false;
    }
    if (i < line.size() && line.at(i) == QLatin1Char('{')) {
        ++i;
        while (true) {
            if (i < line.size() && line.at(i) == QLatin1Char('}')) {
                ++i;
                break;
            }
            qsizetype eq = line.indexOf(QLatin1Char('='), i);
            if (eq < 0) {
                *why = QStringLiteral("label without '='");
                return false;
            }
            const QString name = line.mid(i, eq - i);
            if (!validLabelName(name)) {
                *why = QStringLiteral("invalid label name '%1'").arg(name);
                return false;
            }
            if (out->labels.contains(name)) {
                *why = QStringLiteral("label '%1' twice").arg(name);
                return false;
            }
            i = eq + 1;
            if (i >= line.size() || line.at(i) != QLatin1Char('"')) {
                *why = QStringLiteral("label value not quoted");
                return false;
            }
            ++i;
            QString value;
            bool closed = false;
            while (i < line.size()) {
                const QChar c = line.at(i);
                if (c == QLatin1Char('\\')) {
                    if (i + 1 >= line.size()) {
                        *why = QStringLiteral("dangling backslash");
                        return false;
                    }
                    const QChar e = line.at(i + 1);
                    if (e == QLatin1Char('\\'))
                        value += QLatin1Char('\\');
                    else if (e == QLatin1Char('"'))
                        value += QLatin1Char('"');
                    else if (e == QLatin1Char('n'))
                        value += QLatin1Char('\n');
                    else {
                        *why = QStringLiteral("invalid escape '\\%1'").arg(e);
                        return false;
                    }
                    i += 2;
                    continue;
                }
                if (c == QLatin1Char('"')) {
                    closed = true;
                    ++i;
                    break;
                }
                value += c;
                ++i;
            }
            if (!closed) {
                *why = QStringLiteral("unterminated label value");
                return false;
            }
            out->labels.insert(name, value);
            if (i < line.size() && line.at(i) == QLatin1Char(','))
                ++i;
            else if (i >= line.size() || line.at(i) != QLatin1Char('}')) {
                *why = QStringLiteral("expected ',' or '}' after a label");
                return false;
            }
        }
    }
    if (i >= line.size() || line.at(i) != QLatin1Char(' ')) {
        *why = QStringLiteral("expected a space before the value");
        return false;
    }
    const QStringList rest = line.mid(i + 1).split(QLatin1Char(' '));
    if (rest.isEmpty() || rest.size() > 2) {
        *why = QStringLiteral("expected a value and an optional timestamp");
        return false;
    }
    const auto v = parseValue(rest.first());
    if (!v) {
        *why = QStringLiteral("invalid value '%1'").arg(rest.first());
        return false;
    }
    out->value = *v;
    if (rest.size() == 2) {
        bool ok = false;
        rest.at(1).toLongLong(&ok);
        if (!ok) {
            *why = QStringLiteral("invalid timestamp");
            return false;
        }
    }
    return true;
}

QString seriesKey(const QString &name, const Exposition::Labels &labels)
{
    QString key = name;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        key += QLatin1Char('\x01') + it.key() + QLatin1Char('\x02') + it.value();
    return key;
}

// The family a sample belongs to, given the families' types.
QString familyOf(const QString &sample, const QMap<QString, QString> &types)
{
    if (types.contains(sample))
        return sample;
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const QLatin1String s(suffix);
        if (sample.endsWith(s)) {
            const QString base = sample.left(sample.size() - s.size());
            if (types.value(base) == QLatin1String("histogram")
                || types.value(base) == QLatin1String("summary"))
                return base;
        }
    }
    return sample;
}

QString checkHistogram(const Exposition::Family &f)
{
    // Group the series by their labels without `le`.
    struct Series
    {
        QList<QPair<double, double>> buckets; // le, count in order written
        std::optional<double> sum, count;
    };
    QMap<QString, Series> all;
    for (const Exposition::Sample &s : f.samples) {
        Exposition::Labels base = s.labels;
        base.remove(QStringLiteral("le"));
        Series &series = all[seriesKey(QString(), base)];
        if (s.name == f.name + QLatin1String("_bucket")) {
            if (!s.labels.contains(QStringLiteral("le")))
                return QStringLiteral("%1: a bucket without le").arg(f.name);
            const auto le = parseValue(s.labels.value(QStringLiteral("le")));
            if (!le)
                return QStringLiteral("%1: invalid le").arg(f.name);
            series.buckets.append({*le, s.value});
        } else if (s.name == f.name + QLatin1String("_sum")) {
            series.sum = s.value;
        } else if (s.name == f.name + QLatin1String("_count")) {
            series.count = s.value;
        } else {
            return QStringLiteral("%1: sample %2 in a histogram").arg(f.name, s.name);
        }
    }
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        const Series &s = it.value();
        if (s.buckets.isEmpty() || !s.sum || !s.count)
            return QStringLiteral("%1: a series lacks buckets, _sum or _count").arg(f.name);
        for (qsizetype i = 1; i < s.buckets.size(); ++i) {
            if (!(s.buckets.at(i).first > s.buckets.at(i - 1).first))
                return QStringLiteral("%1: le not increasing").arg(f.name);
            if (s.buckets.at(i).second < s.buckets.at(i - 1).second)
                return QStringLiteral("%1: buckets not cumulative").arg(f.name);
        }
        if (!std::isinf(s.buckets.last().first))
            return QStringLiteral("%1: no le=\"+Inf\" bucket").arg(f.name);
        if (s.buckets.last().second != *s.count)
            return QStringLiteral("%1: +Inf bucket %2 != _count %3")
                .arg(f.name)
                .arg(s.buckets.last().second)
                .arg(*s.count);
    }
    return {};
}

} // namespace

const QList<const char *> &Exposition::section12Families()
{
    static const QList<const char *> names {"passerelle_http_requests_total",
                                            "passerelle_http_request_duration_seconds",
                                            "passerelle_runs_total",
                                            "passerelle_time_to_first_token_seconds",
                                            "passerelle_run_duration_seconds",
                                            "passerelle_tokens_total",
                                            "passerelle_active_streams",
                                            "passerelle_open_connections",
                                            "passerelle_websocket_connections",
                                            "passerelle_queued_runs",
                                            "passerelle_upstream_errors_total",
                                            "passerelle_upstream_fallbacks_total",
                                            "passerelle_auth_failures_total",
                                            "passerelle_auth_lockouts_total",
                                            "passerelle_locked_out_addresses",
                                            "passerelle_token_requests_total",
                                            "passerelle_build_info",
                                            "process_resident_memory_bytes",
                                            "process_open_fds",
                                            "process_cpu_seconds_total",
                                            "process_start_time_seconds"};
    return names;
}

Exposition Exposition::parse(const QByteArray &text, QString *error)
{
    Exposition out;
    error->clear();
    if (!text.isEmpty() && !text.endsWith('\n')) {
        *error = QStringLiteral("the text does not end with a newline");
        return out;
    }
    QMap<QString, QString> types;
    QSet<QString> helped, typed, closed, series;
    QString current; // the family whose samples are being read
    const QList<QByteArray> lines = text.split('\n');
    const auto fail = [&](int n, const QString &why) {
        *error = QStringLiteral("line %1: %2").arg(n).arg(why);
        return out;
    };
    const auto familyNamed = [&](const QString &name) -> Family & {
        for (Family &f : out.m_families) {
            if (f.name == name)
                return f;
        }
        out.m_families.append(Family {name, QStringLiteral("untyped"), {}, {}});
        return out.m_families.last();
    };
    const auto enter = [&](const QString &name) {
        if (current != name) {
            if (!current.isEmpty())
                closed.insert(current);
            current = name;
        }
    };
    for (int i = 0; i < lines.size() - 1; ++i) {
        const int n = i + 1;
        const QString line = QString::fromUtf8(lines.at(i));
        if (line.isEmpty())
            return fail(n, QStringLiteral("empty line"));
        if (line.startsWith(QLatin1String("# HELP "))
            || line.startsWith(QLatin1String("# TYPE "))) {
            const bool help = line.startsWith(QLatin1String("# HELP "));
            const QString rest = line.mid(7);
            const qsizetype space = rest.indexOf(QLatin1Char(' '));
            const QString name = space < 0 ? rest : rest.left(space);
            const QString tail = space < 0 ? QString() : rest.mid(space + 1);
            if (!validMetricName(name))
                return fail(n, QStringLiteral("invalid metric name '%1'").arg(name));
            if (closed.contains(name))
                return fail(n, QStringLiteral("%1 resumes after other families").arg(name));
            enter(name);
            Family &f = familyNamed(name);
            if (help) {
                if (helped.contains(name))
                    return fail(n, QStringLiteral("second HELP for %1").arg(name));
                helped.insert(name);
                if (tail.contains(QRegularExpression(QStringLiteral("\\\\[^\\\\n]"))))
                    return fail(n, QStringLiteral("invalid escape in HELP"));
                f.help = tail;
            } else {
                static const QStringList kTypes = {
                    QStringLiteral("counter"), QStringLiteral("gauge"), QStringLiteral("histogram"),
                    QStringLiteral("summary"), QStringLiteral("untyped")};
                if (typed.contains(name))
                    return fail(n, QStringLiteral("second TYPE for %1").arg(name));
                if (!kTypes.contains(tail))
                    return fail(n, QStringLiteral("unknown type '%1'").arg(tail));
                if (!f.samples.isEmpty())
                    return fail(n, QStringLiteral("TYPE of %1 after its samples").arg(name));
                typed.insert(name);
                types.insert(name, tail);
                f.type = tail;
            }
            continue;
        }
        if (line.startsWith(QLatin1Char('#')))
            continue; // a comment
        Sample s;
        QString why;
        if (!parseSample(line, &s, &why))
            return fail(n, why);
        const QString familyName = familyOf(s.name, types);
        if (closed.contains(familyName))
            return fail(n, QStringLiteral("%1 resumes after other families").arg(familyName));
        enter(familyName);
        const QString key = seriesKey(s.name, s.labels);
        if (series.contains(key))
            return fail(n, QStringLiteral("series written twice: %1").arg(line));
        series.insert(key);
        Family &f = familyNamed(familyName);
        if (f.type == QLatin1String("counter") && (s.value < 0 || std::isnan(s.value)))
            return fail(n, QStringLiteral("negative counter %1").arg(s.name));
        f.samples.append(s);
    }
    for (const Family &f : std::as_const(out.m_families)) {
        if (f.type == QLatin1String("histogram")) {
            const QString why = checkHistogram(f);
            if (!why.isEmpty()) {
                *error = why;
                return out;
            }
        }
    }
    return out;
}

const Exposition::Family *Exposition::family(const QString &name) const
{
    for (const Family &f : m_families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

std::optional<double> Exposition::value(const QString &name, const Labels &labels) const
{
    for (const Family &f : m_families) {
        for (const Sample &s : f.samples) {
            if (s.name == name && s.labels == labels)
                return s.value;
        }
    }
    return std::nullopt;
}

double Exposition::valueOr0(const QString &name, const Labels &labels) const
{
    return value(name, labels).value_or(0.0);
}

double Exposition::sum(const QString &name, const Labels &labels) const
{
    double total = 0;
    for (const Family &f : m_families) {
        for (const Sample &s : f.samples) {
            if (s.name != name)
                continue;
            bool match = true;
            for (auto it = labels.cbegin(); it != labels.cend() && match; ++it)
                match = s.labels.value(it.key()) == it.value() && s.labels.contains(it.key());
            if (match)
                total += s.value;
        }
    }
    return total;
}

} // namespace passerelle::test
