#include "stats/GatewayMetrics.h"

#include "http/HttpRoute.h"
#include "stats/PrometheusText.h"
#include "stats/TokenUsageMeter.h"

namespace passerelle {

namespace {

constexpr const char *kMethodNames[GatewayMetrics::kMethods]
    = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "other"};

constexpr Surface kSurfaceOrder[GatewayMetrics::kSurfaces]
    = {Surface::ChatCompletions, Surface::Responses, Surface::Messages, Surface::WebSocket};

constexpr RunOutcome kOutcomeOrder[GatewayMetrics::kOutcomes]
    = {RunOutcome::Ok, RunOutcome::Error, RunOutcome::Busy, RunOutcome::Aborted};

constexpr BackendError::Kind kKindOrder[GatewayMetrics::kErrorKinds]
    = {BackendError::Kind::Unreachable, BackendError::Kind::Overloaded,
       BackendError::Kind::Timeout,     BackendError::Kind::Unauthorized,
       BackendError::Kind::Forbidden,   BackendError::Kind::RateLimited,
       BackendError::Kind::BadRequest,  BackendError::Kind::Busy,
       BackendError::Kind::Internal};

int surfaceIndex(Surface s)
{
    // The enum's order is kSurfaceOrder's; a surface added to the enum but not here counts as
    // the last one until it is.
    return qBound(0, int(s), GatewayMetrics::kSurfaces - 1);
}

double seconds(qint64 ns)
{
    return double(ns) / 1e9;
}

} // namespace

GatewayMetrics::GatewayMetrics()
{
    grow();
}

int GatewayMetrics::methodIndex(const QString &method)
{
    for (int i = 0; i < kMethods - 1; ++i) {
        if (method == QLatin1String(kMethodNames[i]))
            return i;
    }
    return kMethods - 1;
}

const char *GatewayMetrics::methodName(int index)
{
    return kMethodNames[index];
}

const char *GatewayMetrics::errorKindName(BackendError::Kind kind)
{
    switch (kind) {
    case BackendError::Kind::Unreachable:
        return "unreachable";
    case BackendError::Kind::Overloaded:
        return "overloaded";
    case BackendError::Kind::Timeout:
        return "timeout";
    case BackendError::Kind::Unauthorized:
        return "unauthorized";
    case BackendError::Kind::Forbidden:
        return "forbidden";
    case BackendError::Kind::RateLimited:
        return "rate_limited";
    case BackendError::Kind::BadRequest:
        return "bad_request";
    case BackendError::Kind::Busy:
        return "busy";
    case BackendError::Kind::Internal:
        return "internal";
    }
    return "internal";
}

void GatewayMetrics::setRoutes(const QList<const HttpRoute *> &routes)
{
    m_routes = LabelSet();
    m_routeLabel.clear();
    for (const HttpRoute *route : routes)
        m_routeLabel.push_back(m_routes.add(route->name));
    grow();
}

void GatewayMetrics::setConfig(const GatewayConfig &config)
{
    for (const AgentConfig &agent : config.agents)
        m_agents.add(agent.id);
    for (auto it = config.providers.cbegin(); it != config.providers.cend(); ++it)
        m_providers.add(it.key());
    grow();
}

void GatewayMetrics::grow()
{
    const auto routes = std::size_t(m_routes.size());
    const auto agents = std::size_t(m_agents.size());
    m_requests.resize(routes * kMethods);
    m_requestsOtherStatus.resize(routes * kMethods);
    m_requestSeconds.resize(routes, Histogram(&Histogram::requestSeconds()));
    m_runs.resize(agents * kSurfaces * kOutcomes);
    m_firstToken.resize(agents * kSurfaces, Histogram(&Histogram::firstTokenSeconds()));
    m_runSeconds.resize(agents * kSurfaces, Histogram(&Histogram::runSeconds()));
    m_tokens.resize(agents);
    m_fallbacks.resize(agents);
    m_upstreamErrors.resize(std::size_t(m_providers.size()) * kErrorKinds);
}

void GatewayMetrics::recordRequest(const RequestRecord &r)
{
    if (!m_enabled || !r.finished || r.transport != QLatin1String("http"))
        return;
    // No route, or one added after setRoutes: "other".
    const int route = r.route >= 0 && std::size_t(r.route) < m_routeLabel.size()
        ? m_routeLabel[std::size_t(r.route)]
        : LabelSet::kOther;
    const std::size_t at = std::size_t(route) * kMethods + std::size_t(methodIndex(r.method));
    StatusSlots &statuses = m_requests[at];
    bool counted = false;
    for (StatusCount &s : statuses) {
        if (s.status == r.status || s.status == 0) {
            s.status = r.status;
            ++s.count;
            counted = true;
            break;
        }
    }
    if (!counted)
        ++m_requestsOtherStatus[at];
    m_requestSeconds[std::size_t(route)].observe(double(qMax<qint64>(0, r.durationMs)) / 1000.0);
}

