// GET /metrics against a real gateway (SPEC.md section 12): the strict exposition format with every
// family of the section; behind the credential unless public, 404 when off; known requests (200,
// 401, 429, a stream, an upstream error, a fallback, a queued run and a busy one, a named token, a
// WebSocket, the Responses surface) each move their counters by exactly that much; no secret of
// the config anywhere in the text; and the panel's counters (GatewayController::traffic) read the
// same figures.

#include "support/ExpositionParser.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"
#include "support/WsClient.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace passerelle;
using namespace passerelle::test;

namespace {

constexpr char kChat[] = "/v1/chat/completions";
constexpr char kNamedSecret[] = "ci-named-secret-7a1f9c";
constexpr char kUpKey[] = "sk-upstream-key-3b8e21";
constexpr char kDownKey[] = "sk-down-key-5d2c77";
constexpr char kPassword[] = "unused-password-9e4b10";

QByteArray chatBody(const QByteArray &model, bool stream = false)
{
    return R"({"model":")" + model + R"(","stream":)" + QByteArray(stream ? "true" : "false")
        + R"(,"messages":[{"role":"user","content":"three little words"}]})";
}

using L = Exposition::Labels;

L labels(std::initializer_list<std::pair<const char *, const char *>> pairs)
{
    L out;
    for (const auto &p : pairs)
        out.insert(QLatin1String(p.first), QLatin1String(p.second));
    return out;
}

FakeUpstream::Reply heldReply()
{
    return FakeUpstream::held(QStringLiteral("working"), QStringLiteral(" done"),
                              FakeUpstream::sse(FakeUpstream::usageChunk(11, 2)));
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void strictFormatWithEverySection12Family();
    void credentialPublicAndOff();
    void okRequestMovesItsCounters();
    void unauthorizedAndLockout();
    void streamIsActiveWhileItRuns();
    void upstreamErrorAndFallback();
    void queuedAndBusyRuns();
    void namedTokenUsage();
    void connectionLevels();
    void noSecretInTheText();
    void panelReadsTheSameFigures();
    void usageBucketsSurviveARestart();
    void responsesSurfaceIsCounted();

private:
    void start(const QByteArray &gatewayExtra = {}, const QByteArray &passerelleExtra = {},
               const QString &sessionDatabase = {});
    QList<TokenUsageSummary> usageNow();
    Exposition scrape(const QByteArray &token = TestGateway::kToken);
    HttpResponse chat(const QByteArray &model, const QByteArray &token = TestGateway::kToken);
    QByteArray streamRequest(const QByteArray &model) const;

    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<TestGateway> m_gw;
    QByteArray m_lastText;
};

void TestMetrics::init()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    m_upstream->setDefaultReply(heldReply());
}

void TestMetrics::cleanup()
{
    m_gw.reset();
    m_upstream.reset();
}

void TestMetrics::start(const QByteArray &gatewayExtra, const QByteArray &passerelleExtra,
                        const QString &sessionDatabase)
{
    const QByteArray namedHash
        = QCryptographicHash::hash(kNamedSecret, QCryptographicHash::Sha256).toHex();
    const QByteArray gateway = "auth: { mode: 'token', token: '" + QByteArray(TestGateway::kToken)
        + "', password: '" + kPassword + "', tokens: [ { name: 'ci', sha256: '" + namedHash
        + "', agents: ['main'], createdAt: '2026-01-01T00:00:00Z' } ] " + gatewayExtra + " },";
    const QByteArray root
        = "agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },"
          "  { id: 'relay', model: 'up/m' },"
          "  { id: 'broken', model: 'down/m' },"
          "  { id: 'safety', model: { primary: 'down/m', fallbacks: ['echo/echo'] } } ] },"
          "models: { providers: {"
          "  up: { api: 'openai-completions', baseUrl: '"
        + m_upstream->baseUrl().toUtf8() + "', apiKey: '" + kUpKey
        + "', models: [{id: 'm'}], maxConcurrent: 1, maxQueue: 1 },"
          "  down: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:"
        + QByteArray::number(FakeUpstream::refusedPort()) + "/v1', apiKey: '" + kDownKey
        + "', models: [{id: 'm'}] } } },"
          "passerelle: { http: { keepAliveMs: 60000 } "
        + passerelleExtra + " }";
    m_gw = std::make_unique<TestGateway>(TestGateway::configText(gateway, root));
    if (!sessionDatabase.isEmpty())
        m_gw->setSessionDatabase(sessionDatabase);
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
}

