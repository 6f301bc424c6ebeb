#pragma once

// The gateway's Prometheus metrics (SPEC.md section 12), collected in the core so headless mode
// has them. Events are counted as they happen on the server thread: each finished HTTP request
// (its request-log record: route, method, status, duration) and, as the run engine's listener,
// each run's end (surface, agent, outcome, first-output and total time, tokens) and each failed
// model attempt (upstream errors, fallbacks). Every counter is a plain integer in a slot
// preallocated for bounded label values (routes from the route table, agents and providers from
// the config, a fixed list of methods, surfaces, outcomes and error kinds): nothing on the hot path
// locks or allocates. What is only a level (connections, queues, process figures, the panel's
// request statistics) is read when scraped and handed to render(). Server thread.

#include "engine/RunEngine.h"
#include "engine/RunListener.h"
#include "stats/Histogram.h"
#include "stats/LabelSet.h"
#include "stats/ProcessStats.h"
#include "stats/TrafficStats.h"

#include <QByteArray>
#include <QList>

#include <array>
#include <vector>

namespace passerelle {

struct HttpRoute;
class PrometheusText;
class TokenUsageMeter;

class GatewayMetrics final : public RunListener
{
public:
    static constexpr int kMethods = 8; // GET HEAD POST PUT DELETE OPTIONS PATCH other
    static constexpr int kStatusSlots = 24; // distinct statuses kept per route and method
    static constexpr int kSurfaces = 4;
    static constexpr int kOutcomes = 4;
    static constexpr int kErrorKinds = 9;

    // What is read at scrape time.
    struct Levels
    {
        TrafficStats::Snapshot traffic; // what the panel's counters show
        int openConnections = 0;
        int webSocketConnections = 0;
        QList<ProviderLoad> providerLoads;
        quint64 authFailures = 0;
        quint64 authLockouts = 0;
        int lockedOutAddresses = 0;
        QString storeKind; // the session store in use: "sqlite", "postgres"
        bool storeUp = false; // it serves calls now
        ProcessStats process;
    };

    GatewayMetrics();

    // Off (passerelle.metrics.enabled false): nothing is counted.
    void setEnabled(bool on) { m_enabled = on; }
    bool isEnabled() const { return m_enabled; }
    // The route label of a route table index i is routes[i]->name; no route: "other".
    void setRoutes(const QList<const HttpRoute *> &routes);
    // Adds the config's agents and providers to their labels (a removed one keeps its series).
    void setConfig(const GatewayConfig &config);

    // Counts a finished HTTP request from its request-log record (others are ignored).
    void recordRequest(const RequestRecord &record);
    // RunListener
    void attemptFailed(const QString &agentId, const QString &modelRef, const BackendError &error,
                       bool fallingBack) override;
    void runEnded(const RunEnd &end) override;

    // The whole exposition: these counters, the levels, and the token usage of `usage`.
    QByteArray render(const Levels &levels, const TokenUsageMeter *usage) const;

    static int methodIndex(const QString &method);
    static const char *methodName(int index);
    static const char *errorKindName(BackendError::Kind kind);

private:
    struct StatusCount
    {
        int status = 0; // 0: free slot
        quint64 count = 0;
    };
    using StatusSlots = std::array<StatusCount, kStatusSlots>;

    void grow();
    void writeHttp(PrometheusText &out) const;
    void writeRuns(PrometheusText &out) const;
    void writeLevels(PrometheusText &out, const Levels &levels) const;

    bool m_enabled = true;
    LabelSet m_routes;
    std::vector<int> m_routeLabel; // route table index -> label (routes may share a name)
    LabelSet m_agents;
    LabelSet m_providers;
    std::vector<StatusSlots> m_requests; // [route * kMethods + method]
    std::vector<quint64> m_requestsOtherStatus; // [route * kMethods + method], slots full
    std::vector<Histogram> m_requestSeconds; // [route]
    // Agent-major, so that a new agent only appends.
    std::vector<quint64> m_runs; // [(agent * kSurfaces + surface) * kOutcomes + outcome]
    std::vector<Histogram> m_firstToken; // [agent * kSurfaces + surface]
    std::vector<Histogram> m_runSeconds; // [agent * kSurfaces + surface]
    std::vector<std::array<quint64, 2>> m_tokens; // [agent] prompt, completion
    std::vector<quint64> m_fallbacks; // [agent]
    std::vector<quint64> m_upstreamErrors; // [provider * kErrorKinds + kind]
};

} // namespace passerelle
