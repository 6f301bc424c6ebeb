// The Prometheus exposition as a scraper reads it, without sockets: the strict parser of the test
// support refuses what the format forbids (so it can catch the writer); the writer's escaping,
// numbers and histograms; GatewayMetrics' families with bounded labels (routes from the route
// table, "other" for the rest), counting only finished HTTP records, runs by surface, agent and
// outcome with their histograms, upstream errors and fallbacks; TokenUsageMeter's token families.

#include "config/GatewayConfig.h"
#include "http/HttpRoute.h"
#include "stats/GatewayMetrics.h"
#include "stats/PrometheusText.h"
#include "stats/TokenUsageMeter.h"
#include "support/ExpositionParser.h"

#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {

Exposition parsed(const QByteArray &text)
{
    QString error;
    Exposition e = Exposition::parse(text, &error);
    if (!error.isEmpty())
        qWarning("%s\n%s", qPrintable(error), text.constData());
    return e;
}

bool valid(const QByteArray &text)
{
    QString error;
    Exposition::parse(text, &error);
    return error.isEmpty();
}

RequestRecord httpRecord(int route, const char *method, int status, qint64 durationMs = 3)
{
    RequestRecord r;
    r.id = 1;
    r.method = QLatin1String(method);
    r.route = route;
    r.status = status;
    r.durationMs = durationMs;
    r.finished = true;
    return r;
}

GatewayConfig twoAgents()
{
    GatewayConfig c;
    AgentConfig main;
    main.id = QStringLiteral("main");
    main.primary = QStringLiteral("echo/echo");
    AgentConfig writer;
    writer.id = QStringLiteral("writer");
    writer.primary = QStringLiteral("up/m");
    writer.fallbacks = {QStringLiteral("echo/echo")};
    c.agents = {main, writer};
    ProviderConfig up;
    up.name = QStringLiteral("up");
    c.providers.insert(up.name, up);
    NamedToken ci;
    ci.name = QStringLiteral("ci \"bot\"\\x");
    c.auth.tokens = {ci};
    return c;
}

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private slots:
    void parserRefusesWhatTheFormatForbids_data();
    void parserRefusesWhatTheFormatForbids();
    void parserReadsEscapesAndHistograms();
    void writerEscapesAndFormatsNumbers();
    void histogramBucketsAreCumulative();
    void httpRequestsByRouteMethodStatus();
    void runsUpstreamErrorsAndFallbacks();
    void disabledCountsNothing();
    void levelsAndEveryFamilyOfSection12();
    void tokenUsageFamilies();
};

void TestPrometheusText::parserRefusesWhatTheFormatForbids_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("no final newline") << QByteArray("# TYPE a counter\na 1");
    QTest::newRow("bad metric name") << QByteArray("1abc 2\n");
    QTest::newRow("bad label name") << QByteArray("a{1x=\"v\"} 1\n");
    QTest::newRow("reserved label name") << QByteArray("a{__x=\"v\"} 1\n");
    QTest::newRow("bad escape") << QByteArray("a{x=\"\\t\"} 1\n");
    QTest::newRow("unquoted value") << QByteArray("a{x=v} 1\n");
    QTest::newRow("unterminated") << QByteArray("a{x=\"v} 1\n");
    QTest::newRow("bad value") << QByteArray("a 1x\n");
    QTest::newRow("no value") << QByteArray("a\n");
    QTest::newRow("two TYPE") << QByteArray("# TYPE a counter\n# TYPE a counter\na 1\n");
    QTest::newRow("two HELP") << QByteArray("# HELP a x\n# HELP a y\na 1\n");
    QTest::newRow("unknown type") << QByteArray("# TYPE a meter\na 1\n");
    QTest::newRow("TYPE after samples") << QByteArray("a 1\n# TYPE a counter\n");
    QTest::newRow("family split") << QByteArray(
        "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\n"
        "a{x=\"2\"} 1\n");
    QTest::newRow("duplicate series") << QByteArray("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n");
    QTest::newRow("negative counter") << QByteArray("# TYPE a_total counter\na_total -1\n");
    QTest::newRow("empty line") << QByteArray("# TYPE a gauge\n\na 1\n");
    QTest::newRow("histogram without +Inf")
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n");
    QTest::newRow("histogram not cumulative")
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                      "h_sum 1\nh_count 1\n");
    QTest::newRow("histogram +Inf != count")
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                      "h_sum 1\nh_count 3\n");
    QTest::newRow("histogram le not increasing")
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n"
                      "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n");
    QTest::newRow("histogram without _count")
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n");
}

