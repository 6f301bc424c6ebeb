#include "http/RouteTable.h"

namespace passerelle {

QByteArray HttpRoute::allowHeader() const
{
    QByteArray out;
    for (const QByteArray &m : methods) {
        if (!out.isEmpty())
            out += ", ";
        out += m;
    }
    return out;
}

namespace {

bool isParameter(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(QLatin1Char('{'))
        && segment.endsWith(QLatin1Char('}'));
}

// "{x*}" as the last segment: the rest of the path, slashes included (possibly empty).
bool isRest(const QString &segment)
{
    return isParameter(segment) && segment.endsWith(QLatin1String("*}"));
}

} // namespace

void RouteTable::add(HttpRoute route)
{
    Entry entry;
    entry.segments = route.pattern.split(QLatin1Char('/'));
    entry.route = std::move(route);
    m_entries.push_back(std::move(entry));
}

RouteMatch RouteTable::match(const QString &path) const
{
    const QStringList segments = path.split(QLatin1Char('/'));
    for (std::size_t e = 0; e < m_entries.size(); ++e) {
        const Entry &entry = m_entries[e];
        const qsizetype n = entry.segments.size();
        const bool rest = isRest(entry.segments.last());
        if (rest ? segments.size() < n - 1 : segments.size() != n)
            continue;
        RouteMatch match;
        bool same = true;
        for (qsizetype i = 0; i < n && same; ++i) {
            if (rest && i == n - 1) {
                match.params.append(segments.mid(i).join(QLatin1Char('/')));
            } else if (isParameter(entry.segments.at(i))) {
                same = !segments.at(i).isEmpty();
                match.params.append(segments.at(i));
            } else {
                same = segments.at(i) == entry.segments.at(i);
            }
        }
        if (same) {
            match.route = &entry.route;
            match.index = int(e);
            return match;
        }
    }
    return {};
}

QList<const HttpRoute *> RouteTable::routes() const
{
    QList<const HttpRoute *> out;
    for (const Entry &e : m_entries)
        out.append(&e.route);
    return out;
}

} // namespace passerelle