Exposition TestMetrics::scrape(const QByteArray &token)
{
    TestHttpClient::Headers headers;
    if (!token.isEmpty())
        headers.append({"Authorization", "Bearer " + token});
    const HttpResponse r = m_gw->client().request("GET", "/metrics", headers);
    m_lastText = r.body;
    if (r.status != 200)
        qWarning("scrape: %d %s", r.status, r.body.constData());
    QString error;
    Exposition e = Exposition::parse(r.body, &error);
    if (!error.isEmpty())
        qWarning("not valid: %s", qPrintable(error));
    return e;
}

HttpResponse TestMetrics::chat(const QByteArray &model, const QByteArray &token)
{
    return m_gw->client().post(kChat, chatBody(model), token);
}

QByteArray TestMetrics::streamRequest(const QByteArray &model) const
{
    return TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        chatBody(model, true), "127.0.0.1");
}

void TestMetrics::strictFormatWithEverySection12Family()
{
    start();
    QVERIFY(chat("openclaw").status == 200); // so that histograms have series
    const HttpResponse r = m_gw->client().request(
        "GET", "/metrics", {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(r.header("cache-control"), QByteArray("no-store"));
    QString error;
    const Exposition e = Exposition::parse(r.body, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const char *name : Exposition::section12Families())
        QVERIFY2(e.hasFamily(QLatin1String(name)), name);
    // Bounded labels: the route table's names, the config's agents, providers and tokens.
    const QStringList routes {QStringLiteral("health"),   QStringLiteral("healthz"),
                              QStringLiteral("ready"),    QStringLiteral("readyz"),
                              QStringLiteral("chat"),     QStringLiteral("models"),
                              QStringLiteral("metrics"),  QStringLiteral("responses"),
                              QStringLiteral("response"), QStringLiteral("other")};
    for (const Exposition::Family &f : e.families()) {
        for (const Exposition::Sample &s : f.samples) {
            if (s.labels.contains(QStringLiteral("route")))
                QVERIFY(routes.contains(s.labels.value(QStringLiteral("route"))));
            if (s.labels.contains(QStringLiteral("provider")))
                QVERIFY((QStringList {QStringLiteral("echo"), QStringLiteral("up"),
                                      QStringLiteral("down"), QStringLiteral("other")})
                            .contains(s.labels.value(QStringLiteral("provider"))));
        }
    }
    QCOMPARE(e.value(QStringLiteral("passerelle_queued_runs"), labels({{"provider", "up"}})), 0.0);
    // HEAD answers the headers only.
    const HttpResponse head = m_gw->client().request(
        "HEAD", "/metrics", {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}});
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
}

void TestMetrics::credentialPublicAndOff()
{
    start();
    const HttpResponse anonymous = m_gw->client().request("GET", "/metrics");
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.body,
             QByteArray(R"({"error":{"message":"Unauthorized","type":"unauthorized"}})"));
    const HttpResponse wrong
        = m_gw->client().request("GET", "/metrics", {{"Authorization", "Bearer nope"}});
    QCOMPARE(wrong.status, 401);
    // A named token is a credential of the gateway too.
    QCOMPARE(
        m_gw->client()
            .request("GET", "/metrics", {{"Authorization", "Bearer " + QByteArray(kNamedSecret)}})
            .status,
        200);

    m_gw->update([](GatewayConfig &c) { c.metricsPublic = true; });
    QCOMPARE(m_gw->client().request("GET", "/metrics").status, 200);

    m_gw->update([](GatewayConfig &c) { c.metricsEnabled = false; });
    const HttpResponse off = m_gw->client().request(
        "GET", "/metrics", {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}});
    QCOMPARE(off.status, 404);
    QCOMPARE(off.body, QByteArray("Not Found"));
    // Counting is off too; back on, the counters carry on from where they were.
    m_gw->update([](GatewayConfig &c) { c.metricsEnabled = true; });
    const double before = scrape().sum(QStringLiteral("passerelle_http_requests_total"));
    QVERIFY(before > 0);
}