void TestPrometheusText::parserRefusesWhatTheFormatForbids()
{
    QFETCH(QByteArray, text);
    QVERIFY(!valid(text));
}

void TestPrometheusText::parserReadsEscapesAndHistograms()
{
    const QByteArray text = "# HELP a_total A counter.\n# TYPE a_total counter\n"
                            "a_total{x=\"q\\\"\\\\\\n\",y=\"\"} 2\n"
                            "# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} 3\n"
                            "h_sum 4.5\nh_count 3\n"
                            "# a comment\nuntyped_one 1 1700000000000\n";
    QString error;
    const Exposition e = Exposition::parse(text, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(e.value(QStringLiteral("a_total"),
                     {{QStringLiteral("x"), QStringLiteral("q\"\\\n")},
                      {QStringLiteral("y"), QString()}}),
             2.0);
    QCOMPARE(e.family(QStringLiteral("a_total"))->help, QStringLiteral("A counter."));
    QCOMPARE(e.family(QStringLiteral("h"))->samples.size(), 4);
    QCOMPARE(e.value(QStringLiteral("h_count")), 3.0);
    QCOMPARE(e.value(QStringLiteral("untyped_one")), 1.0);
}

void TestPrometheusText::writerEscapesAndFormatsNumbers()
{
    QCOMPARE(PrometheusText::escapeLabelValue(QStringLiteral("a\"b\\c\nd é")),
             QByteArray("a\\\"b\\\\c\\nd \xc3\xa9"));
    QCOMPARE(PrometheusText::number(3.0), QByteArray("3"));
    QCOMPARE(PrometheusText::number(0.25), QByteArray("0.25"));
    // The shortest text that reads back as the same double (bucket bounds, CPU seconds).
    QCOMPARE(PrometheusText::number(0.005), QByteArray("0.005"));
    QCOMPARE(PrometheusText::number(0.1), QByteArray("0.1"));
    QCOMPARE(PrometheusText::number(0.141582), QByteArray("0.141582"));
    QCOMPARE(PrometheusText::number(1796173843.21), QByteArray("1796173843.21"));
    QCOMPARE(PrometheusText::number(1.0 / 3).toDouble(), 1.0 / 3);
    QCOMPARE(PrometheusText::number(qInf()), QByteArray("+Inf"));
    QCOMPARE(PrometheusText::number(-qInf()), QByteArray("-Inf"));
    QCOMPARE(PrometheusText::number(qQNaN()), QByteArray("NaN"));
    PrometheusText out;
    out.family("x_total", "counter", "Things.");
    out.sample("x_total", {{"name", QStringLiteral("q\"\\\n")}}, quint64(7));
    out.sample("x_total", {}, quint64(1));
    QCOMPARE(out.text(),
             QByteArray("# HELP x_total Things.\n# TYPE x_total counter\n"
                        "x_total{name=\"q\\\"\\\\\\n\"} 7\nx_total 1\n"));
    const Exposition e = parsed(out.text());
    QCOMPARE(
        e.value(QStringLiteral("x_total"), {{QStringLiteral("name"), QStringLiteral("q\"\\\n")}}),
        7.0);
}

void TestPrometheusText::histogramBucketsAreCumulative()
{
    Histogram h(&Histogram::requestSeconds());
    for (const double v : {0.001, 0.005, 0.0051, 0.3, 7.0, 1000.0})
        h.observe(v);
    QCOMPARE(h.count(), quint64(6));
    QCOMPARE(h.cumulative(0), quint64(2)); // le 0.005: inclusive
    QCOMPARE(h.cumulative(h.bounds().size), quint64(6));
    PrometheusText out;
    out.family("d_seconds", "histogram", "Durations.");
    out.histogram("d_seconds", {{"route", QStringLiteral("chat")}}, h);
    const Exposition e = parsed(out.text());
    QVERIFY(e.hasFamily(QStringLiteral("d_seconds")));
    const Exposition::Labels chat {{QStringLiteral("route"), QStringLiteral("chat")}};
    QCOMPARE(e.value(QStringLiteral("d_seconds_count"), chat), 6.0);
    QCOMPARE(e.value(QStringLiteral("d_seconds_bucket"),
                     {{QStringLiteral("route"), QStringLiteral("chat")},
                      {QStringLiteral("le"), QStringLiteral("+Inf")}}),
             6.0);
    QCOMPARE(e.value(QStringLiteral("d_seconds_bucket"),
                     {{QStringLiteral("route"), QStringLiteral("chat")},
                      {QStringLiteral("le"), QStringLiteral("10")}}),
             5.0);
    QVERIFY(qAbs(*e.value(QStringLiteral("d_seconds_sum"), chat) - 1007.3111) < 1e-9);
}

void TestPrometheusText::httpRequestsByRouteMethodStatus()
{
    HttpRoute chat;
    chat.name = QStringLiteral("chat");
    HttpRoute models;
    models.name = QStringLiteral("models");
    HttpRoute modelsById; // a second route of the same label
    modelsById.name = QStringLiteral("models");
    GatewayMetrics m;
    m.setRoutes({&chat, &models, &modelsById});
    m.recordRequest(httpRecord(0, "POST", 200));
    m.recordRequest(httpRecord(0, "POST", 200, 7000));
    m.recordRequest(httpRecord(0, "POST", 401));
    m.recordRequest(httpRecord(2, "GET", 404));
    m.recordRequest(httpRecord(1, "GET", 200));
    m.recordRequest(httpRecord(-1, "BREW", 404)); // no route, no known method
    m.recordRequest(httpRecord(9, "GET", 404)); // a route registered after setRoutes
    RequestRecord running = httpRecord(0, "POST", 200);
    running.finished = false; // not counted until it ends
    m.recordRequest(running);
    RequestRecord ws = httpRecord(0, "POST", 200);
    ws.transport = QStringLiteral("ws"); // not an HTTP request
    m.recordRequest(ws);
    for (int i = 0; i < GatewayMetrics::kStatusSlots + 2; ++i)
        m.recordRequest(httpRecord(1, "DELETE", 400 + i)); // more statuses than slots

    const Exposition e = parsed(m.render({}, nullptr));
    const auto req = [&](const char *route, const char *method, const QString &status) {
        return e.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                          {{QStringLiteral("route"), QLatin1String(route)},
                           {QStringLiteral("method"), QLatin1String(method)},
                           {QStringLiteral("status"), status}});
    };
    QCOMPARE(req("chat", "POST", QStringLiteral("200")), 2.0);
    QCOMPARE(req("chat", "POST", QStringLiteral("401")), 1.0);
    QCOMPARE(req("models", "GET", QStringLiteral("404")), 1.0);
    QCOMPARE(req("models", "GET", QStringLiteral("200")), 1.0);
    QCOMPARE(req("other", "other", QStringLiteral("404")), 1.0);
    QCOMPARE(req("other", "GET", QStringLiteral("404")), 1.0);
    QCOMPARE(req("models", "DELETE", QStringLiteral("other")), 2.0);
    QCOMPARE(e.sum(QStringLiteral("passerelle_http_requests_total")),
             7.0 + GatewayMetrics::kStatusSlots + 2);
    const Exposition::Labels chatRoute {{QStringLiteral("route"), QStringLiteral("chat")}};
    QCOMPARE(e.value(QStringLiteral("passerelle_http_request_duration_seconds_count"), chatRoute),
             3.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_http_request_duration_seconds_bucket"),
                     {{QStringLiteral("route"), QStringLiteral("chat")},
                      {QStringLiteral("le"), QStringLiteral("5")}}),
             2.0);
    // Every route label comes from the table or is "other".
    const QStringList allowed {QStringLiteral("chat"), QStringLiteral("models"),
                               QStringLiteral("other")};
    for (const Exposition::Sample &s :
         e.family(QStringLiteral("passerelle_http_requests_total"))->samples)
        QVERIFY2(allowed.contains(s.labels.value(QStringLiteral("route"))),
                 qPrintable(s.labels.value(QStringLiteral("route"))));
}

