#pragma once

// The probe routes of SPEC.md sections 3 and 12, always on and without a credential:
// `/health` and `/healthz` (the process is live), `/ready` and `/readyz` (200 {"ready":true}
// once listening with the session store open, else 503 {"ready":false,"reason":"..."}: starting,
// draining, session store unavailable). Every answer carries Cache-Control: no-store. Server
// thread.

#include "http/HttpRoute.h"

#include <QList>

#include <functional>

namespace passerelle {

class HealthRoutes
{
public:
    // Why the gateway is not ready; empty: it is.
    using NotReadyReason = std::function<QString()>;

    static QList<HttpRoute> routes(NotReadyReason notReady);
};

} // namespace passerelle