void TestMetrics::okRequestMovesItsCounters()
{
    start();
    const Exposition a = scrape();
    const HttpResponse r = chat("openclaw");
    QCOMPARE(r.status, 200);
    const QJsonObject usage = r.json().value(QStringLiteral("usage")).toObject();
    const Exposition b = scrape();

    const auto delta = [&](const char *name, const L &l) {
        return b.valueOr0(QLatin1String(name), l) - a.valueOr0(QLatin1String(name), l);
    };
    QCOMPARE(delta("passerelle_http_requests_total",
                   labels({{"route", "chat"}, {"method", "POST"}, {"status", "200"}})),
             1.0);
    // The first scrape is counted by the second (a request counts once it is answered).
    QCOMPARE(delta("passerelle_http_requests_total",
                   labels({{"route", "metrics"}, {"method", "GET"}, {"status", "200"}})),
             1.0);
    QCOMPARE(b.sum(QStringLiteral("passerelle_http_requests_total"))
                 - a.sum(QStringLiteral("passerelle_http_requests_total")),
             2.0);
    QCOMPARE(delta("passerelle_http_request_duration_seconds_count", labels({{"route", "chat"}})),
             1.0);
    QCOMPARE(delta("passerelle_runs_total",
                   labels({{"surface", "chat"}, {"agent", "main"}, {"outcome", "ok"}})),
             1.0);
    QCOMPARE(b.sum(QStringLiteral("passerelle_runs_total"))
                 - a.sum(QStringLiteral("passerelle_runs_total")),
             1.0);
    QCOMPARE(delta("passerelle_time_to_first_token_seconds_count",
                   labels({{"surface", "chat"}, {"agent", "main"}})),
             1.0);
    QCOMPARE(delta("passerelle_run_duration_seconds_count",
                   labels({{"surface", "chat"}, {"agent", "main"}})),
             1.0);
    QCOMPARE(delta("passerelle_tokens_total", labels({{"agent", "main"}, {"kind", "prompt"}})),
             usage.value(QStringLiteral("prompt_tokens")).toDouble());
    QCOMPARE(delta("passerelle_tokens_total", labels({{"agent", "main"}, {"kind", "completion"}})),
             usage.value(QStringLiteral("completion_tokens")).toDouble());
    QVERIFY(usage.value(QStringLiteral("completion_tokens")).toInt() > 0);
    // The main token counts as "main": the chat request and the first scrape.
    QCOMPARE(delta("passerelle_token_requests_total", labels({{"token", "main"}})), 2.0);
    QCOMPARE(delta("passerelle_token_errors_total", labels({{"token", "main"}})), 0.0);
    QCOMPARE(delta("passerelle_auth_failures_total", {}), 0.0);
    // An unknown path is route "other"; health probes have their own.
    QCOMPARE(m_gw->client().request("GET", "/nowhere").status, 404);
    QCOMPARE(m_gw->client().request("HEAD", "/healthz").status, 200);
    const Exposition c = scrape();
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "other"}, {"method", "GET"}, {"status", "404"}}))
                 - b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                              labels({{"route", "other"}, {"method", "GET"}, {"status", "404"}})),
             1.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "healthz"}, {"method", "HEAD"}, {"status", "200"}})),
             1.0);
}

void TestMetrics::unauthorizedAndLockout()
{
    // Loopback is not exempt here, and the scrapes need no credential (they would be locked out).
    start(", rateLimit: { maxAttempts: 2, windowMs: 60000, lockoutMs: 300000, exemptLoopback: "
          "false }",
          ", metrics: { public: true }");
    const Exposition a = scrape({});
    QCOMPARE(chat("openclaw", "wrong-1").status, 401);
    QCOMPARE(chat("openclaw", "").status, 401); // missing: refused, not counted by the limiter
    const Exposition b = scrape({});
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_auth_failures_total"))
                 - a.valueOr0(QStringLiteral("passerelle_auth_failures_total")),
             2.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "401"}})),
             2.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_auth_lockouts_total")), 0.0);
    QCOMPARE(chat("openclaw", "wrong-2").status, 401); // the second wrong one locks the address
    const HttpResponse locked = chat("openclaw");
    QCOMPARE(locked.status, 429);
    const Exposition c = scrape({});
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_auth_failures_total")), 3.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_auth_lockouts_total")), 1.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_locked_out_addresses")), 1.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "429"}})),
             1.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "main"}, {"outcome", "ok"}})),
             0.0);
    m_gw->controller().clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(scrape({}).valueOr0(QStringLiteral("passerelle_locked_out_addresses")), 0.0);
}

