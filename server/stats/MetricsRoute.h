#pragma once

// `GET /metrics` (SPEC.md section 12): the Prometheus text exposition of the gateway, as
// `text/plain; version=0.0.4`. Off (404) with passerelle.metrics.enabled false; behind the
// gateway's credential (the same 401/429 rules as the API) unless passerelle.metrics.public.
// Server thread.

#include "http/HttpRoute.h"

#include <functional>

namespace passerelle {

class MetricsRoute
{
public:
    static HttpRoute route(std::function<QByteArray()> render);
};

} // namespace passerelle
