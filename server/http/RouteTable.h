#pragma once

// The gateway's HTTP routes, each declared once (HttpRoute), and the lookup of a request path:
// the route it names with the values of its {parameters}, or none (404). Server thread.

#include "http/HttpRoute.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace passerelle {

struct RouteMatch
{
    const HttpRoute *route = nullptr;
    int index = -1; // of the route in routes() (a bounded metrics label); -1: no route
    QStringList params; // the {x} segments, in order
    explicit operator bool() const { return route != nullptr; }
};

class RouteTable
{
public:
    void add(HttpRoute route);
    RouteMatch match(const QString &path) const;
    // Every declared route, in the order added (for metrics labels and tests).
    QList<const HttpRoute *> routes() const;

private:
    struct Entry
    {
        HttpRoute route;
        QStringList segments; // of the pattern; "{...}" is a parameter
    };
    std::vector<Entry> m_entries;
};

} // namespace passerelle