void TestPrometheusText::runsUpstreamErrorsAndFallbacks()
{
    GatewayMetrics m;
    m.setConfig(twoAgents());
    RunEnd ok;
    ok.agentId = QStringLiteral("main");
    ok.firstOutputNs = 30'000'000;
    ok.durationNs = 200'000'000;
    ok.usage = {5, 7, true};
    m.runEnded(ok);
    RunEnd ws = ok;
    ws.surface = Surface::WebSocket;
    ws.outcome = RunOutcome::Aborted;
    ws.firstOutputNs = -1; // no output: no first-token observation
    m.runEnded(ws);
    RunEnd busy = ok;
    busy.agentId = QStringLiteral("writer");
    busy.outcome = RunOutcome::Busy;
    busy.usage = {};
    m.runEnded(busy);
    RunEnd stranger = ok;
    stranger.agentId = QStringLiteral("never-configured");
    m.runEnded(stranger);
    BackendError down;
    down.kind = BackendError::Kind::Unreachable;
    m.attemptFailed(QStringLiteral("writer"), QStringLiteral("up/m"), down, true);
    BackendError timeout;
    timeout.kind = BackendError::Kind::Timeout;
    m.attemptFailed(QStringLiteral("writer"), QStringLiteral("up/m"), timeout, false);
    m.attemptFailed(QStringLiteral("writer"), QStringLiteral("gone/m"), timeout, false);

    const Exposition e = parsed(m.render({}, nullptr));
    const auto runs = [&](const char *surface, const char *agent, const char *outcome) {
        return e.valueOr0(QStringLiteral("passerelle_runs_total"),
                          {{QStringLiteral("surface"), QLatin1String(surface)},
                           {QStringLiteral("agent"), QLatin1String(agent)},
                           {QStringLiteral("outcome"), QLatin1String(outcome)}});
    };
    QCOMPARE(runs("chat", "main", "ok"), 1.0);
    QCOMPARE(runs("ws", "main", "aborted"), 1.0);
    QCOMPARE(runs("chat", "writer", "busy"), 1.0);
    QCOMPARE(runs("chat", "other", "ok"), 1.0);
    const Exposition::Labels chatMain {{QStringLiteral("surface"), QStringLiteral("chat")},
                                       {QStringLiteral("agent"), QStringLiteral("main")}};
    QCOMPARE(e.value(QStringLiteral("passerelle_time_to_first_token_seconds_count"), chatMain),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_time_to_first_token_seconds_sum"), chatMain), 0.03);
    QCOMPARE(e.value(QStringLiteral("passerelle_run_duration_seconds_sum"), chatMain), 0.2);
    const Exposition::Labels wsMain {{QStringLiteral("surface"), QStringLiteral("ws")},
                                     {QStringLiteral("agent"), QStringLiteral("main")}};
    QVERIFY(!e.value(QStringLiteral("passerelle_time_to_first_token_seconds_count"), wsMain));
    QCOMPARE(e.value(QStringLiteral("passerelle_run_duration_seconds_count"), wsMain), 1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_tokens_total"),
                     {{QStringLiteral("agent"), QStringLiteral("main")},
                      {QStringLiteral("kind"), QStringLiteral("prompt")}}),
             10.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_tokens_total"),
                     {{QStringLiteral("agent"), QStringLiteral("main")},
                      {QStringLiteral("kind"), QStringLiteral("completion")}}),
             14.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_tokens_total"),
                     {{QStringLiteral("agent"), QStringLiteral("writer")},
                      {QStringLiteral("kind"), QStringLiteral("prompt")}}),
             0.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_upstream_errors_total"),
                     {{QStringLiteral("provider"), QStringLiteral("up")},
                      {QStringLiteral("kind"), QStringLiteral("unreachable")}}),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_upstream_errors_total"),
                     {{QStringLiteral("provider"), QStringLiteral("up")},
                      {QStringLiteral("kind"), QStringLiteral("timeout")}}),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_upstream_errors_total"),
                     {{QStringLiteral("provider"), QStringLiteral("other")},
                      {QStringLiteral("kind"), QStringLiteral("timeout")}}),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_upstream_fallbacks_total"),
                     {{QStringLiteral("agent"), QStringLiteral("writer")}}),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_upstream_fallbacks_total"),
                     {{QStringLiteral("agent"), QStringLiteral("main")}}),
             0.0);

    // A config change keeps the counts (agent-major slots only grow).
    GatewayConfig more = twoAgents();
    AgentConfig third;
    third.id = QStringLiteral("third");
    more.agents.prepend(third);
    m.setConfig(more);
    const Exposition after = parsed(m.render({}, nullptr));
    QCOMPARE(after.valueOr0(QStringLiteral("passerelle_runs_total"),
                            {{QStringLiteral("surface"), QStringLiteral("chat")},
                             {QStringLiteral("agent"), QStringLiteral("writer")},
                             {QStringLiteral("outcome"), QStringLiteral("busy")}}),
             1.0);
    QCOMPARE(after.value(QStringLiteral("passerelle_upstream_fallbacks_total"),
                         {{QStringLiteral("agent"), QStringLiteral("third")}}),
             0.0);
}

