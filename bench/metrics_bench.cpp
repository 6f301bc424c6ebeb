// What the metrics cost one request, on the server thread: the record listener's work per finished
// request with metrics off (the panel's TrafficStats and the usage per token, which run either
// way) against on (plus GatewayMetrics: route, method and status slots, the duration histogram),
// and a run's end with its histograms; then one scrape (render) with a few hundred series. Prints
// nanoseconds per operation. Run a Release build: build/ci/bench/metrics_bench [records].

#include "config/GatewayConfig.h"
#include "http/HttpRoute.h"
#include "stats/GatewayMetrics.h"
#include "stats/TokenUsageMeter.h"
#include "stats/TrafficStats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace passerelle;

namespace {

GatewayConfig config()
{
    GatewayConfig c;
    for (const char *id : {"main", "writer", "coder", "ops"}) {
        AgentConfig a;
        a.id = QLatin1String(id);
        a.primary = QStringLiteral("echo/echo");
        c.agents.append(a);
    }
    for (const char *name : {"ci", "laptop", "phone"}) {
        NamedToken t;
        t.name = QLatin1String(name);
        c.auth.tokens.append(t);
    }
    return c;
}

template<typename F> double nsPer(int n, F f)
{
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < n; ++i)
        f(i);
    return double(clock.nsecsElapsed()) / n;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    const GatewayConfig cfg = config();
    QList<HttpRoute> routes(8);
    const char *names[]
        = {"health", "healthz", "ready", "readyz", "chat", "models", "metrics", "x"};
    QList<const HttpRoute *> table;
    for (int i = 0; i < routes.size(); ++i) {
        routes[i].name = QLatin1String(names[i]);
        table.append(&routes[i]);
    }

    RequestRecord r;
    r.method = QStringLiteral("POST");
    r.path = QStringLiteral("/v1/chat/completions");
    r.route = 4;
    r.principal = QStringLiteral("gateway");
    r.agentId = QStringLiteral("main");
    r.status = 200;
    r.durationMs = 2;
    r.usage = {12, 30, true};
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.finished = true;
    const auto recordAt = [&](int i) {
        RequestRecord copy = r;
        copy.id = quint64(i) + 1;
        copy.status = i % 50 == 0 ? 401 : 200;
        return copy;
    };
    QList<RequestRecord> records;
    records.reserve(n);
    for (int i = 0; i < n; ++i)
        records.append(recordAt(i));

    // Rounds alternate off and on, each with fresh statistics; the best round of each is kept
    // (the least disturbed by the other work on the machine).
    double off = 1e18, on = 1e18;
    TrafficStats onTraffic;
    TokenUsageMeter onUsage;
    GatewayMetrics metrics;
    for (int round = 0; round < 5; ++round) {
        TrafficStats offTraffic;
        TokenUsageMeter offUsage;
        offUsage.setConfig(cfg);
        off = std::min(off, nsPer(n, [&](int i) {
                           offTraffic.ingest(records[i]);
                           offUsage.record(records[i]);
                       }));
        onTraffic = TrafficStats();
        onUsage.setConfig(cfg);
        metrics = GatewayMetrics();
        metrics.setRoutes(table);
        metrics.setConfig(cfg);
        on = std::min(on, nsPer(n, [&](int i) {
                          onTraffic.ingest(records[i]);
                          metrics.recordRequest(records[i]);
                          onUsage.record(records[i]);
                      }));
    }
    GatewayMetrics alone;
    alone.setRoutes(table);
    alone.setConfig(cfg);
    double metricsOnly = 1e18;
    for (int round = 0; round < 5; ++round)
        metricsOnly
            = std::min(metricsOnly, nsPer(n, [&](int i) { alone.recordRequest(records[i]); }));

    RunEnd end;
    end.agentId = QStringLiteral("writer");
    end.firstOutputNs = 40'000'000;
    end.durationNs = 900'000'000;
    end.usage = {12, 30, true};
    const double runEnd = nsPer(n, [&](int i) {
        end.surface = i % 4 == 0 ? Surface::WebSocket : Surface::ChatCompletions;
        metrics.runEnded(end);
    });

    GatewayMetrics::Levels levels;
    levels.traffic = onTraffic.snapshot();
    levels.process = ProcessStats::read();
    QByteArray text;
    const int scrapes = 2000;
    const double render = nsPer(scrapes, [&](int) { text = metrics.render(levels, &onUsage); });
    const double process = nsPer(scrapes, [&](int) { levels.process = ProcessStats::read(); });

    std::printf("records: %d (2%% of them 401), best of 5 rounds\n", n);
    std::printf("per finished request, metrics off (TrafficStats + usage per token): %8.1f ns\n",
                off);
    std::printf("per finished request, metrics on  (+ GatewayMetrics):              %8.1f ns\n",
                on);
    std::printf("  difference (the cost of metrics on):                              %8.1f ns\n",
                on - off);
    std::printf("  GatewayMetrics::recordRequest alone:                              %8.1f ns\n",
                metricsOnly);
    std::printf("per run end (GatewayMetrics::runEnded, two histograms):            %8.1f ns\n",
                runEnd);
    std::printf("one scrape: render %lld bytes, %d lines:                        %8.1f us\n",
                qint64(text.size()), int(text.count('\n')), render / 1000);
    std::printf("one scrape: process figures from /proc:                            %8.1f us\n",
                process / 1000);
    return 0;
}