void GatewayMetrics::attemptFailed(const QString &agentId, const QString &modelRef,
                                   const BackendError &error, bool fallingBack)
{
    if (!m_enabled)
        return;
    QString provider;
    GatewayConfig::splitModelRef(modelRef, &provider, nullptr);
    const int p = m_providers.indexOf(provider);
    ++m_upstreamErrors[std::size_t(p) * kErrorKinds + std::size_t(error.kind)];
    if (fallingBack)
        ++m_fallbacks[std::size_t(m_agents.indexOf(agentId))];
}

void GatewayMetrics::runEnded(const RunEnd &end)
{
    if (!m_enabled)
        return;
    const auto agent = std::size_t(m_agents.indexOf(end.agentId));
    const std::size_t series = agent * kSurfaces + std::size_t(surfaceIndex(end.surface));
    ++m_runs[series * kOutcomes + std::size_t(end.outcome)];
    if (end.firstOutputNs >= 0)
        m_firstToken[series].observe(seconds(end.firstOutputNs));
    m_runSeconds[series].observe(seconds(end.durationNs));
    if (end.usage.known) {
        m_tokens[agent][0] += quint64(qMax<qint64>(0, end.usage.promptTokens));
        m_tokens[agent][1] += quint64(qMax<qint64>(0, end.usage.completionTokens));
    }
}

void GatewayMetrics::writeHttp(PrometheusText &out) const
{
    out.family("passerelle_http_requests_total", "counter",
               "HTTP requests answered, by route (from the route table; other: none), method "
               "and status.");
    for (int route = 0; route < m_routes.size(); ++route) {
        for (int method = 0; method < kMethods; ++method) {
            const std::size_t at = std::size_t(route) * kMethods + std::size_t(method);
            const QString routeName = m_routes.name(route);
            const QString methodText = QLatin1String(kMethodNames[method]);
            for (const StatusCount &s : m_requests[at]) {
                if (s.status == 0)
                    break;
                out.sample("passerelle_http_requests_total",
                           {{"route", routeName},
                            {"method", methodText},
                            {"status", QString::number(s.status)}},
                           s.count);
            }
            if (m_requestsOtherStatus[at] > 0)
                out.sample("passerelle_http_requests_total",
                           {{"route", routeName},
                            {"method", methodText},
                            {"status", QStringLiteral("other")}},
                           m_requestsOtherStatus[at]);
        }
    }
    out.family("passerelle_http_request_duration_seconds", "histogram",
               "Time from the complete request to the end of its answer (a stream: its last "
               "byte), by route.");
    for (int route = 0; route < m_routes.size(); ++route) {
        const Histogram &h = m_requestSeconds[std::size_t(route)];
        if (h.count() > 0)
            out.histogram("passerelle_http_request_duration_seconds",
                          {{"route", m_routes.name(route)}}, h);
    }
}

void GatewayMetrics::writeRuns(PrometheusText &out) const
{
    out.family("passerelle_runs_total", "counter",
               "Agent runs ended, by surface, agent and outcome (ok, error, busy: refused by a "
               "full admission queue, aborted).");
    for (int agent = 0; agent < m_agents.size(); ++agent) {
        for (int s = 0; s < kSurfaces; ++s) {
            const std::size_t series = std::size_t(agent) * kSurfaces + std::size_t(s);
            for (int o = 0; o < kOutcomes; ++o) {
                const quint64 n = m_runs[series * kOutcomes + std::size_t(o)];
                if (n > 0)
                    out.sample("passerelle_runs_total",
                               {{"surface", surfaceName(kSurfaceOrder[s])},
                                {"agent", m_agents.name(agent)},
                                {"outcome", QLatin1String(runOutcomeName(kOutcomeOrder[o]))}},
                               n);
            }
        }
    }
    const auto histograms
        = [&](const char *name, const char *help, const std::vector<Histogram> &all) {
              out.family(name, "histogram", help);
              for (int agent = 0; agent < m_agents.size(); ++agent) {
                  for (int s = 0; s < kSurfaces; ++s) {
                      const Histogram &h = all[std::size_t(agent) * kSurfaces + std::size_t(s)];
                      if (h.count() > 0)
                          out.histogram(name,
                                        {{"surface", surfaceName(kSurfaceOrder[s])},
                                         {"agent", m_agents.name(agent)}},
                                        h);
                  }
              }
          };
    histograms("passerelle_time_to_first_token_seconds",
               "Time from a run's start (queueing included) to its first content or tool-call "
               "delta, by surface and agent.",
               m_firstToken);
    histograms("passerelle_run_duration_seconds",
               "Time from a run's start to its end, by surface and agent.", m_runSeconds);

    out.family("passerelle_tokens_total", "counter",
               "Tokens the model backends reported, by agent and kind (prompt, completion).");
    for (int agent = 0; agent < m_agents.size(); ++agent) {
        if (agent == LabelSet::kOther && m_tokens[0][0] + m_tokens[0][1] == 0)
            continue;
        out.sample("passerelle_tokens_total",
                   {{"agent", m_agents.name(agent)}, {"kind", QStringLiteral("prompt")}},
                   m_tokens[std::size_t(agent)][0]);
        out.sample("passerelle_tokens_total",
                   {{"agent", m_agents.name(agent)}, {"kind", QStringLiteral("completion")}},
                   m_tokens[std::size_t(agent)][1]);
    }
    out.family("passerelle_upstream_errors_total", "counter",
               "Failed model attempts, by provider and kind (unreachable, overloaded, timeout, "
               "unauthorized, forbidden, rate_limited, bad_request, busy, internal).");
    for (int p = 0; p < m_providers.size(); ++p) {
        for (int k = 0; k < kErrorKinds; ++k) {
            const quint64 n = m_upstreamErrors[std::size_t(p) * kErrorKinds + std::size_t(k)];
            if (n > 0)
                out.sample("passerelle_upstream_errors_total",
                           {{"provider", m_providers.name(p)},
                            {"kind", QLatin1String(errorKindName(kKindOrder[k]))}},
                           n);
        }
    }
    out.family("passerelle_upstream_fallbacks_total", "counter",
               "Runs that moved on to the next model of their agent's chain, by agent.");
    for (int agent = 0; agent < m_agents.size(); ++agent) {
        if (agent != LabelSet::kOther || m_fallbacks[0] > 0)
            out.sample("passerelle_upstream_fallbacks_total", {{"agent", m_agents.name(agent)}},
                       m_fallbacks[std::size_t(agent)]);
    }
}