void TestPrometheusText::disabledCountsNothing()
{
    HttpRoute chat;
    chat.name = QStringLiteral("chat");
    GatewayMetrics m;
    m.setRoutes({&chat});
    m.setConfig(twoAgents());
    m.setEnabled(false);
    m.recordRequest(httpRecord(0, "POST", 200));
    RunEnd ok;
    ok.agentId = QStringLiteral("main");
    m.runEnded(ok);
    const Exposition e = parsed(m.render({}, nullptr));
    QCOMPARE(e.sum(QStringLiteral("passerelle_http_requests_total")), 0.0);
    QCOMPARE(e.sum(QStringLiteral("passerelle_runs_total")), 0.0);
}

void TestPrometheusText::levelsAndEveryFamilyOfSection12()
{
    GatewayMetrics m;
    m.setConfig(twoAgents());
    GatewayMetrics::Levels l;
    l.openConnections = 3;
    l.webSocketConnections = 2;
    l.providerLoads = {ProviderLoad {QStringLiteral("up"), 1, 4, 1, 8}};
    l.authFailures = 5;
    l.authLockouts = 1;
    l.lockedOutAddresses = 1;
    l.storeKind = QStringLiteral("postgres");
    l.storeUp = false;
    l.process = ProcessStats::read();
    TokenUsageMeter usage;
    const Exposition e = parsed(m.render(l, &usage));
    QCOMPARE(e.value(QStringLiteral("passerelle_session_store_up"),
                     {{QStringLiteral("kind"), QStringLiteral("postgres")}}),
             0.0);
    for (const char *name : Exposition::section12Families())
        QVERIFY2(e.hasFamily(QLatin1String(name)), name);
    QCOMPARE(e.value(QStringLiteral("passerelle_open_connections")), 3.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_websocket_connections")), 2.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_queued_runs"),
                     {{QStringLiteral("provider"), QStringLiteral("up")}}),
             4.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_running_runs"),
                     {{QStringLiteral("provider"), QStringLiteral("up")}}),
             1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_auth_failures_total")), 5.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_auth_lockouts_total")), 1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_locked_out_addresses")), 1.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_build_info"),
                     {{QStringLiteral("version"), QStringLiteral(PASSERELLE_VERSION)},
                      {QStringLiteral("qt"), QString::fromLatin1(qVersion())}}),
             1.0);
    QVERIFY(*e.value(QStringLiteral("process_resident_memory_bytes")) > 1e6);
    QVERIFY(*e.value(QStringLiteral("process_open_fds")) >= 3);
    QVERIFY(*e.value(QStringLiteral("process_cpu_seconds_total")) > 0);
    const double start = *e.value(QStringLiteral("process_start_time_seconds"));
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    QVERIFY2(start <= now + 1 && start > now - 3600, qPrintable(QString::number(now - start)));
}