void TestMetrics::streamIsActiveWhileItRuns()
{
    start();
    const Exposition a = scrape();
    QCOMPARE(a.valueOr0(QStringLiteral("passerelle_active_streams")), 0.0);
    TestHttpClient stream(m_gw->port());
    QVERIFY(stream.open(streamRequest("openclaw/relay")));
    QVERIFY(stream.waitForData("working"));
    const Exposition during = scrape();
    QCOMPARE(during.valueOr0(QStringLiteral("passerelle_active_streams")), 1.0);
    QCOMPARE(
        during.valueOr0(QStringLiteral("passerelle_running_runs"), labels({{"provider", "up"}})),
        1.0);
    QCOMPARE(during.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                             labels({{"route", "chat"}, {"method", "POST"}, {"status", "200"}})),
             0.0); // counted once answered
    m_upstream->releaseHeld();
    QVERIFY(stream.waitForData("data: [DONE]"));
    QTRY_COMPARE(scrape().valueOr0(QStringLiteral("passerelle_active_streams")), 0.0);
    const Exposition b = scrape();
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "200"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "relay"}, {"outcome", "ok"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_tokens_total"),
                        labels({{"agent", "relay"}, {"kind", "prompt"}})),
             11.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_tokens_total"),
                        labels({{"agent", "relay"}, {"kind", "completion"}})),
             2.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_token_tokens_total"),
                        labels({{"token", "main"}, {"kind", "prompt"}})),
             11.0);
}

void TestMetrics::upstreamErrorAndFallback()
{
    start();
    const Exposition a = scrape();
    QCOMPARE(chat("openclaw/broken").status, 502);
    const Exposition b = scrape();
    const L downUnreachable = labels({{"provider", "down"}, {"kind", "unreachable"}});
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_upstream_errors_total"), downUnreachable)
                 - a.valueOr0(QStringLiteral("passerelle_upstream_errors_total"), downUnreachable),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "broken"}, {"outcome", "error"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "502"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_upstream_fallbacks_total"),
                        labels({{"agent", "broken"}})),
             0.0);
    QCOMPARE(
        b.valueOr0(QStringLiteral("passerelle_token_errors_total"), labels({{"token", "main"}})),
        1.0);

    QCOMPARE(chat("openclaw/safety").status, 200); // down/m fails, echo/echo answers
    const Exposition c = scrape();
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_upstream_fallbacks_total"),
                        labels({{"agent", "safety"}})),
             1.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_upstream_errors_total"), downUnreachable), 2.0);
    QCOMPARE(c.sum(QStringLiteral("passerelle_upstream_errors_total")), 2.0);
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "safety"}, {"outcome", "ok"}})),
             1.0);
    QCOMPARE(c.sum(QStringLiteral("passerelle_upstream_fallbacks_total")), 1.0);
}

void TestMetrics::queuedAndBusyRuns()
{
    start(); // up: maxConcurrent 1, maxQueue 1
    TestHttpClient first(m_gw->port());
    QVERIFY(first.open(streamRequest("openclaw/relay")));
    QVERIFY(first.waitForData("working"));
    TestHttpClient second(m_gw->port());
    QVERIFY(second.open(streamRequest("openclaw/relay")));
    QVERIFY(second.waitForData(R"("role":"assistant")"));
    QTRY_COMPARE(
        scrape().valueOr0(QStringLiteral("passerelle_queued_runs"), labels({{"provider", "up"}})),
        1.0);
    const HttpResponse busy
        = m_gw->client().post(kChat, chatBody("openclaw/relay"), TestGateway::kToken);
    QCOMPARE(busy.status, 503);
    const Exposition b = scrape();
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "relay"}, {"outcome", "busy"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_upstream_errors_total"),
                        labels({{"provider", "up"}, {"kind", "busy"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "503"}})),
             1.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_running_runs"), labels({{"provider", "up"}})),
             1.0);
    m_upstream->releaseHeld();
    QVERIFY(first.waitForData("data: [DONE]"));
    QTRY_COMPARE(
        scrape().valueOr0(QStringLiteral("passerelle_queued_runs"), labels({{"provider", "up"}})),
        0.0);
    m_upstream->releaseHeld();
    QVERIFY(second.waitForData("data: [DONE]"));
    QTRY_COMPARE(
        scrape().valueOr0(QStringLiteral("passerelle_running_runs"), labels({{"provider", "up"}})),
        0.0);
    const Exposition c = scrape();
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_runs_total"),
                        labels({{"surface", "chat"}, {"agent", "relay"}, {"outcome", "ok"}})),
             2.0);
    // The queued one waited for the first: its first token came after a held reply.
    QCOMPARE(c.valueOr0(QStringLiteral("passerelle_time_to_first_token_seconds_count"),
                        labels({{"surface", "chat"}, {"agent", "relay"}})),
             2.0);
}

