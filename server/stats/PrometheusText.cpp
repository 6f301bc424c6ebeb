#include "stats/PrometheusText.h"

#include <QLocale>

#include <cmath>

namespace passerelle {

QByteArray PrometheusText::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusText::number(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    // The shortest text that reads back as the same double: le="0.005", not 0.0050000000000000001.
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

void PrometheusText::family(const char *name, const char *type, const char *help)
{
    // HELP text escapes backslash and newline; ours are plain literals without either.
    m_out += "# HELP ";
    m_out += name;
    m_out += ' ';
    m_out += help;
    m_out += "\n# TYPE ";
    m_out += name;
    m_out += ' ';
    m_out += type;
    m_out += '\n';
}

void PrometheusText::series(const char *name, const char *suffix, Labels labels, const Label *extra)
{
    m_out += name;
    m_out += suffix;
    if (labels.size() == 0 && !extra)
        return;
    m_out += '{';
    bool first = true;
    const auto put = [&](const Label &l) {
        if (!first)
            m_out += ',';
        first = false;
        m_out += l.first;
        m_out += "=\"";
        m_out += escapeLabelValue(l.second);
        m_out += '"';
    };
    for (const Label &l : labels)
        put(l);
    if (extra)
        put(*extra);
    m_out += '}';
}

void PrometheusText::sample(const char *name, Labels labels, double value)
{
    series(name, "", labels, nullptr);
    m_out += ' ';
    m_out += number(value);
    m_out += '\n';
}

void PrometheusText::sample(const char *name, Labels labels, quint64 value)
{
    series(name, "", labels, nullptr);
    m_out += ' ';
    m_out += QByteArray::number(value);
    m_out += '\n';
}

void PrometheusText::sample(const char *name, Labels labels, qint64 value)
{
    series(name, "", labels, nullptr);
    m_out += ' ';
    m_out += QByteArray::number(value);
    m_out += '\n';
}

void PrometheusText::histogram(const char *name, Labels labels, const Histogram &h)
{
    const Histogram::Bounds &b = h.bounds();
    for (int i = 0; i <= b.size; ++i) {
        const Label le {"le",
                        i < b.size ? QString::fromLatin1(number(b.upper[std::size_t(i)]))
                                   : QStringLiteral("+Inf")};
        series(name, "_bucket", labels, &le);
        m_out += ' ';
        m_out += QByteArray::number(h.cumulative(i));
        m_out += '\n';
    }
    series(name, "_sum", labels, nullptr);
    m_out += ' ';
    m_out += number(h.sum());
    m_out += '\n';
    series(name, "_count", labels, nullptr);
    m_out += ' ';
    m_out += QByteArray::number(h.count());
    m_out += '\n';
}

} // namespace passerelle