void TestPrometheusText::tokenUsageFamilies()
{
    TokenUsageMeter usage;
    usage.setConfig(twoAgents());
    RequestRecord r = httpRecord(0, "POST", 200);
    r.principal = QStringLiteral("gateway");
    r.usage = {3, 4, true};
    usage.record(r);
    r.principal = QStringLiteral("ci \"bot\"\\x");
    r.status = 502;
    usage.record(r);
    r.principal.clear(); // refused credential: nobody's usage
    usage.record(r);
    r.principal = QStringLiteral("revoked-long-ago");
    usage.record(r);
    QCOMPARE(usage.total(QStringLiteral("main")).requests, 1);

    PrometheusText out;
    usage.write(out);
    const Exposition e = parsed(out.text());
    const auto tok = [&](const char *name, const QString &token) {
        return e.valueOr0(QLatin1String(name), {{QStringLiteral("token"), token}});
    };
    QCOMPARE(tok("passerelle_token_requests_total", QStringLiteral("main")), 1.0);
    QCOMPARE(tok("passerelle_token_requests_total", QStringLiteral("ci \"bot\"\\x")), 1.0);
    QCOMPARE(tok("passerelle_token_errors_total", QStringLiteral("ci \"bot\"\\x")), 1.0);
    QCOMPARE(tok("passerelle_token_errors_total", QStringLiteral("main")), 0.0);
    QCOMPARE(tok("passerelle_token_requests_total", QStringLiteral("other")), 1.0);
    QCOMPARE(tok("passerelle_token_requests_total", QStringLiteral("anonymous")), 0.0);
    QCOMPARE(e.value(QStringLiteral("passerelle_token_tokens_total"),
                     {{QStringLiteral("token"), QStringLiteral("main")},
                      {QStringLiteral("kind"), QStringLiteral("completion")}}),
             4.0);
    QVERIFY(!out.text().contains("token=\"gateway\""));
}

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheustext.moc"