void TestMetrics::namedTokenUsage()
{
    start(); // "ci" may use the agent main only
    const Exposition a = scrape();
    QCOMPARE(chat("openclaw", kNamedSecret).status, 200);
    QCOMPARE(chat("openclaw/relay", kNamedSecret).status, 403);
    const Exposition b = scrape();
    const L ci = labels({{"token", "ci"}});
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_token_requests_total"), ci)
                 - a.valueOr0(QStringLiteral("passerelle_token_requests_total"), ci),
             2.0);
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_token_errors_total"), ci), 1.0);
    QVERIFY(b.valueOr0(QStringLiteral("passerelle_token_tokens_total"),
                       labels({{"token", "ci"}, {"kind", "completion"}}))
            > 0);
    QCOMPARE(
        b.valueOr0(QStringLiteral("passerelle_token_requests_total"), labels({{"token", "main"}}))
            - a.valueOr0(QStringLiteral("passerelle_token_requests_total"),
                         labels({{"token", "main"}})),
        1.0); // the first scrape
    QCOMPARE(b.valueOr0(QStringLiteral("passerelle_http_requests_total"),
                        labels({{"route", "chat"}, {"method", "POST"}, {"status", "403"}})),
             1.0);
}

void TestMetrics::connectionLevels()
{
    start();
    // The gateway's own store, open.
    QTRY_COMPARE(scrape().valueOr0(QStringLiteral("passerelle_session_store_up"),
                                   {{QStringLiteral("kind"), QStringLiteral("sqlite")}}),
                 1.0);
    const double baseline = scrape().valueOr0(QStringLiteral("passerelle_open_connections"));
    QVERIFY(baseline >= 1); // the scrape's own connection
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, m_gw->port());
    QVERIFY(idle.waitForConnected(5000));
    QTRY_COMPARE(scrape().valueOr0(QStringLiteral("passerelle_open_connections")), baseline + 1);

    WsClient ws;
    QVERIFY(ws.handshake(m_gw->port()));
    QTRY_COMPARE(scrape().valueOr0(QStringLiteral("passerelle_websocket_connections")), 1.0);
    ws.send(QStringLiteral("chat.send"),
            {{QStringLiteral("sessionKey"), QStringLiteral("agent:main:metrics-ws")},
             {QStringLiteral("message"), QStringLiteral("hello there")},
             {QStringLiteral("idempotencyKey"), QStringLiteral("m-1")}});
    QVERIFY(ws.waitFor([](const QJsonObject &f) {
        return WsClient::isEvent(f, "chat")
            && f.value(QStringLiteral("payload"))
                   .toObject()
                   .value(QStringLiteral("state"))
                   .toString()
            == QLatin1String("final");
    }));
    QTRY_COMPARE(
        scrape().valueOr0(QStringLiteral("passerelle_runs_total"),
                          labels({{"surface", "ws"}, {"agent", "main"}, {"outcome", "ok"}})),
        1.0);
    ws.close();
    QVERIFY(ws.waitClosed());
    QTRY_COMPARE(scrape().valueOr0(QStringLiteral("passerelle_websocket_connections")), 0.0);
}