void GatewayMetrics::writeLevels(PrometheusText &out, const Levels &l) const
{
    out.family("passerelle_requests_total", "counter",
               "Requests and WebSocket runs seen: the Requests counter of the panel's Overview.");
    out.sample("passerelle_requests_total", {}, l.traffic.total());
    out.family("passerelle_request_errors_total", "counter",
               "Requests that ended in an error: the Errors counter of the panel's Overview.");
    out.sample("passerelle_request_errors_total", {}, l.traffic.errors());
    out.family("passerelle_active_streams", "gauge",
               "Streams being answered now: the Active streams counter of the panel's Overview.");
    out.sample("passerelle_active_streams", {}, l.traffic.activeStreams());
    out.family("passerelle_open_connections", "gauge", "Open HTTP connections on the listener.");
    out.sample("passerelle_open_connections", {}, l.openConnections);
    out.family("passerelle_websocket_connections", "gauge", "Open WebSocket connections.");
    out.sample("passerelle_websocket_connections", {}, l.webSocketConnections);
    out.family("passerelle_queued_runs", "gauge",
               "Runs waiting for their provider's admission, by provider.");
    for (const ProviderLoad &load : l.providerLoads)
        out.sample("passerelle_queued_runs", {{"provider", load.provider}}, load.queued);
    out.family("passerelle_running_runs", "gauge",
               "Runs holding one of their provider's admission slots, by provider.");
    for (const ProviderLoad &load : l.providerLoads)
        out.sample("passerelle_running_runs", {{"provider", load.provider}}, load.running);
    out.family("passerelle_auth_failures_total", "counter",
               "Refused credentials (a wrong or a missing secret), HTTP and WebSocket.");
    out.sample("passerelle_auth_failures_total", {}, l.authFailures);
    out.family("passerelle_auth_lockouts_total", "counter",
               "Client addresses locked out after too many failed authentications.");
    out.sample("passerelle_auth_lockouts_total", {}, l.authLockouts);
    out.family("passerelle_locked_out_addresses", "gauge", "Client addresses locked out now.");
    out.sample("passerelle_locked_out_addresses", {}, l.lockedOutAddresses);
    if (!l.storeKind.isEmpty()) {
        out.family("passerelle_session_store_up", "gauge",
                   "Whether the session store (kind) serves calls now: 1, or 0 while it is "
                   "opening or unreachable.");
        out.sample("passerelle_session_store_up", {{"kind", l.storeKind}}, l.storeUp ? 1 : 0);
    }
}

QByteArray GatewayMetrics::render(const Levels &levels, const TokenUsageMeter *usage) const
{
    PrometheusText out;
    writeHttp(out);
    writeRuns(out);
    writeLevels(out, levels);
    if (usage)
        usage->write(out);
    out.family("passerelle_build_info", "gauge", "The gateway's version (the value is 1).");
    out.sample(
        "passerelle_build_info",
        {{"version", QStringLiteral(PASSERELLE_VERSION)}, {"qt", QString::fromLatin1(qVersion())}},
        1);
    const ProcessStats &p = levels.process;
    if (p.residentBytes >= 0) {
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, p.residentBytes);
    }
    if (p.openFds >= 0) {
        out.family("process_open_fds", "gauge", "Number of open file descriptors.");
        out.sample("process_open_fds", {}, p.openFds);
    }
    if (p.cpuSeconds >= 0) {
        out.family("process_cpu_seconds_total", "counter",
                   "Total user and system CPU time spent in seconds.");
        out.sample("process_cpu_seconds_total", {}, p.cpuSeconds);
    }
    if (p.startTimeSeconds >= 0) {
        out.family("process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.");
        out.sample("process_start_time_seconds", {}, p.startTimeSeconds);
    }
    return out.text();
}

} // namespace passerelle