void TestMetrics::noSecretInTheText()
{
    start();
    // Failures with secrets near the real ones, a named token, the main token, the upstreams.
    QCOMPARE(chat("openclaw", QByteArray(TestGateway::kToken) + "x").status, 401);
    QCOMPARE(chat("openclaw", kNamedSecret).status, 200);
    QCOMPARE(chat("openclaw/broken").status, 502);
    TestHttpClient stream(m_gw->port());
    QVERIFY(stream.open(streamRequest("openclaw/relay")));
    QVERIFY(stream.waitForData("working"));
    m_upstream->releaseHeld();
    QVERIFY(stream.waitForData("data: [DONE]"));
    const Exposition e = scrape();
    QVERIFY(!m_lastText.isEmpty());
    const QByteArray namedHash
        = QCryptographicHash::hash(kNamedSecret, QCryptographicHash::Sha256).toHex();
    for (const QByteArray &secret :
         {QByteArray(TestGateway::kToken), QByteArray(kNamedSecret), namedHash, QByteArray(kUpKey),
          QByteArray(kDownKey), QByteArray(kPassword)}) {
        QVERIFY2(!m_lastText.contains(secret), secret.constData());
        QVERIFY2(!m_lastText.toLower().contains(secret.toLower()), secret.constData());
    }
    QVERIFY(!e.families().isEmpty());
}

void TestMetrics::panelReadsTheSameFigures()
{
    start();
    QCOMPARE(chat("openclaw").status, 200);
    QCOMPARE(chat("openclaw/broken").status, 502);
    QCOMPARE(chat("openclaw", "bad").status, 401);
    const Exposition first = scrape();
    const double requests = first.valueOr0(QStringLiteral("passerelle_requests_total"));
    const double errors = first.valueOr0(QStringLiteral("passerelle_request_errors_total"));
    QCOMPARE(requests, 3.0);
    QCOMPARE(errors, 2.0);
    // The panel's counters, after the batch that carries the scrape itself.
    QTRY_COMPARE(m_gw->controller().traffic().total(), qint64(requests) + 1);
    QCOMPARE(m_gw->controller().traffic().errors(), qint64(errors));
    const Exposition second = scrape();
    QCOMPARE(second.valueOr0(QStringLiteral("passerelle_requests_total")), requests + 1);
    QCOMPARE(second.valueOr0(QStringLiteral("passerelle_request_errors_total")), errors);

    TestHttpClient stream(m_gw->port());
    QVERIFY(stream.open(streamRequest("openclaw/relay")));
    QVERIFY(stream.waitForData("working"));
    QTRY_COMPARE(m_gw->controller().traffic().activeStreams(), 1);
    QCOMPARE(scrape().valueOr0(QStringLiteral("passerelle_active_streams")), 1.0);
    m_upstream->releaseHeld();
    QVERIFY(stream.waitForData("data: [DONE]"));
    QTRY_COMPARE(m_gw->controller().traffic().activeStreams(), 0);
    QCOMPARE(scrape().valueOr0(QStringLiteral("passerelle_active_streams")), 0.0);
}

QList<TokenUsageSummary> TestMetrics::usageNow()
{
    QSignalSpy answered(&m_gw->controller(), &GatewayController::tokenUsageChanged);
    m_gw->controller().requestTokenUsage();
    if (!answered.wait(5000) && answered.isEmpty())
        return {};
    if (!answered.first().at(1).toString().isEmpty())
        qWarning("usage: %s", qPrintable(answered.first().at(1).toString()));
    return answered.first().at(0).value<QList<TokenUsageSummary>>();
}

void TestMetrics::usageBucketsSurviveARestart()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    const QString database = data.filePath(QStringLiteral("sessions.sqlite"));
    const auto find = [](const QList<TokenUsageSummary> &all, const QString &token) {
        for (const TokenUsageSummary &s : all) {
            if (s.token == token)
                return s;
        }
        return TokenUsageSummary {};
    };
    start({}, {}, database);
    QCOMPARE(chat("openclaw", kNamedSecret).status, 200);
    QCOMPARE(chat("openclaw/relay", kNamedSecret).status, 403);
    QCOMPARE(chat("openclaw").status, 200);
    // Asking flushes what is pending: the panel sees it at once.
    QList<TokenUsageSummary> usage = usageNow();
    QCOMPARE(find(usage, QStringLiteral("ci")).today.requests, 2);
    QCOMPARE(find(usage, QStringLiteral("ci")).today.errors, 1);
    QVERIFY(find(usage, QStringLiteral("ci")).today.completionTokens > 0);
    QCOMPARE(find(usage, QStringLiteral("main")).today.requests, 1);
    // One more of each, not flushed yet: the shutdown stores it.
    QCOMPARE(chat("openclaw", kNamedSecret).status, 200);
    QCOMPARE(chat("openclaw").status, 200);
    m_gw.reset();

    start({}, {}, database);
    usage = usageNow();
    QCOMPARE(find(usage, QStringLiteral("ci")).today.requests, 3);
    QCOMPARE(find(usage, QStringLiteral("ci")).last7Days.requests, 3);
    QCOMPARE(find(usage, QStringLiteral("ci")).total.requests, 3);
    QCOMPARE(find(usage, QStringLiteral("ci")).total.errors, 1);
    QCOMPARE(find(usage, QStringLiteral("main")).total.requests, 2);
    for (const TokenUsageSummary &s : usage)
        QVERIFY2(s.token == QLatin1String("ci") || s.token == QLatin1String("main"),
                 qPrintable(s.token)); // never a secret, never "gateway"
    // /metrics counts since this start only (a counter reset is what Prometheus expects).
    QCOMPARE(scrape().valueOr0(QStringLiteral("passerelle_token_requests_total"),
                               labels({{"token", "ci"}})),
             0.0);
}

void TestMetrics::responsesSurfaceIsCounted()
{
    start();
    const Exposition a = scrape();
    const HttpResponse created = m_gw->client().post(
        "/v1/responses", R"({"model":"openclaw","input":"three little words"})",
        TestGateway::kToken);
    QCOMPARE(created.status, 200);
    const QString id = created.json().value(QStringLiteral("id")).toString();
    QVERIFY(!id.isEmpty());
    const QJsonObject usage = created.json().value(QStringLiteral("usage")).toObject();
    const HttpResponse fetched
        = m_gw->client().request("GET", "/v1/responses/" + id.toUtf8(),
                                 {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}});
    QCOMPARE(fetched.status, 200);
    QCOMPARE(m_gw->client()
                 .post("/v1/responses", R"({"model":"openclaw/broken","input":"hi"})",
                       TestGateway::kToken)
                 .status,
             502);
    const Exposition b = scrape();
    const auto delta = [&](const char *name, const L &l) {
        return b.valueOr0(QLatin1String(name), l) - a.valueOr0(QLatin1String(name), l);
    };
    QCOMPARE(delta("passerelle_http_requests_total",
                   labels({{"route", "responses"}, {"method", "POST"}, {"status", "200"}})),
             1.0);
    QCOMPARE(delta("passerelle_http_requests_total",
                   labels({{"route", "responses"}, {"method", "POST"}, {"status", "502"}})),
             1.0);
    QCOMPARE(delta("passerelle_http_requests_total",
                   labels({{"route", "response"}, {"method", "GET"}, {"status", "200"}})),
             1.0);
    QCOMPARE(delta("passerelle_runs_total",
                   labels({{"surface", "responses"}, {"agent", "main"}, {"outcome", "ok"}})),
             1.0);
    QCOMPARE(delta("passerelle_runs_total",
                   labels({{"surface", "responses"}, {"agent", "broken"}, {"outcome", "error"}})),
             1.0);
    QCOMPARE(delta("passerelle_runs_total",
                   labels({{"surface", "chat"}, {"agent", "main"}, {"outcome", "ok"}})),
             0.0);
    QCOMPARE(delta("passerelle_time_to_first_token_seconds_count",
                   labels({{"surface", "responses"}, {"agent", "main"}})),
             1.0);
    QCOMPARE(delta("passerelle_run_duration_seconds_count",
                   labels({{"surface", "responses"}, {"agent", "main"}})),
             1.0);
    QCOMPARE(delta("passerelle_tokens_total", labels({{"agent", "main"}, {"kind", "prompt"}})),
             usage.value(QStringLiteral("input_tokens")).toDouble());
    QCOMPARE(delta("passerelle_tokens_total", labels({{"agent", "main"}, {"kind", "completion"}})),
             usage.value(QStringLiteral("output_tokens")).toDouble());
    QVERIFY(usage.value(QStringLiteral("output_tokens")).toInt() > 0);
    const L downUnreachable = labels({{"provider", "down"}, {"kind", "unreachable"}});
    QCOMPARE(delta("passerelle_upstream_errors_total", downUnreachable), 1.0);
    // The first scrape, the two creations and the retrieval, all with the main token.
    QCOMPARE(delta("passerelle_token_requests_total", labels({{"token", "main"}})), 4.0);
    QCOMPARE(delta("passerelle_token_errors_total", labels({{"token", "main"}})), 1.0);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
