// Per-provider admission (SPEC.md section 12) as clients and the upstream see it, over HTTP and
// WebSocket against a real gateway: never more than maxConcurrent requests at the fake upstream,
// the queue served in arrival order with keep-alives going out while a stream waits, a full queue
// answered 503 "upstream provider busy" with Retry-After: 1 (an error frame once a stream's
// headers are out), a waiting client that leaves dropped from the queue at once, and the running
// and queued counts the panel shows.

#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"
#include "support/WsClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

using namespace passerelle;
using namespace passerelle::test;

namespace {

constexpr char kChat[] = "/v1/chat/completions";
const QByteArray kBusy = R"({"error":{"message":"upstream provider busy","type":"api_error"}})";

QByteArray chatBody(const QByteArray &prompt, bool stream)
{
    return R"({"model":"openclaw","stream":)" + QByteArray(stream ? "true" : "false")
        + R"(,"messages":[{"role":"user","content":")" + prompt + R"("}]})";
}

QByteArray streamRequest(const QByteArray &prompt)
{
    return TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        chatBody(prompt, true), "127.0.0.1");
}

// The prompt an upstream request carried (its last message).
QString promptOf(const FakeUpstream::Request &request)
{
    const QJsonArray messages = request.json.value(QStringLiteral("messages")).toArray();
    return messages.last().toObject().value(QStringLiteral("content")).toString();
}

QStringList promptsSeen(ThreadedUpstream &upstream)
{
    QStringList out;
    const QList<FakeUpstream::Request> all = upstream.requests();
    for (const FakeUpstream::Request &r : all)
        out.append(promptOf(r));
    return out;
}

// Each answer starts at once, then holds its end until the test releases it.
FakeUpstream::Reply heldReply()
{
    return FakeUpstream::held(QStringLiteral("working"), QStringLiteral(" done"));
}

ProviderLoad loadOf(const GatewayController &controller, const QString &provider)
{
    const QList<ProviderLoad> loads = controller.providerLoads();
    for (const ProviderLoad &l : loads) {
        if (l.provider == provider)
            return l;
    }
    return {};
}

} // namespace

class TestAdmission : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void concurrencyQueueOrderAndFullQueue();
    void nonStreamingFullQueueIs503WithRetryAfter();
    void leavingClientIsDroppedFromTheQueue();
    void webSocketRunsShareTheGate();
    void limitsApplyLive();

private:
    void startGateway(int maxConcurrent, int maxQueue);

    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<TestGateway> m_gw;
};

void TestAdmission::init()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    m_upstream->setDefaultReply(heldReply());
}

void TestAdmission::cleanup()
{
    m_gw.reset();
    m_upstream.reset();
}

void TestAdmission::startGateway(int maxConcurrent, int maxQueue)
{
    const QByteArray root = "agents: { list: [ { id: 'main', default: true, model: 'up/m' } ] },"
                            "models: { providers: { up: { api: 'openai-completions', baseUrl: '"
        + m_upstream->baseUrl().toUtf8() + "', maxConcurrent: " + QByteArray::number(maxConcurrent)
        + ", maxQueue: " + QByteArray::number(maxQueue)
        + " } } },"
          "passerelle: { http: { keepAliveMs: 40 } }";
    m_gw = std::make_unique<TestGateway>(TestGateway::configText({}, root));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
}

void TestAdmission::concurrencyQueueOrderAndFullQueue()
{
    startGateway(2, 2);
    std::vector<std::unique_ptr<TestHttpClient>> clients;
    for (int i = 1; i <= 5; ++i) {
        clients.push_back(std::make_unique<TestHttpClient>(m_gw->port()));
        QVERIFY(clients.back()->open(streamRequest("p" + QByteArray::number(i))));
        // Every stream opens at once, queued or not: its role chunk is there.
        QVERIFY(clients.back()->waitForData(R"("role":"assistant")"));
        if (i <= 2) // the two that run reach the upstream in their order
            QTRY_COMPARE(m_upstream->requests().size(), i);
    }
    // The fifth finds two running and two waiting: an error frame after its headers, then [DONE].
    QVERIFY(clients[4]->waitForData("data: [DONE]"));
    const HttpResponse busy = clients[4]->current();
    QCOMPARE(busy.status, 200);
    QCOMPARE(busy.sseData().at(1), kBusy);
    QCOMPARE(busy.sseData().size(), 3);

    // Waiting streams get keep-alives; the upstream has seen only the first two.
    QVERIFY(clients[2]->waitForData(": keep-alive"));
    QVERIFY(clients[3]->waitForData(": keep-alive"));
    QCOMPARE(promptsSeen(*m_upstream), (QStringList {QStringLiteral("p1"), QStringLiteral("p2")}));
    QCOMPARE(m_upstream->openConnections(), 2);
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).running, 2);
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 2);

    // Each end hands its slot to the next in line, in order; never more than two at once.
    for (int released = 1; released <= 4; ++released) {
        m_upstream->releaseHeld();
        QVERIFY(clients[size_t(released - 1)]->waitForData("data: [DONE]"));
        const int expected = std::min(released + 2, 4);
        QTRY_COMPARE(m_upstream->requests().size(), expected);
        QVERIFY(m_upstream->openConnections() <= 2);
    }
    QCOMPARE(promptsSeen(*m_upstream),
             (QStringList {QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3"),
                           QStringLiteral("p4")}));
    for (int i = 0; i < 4; ++i) {
        const HttpResponse r = clients[size_t(i)]->current();
        QVERIFY2(r.body.contains("working") && r.body.contains(" done"), r.body.constData());
    }
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).running, 0);
    QCOMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 0);
    QCOMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).maxConcurrent, 2);
}

void TestAdmission::nonStreamingFullQueueIs503WithRetryAfter()
{
    startGateway(1, 0);
    TestHttpClient running(m_gw->port());
    QVERIFY(running.open(streamRequest("first")));
    QVERIFY(running.waitForData("working"));

    const HttpResponse r
        = m_gw->client().post(kChat, chatBody("second", false), TestGateway::kToken);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.body, kBusy);
    QCOMPARE(r.header("retry-after"), QByteArray("1"));
    QCOMPARE(m_upstream->requests().size(), 1); // the refused run never reached the upstream
    m_upstream->releaseHeld();
    QVERIFY(running.waitForData("data: [DONE]"));
}

void TestAdmission::leavingClientIsDroppedFromTheQueue()
{
    startGateway(1, 4);
    TestHttpClient first(m_gw->port());
    QVERIFY(first.open(streamRequest("first")));
    QVERIFY(first.waitForData("working"));
    TestHttpClient leaving(m_gw->port());
    QVERIFY(leaving.open(streamRequest("leaving")));
    QVERIFY(leaving.waitForData(R"("role":"assistant")"));
    TestHttpClient staying(m_gw->port());
    QVERIFY(staying.open(streamRequest("staying")));
    QVERIFY(staying.waitForData(R"("role":"assistant")"));
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 2);

    leaving.close(); // gone while waiting: out of the queue at once
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 1);
    m_upstream->releaseHeld();
    QVERIFY(first.waitForData("data: [DONE]"));
    QVERIFY(staying.waitForData("working"));
    QCOMPARE(promptsSeen(*m_upstream),
             (QStringList {QStringLiteral("first"), QStringLiteral("staying")}));
    m_upstream->releaseHeld();
    QVERIFY(staying.waitForData("data: [DONE]"));
    QCOMPARE(m_upstream->requests().size(), 2); // the one that left never ran
}

void TestAdmission::webSocketRunsShareTheGate()
{
    startGateway(1, 1);
    // An HTTP stream holds the only slot...
    TestHttpClient http(m_gw->port());
    QVERIFY(http.open(streamRequest("over http")));
    QVERIFY(http.waitForData("working"));
    // ...so a WebSocket run waits behind it, and the next one finds the queue full.
    WsClient ws;
    QVERIFY(ws.handshake(m_gw->port()));
    const QString waiting
        = ws.send(QStringLiteral("chat.send"),
                  {{QStringLiteral("sessionKey"), QStringLiteral("agent:main:ws-a")},
                   {QStringLiteral("message"), QStringLiteral("over ws")},
                   {QStringLiteral("idempotencyKey"), QStringLiteral("run-a")}});
    QVERIFY(ws.waitResponse(waiting).value(QStringLiteral("ok")).toBool());
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 1);
    const QString refused
        = ws.send(QStringLiteral("chat.send"),
                  {{QStringLiteral("sessionKey"), QStringLiteral("agent:main:ws-b")},
                   {QStringLiteral("message"), QStringLiteral("too many")},
                   {QStringLiteral("idempotencyKey"), QStringLiteral("run-b")}});
    QVERIFY(ws.waitResponse(refused).value(QStringLiteral("ok")).toBool());
    QVERIFY(ws.waitFor([](const QJsonObject &f) {
        const QJsonObject p = f.value(QStringLiteral("payload")).toObject();
        return WsClient::isEvent(f, "chat")
            && p.value(QStringLiteral("runId")).toString() == QLatin1String("run-b")
            && p.value(QStringLiteral("state")).toString() == QLatin1String("error")
            && p.value(QStringLiteral("errorMessage")).toString()
            == QLatin1String("upstream provider busy");
    }));
    QCOMPARE(m_upstream->requests().size(), 1);

    m_upstream->releaseHeld();
    QVERIFY(http.waitForData("data: [DONE]"));
    QTRY_COMPARE(m_upstream->requests().size(), 2);
    QCOMPARE(promptsSeen(*m_upstream).last(), QStringLiteral("over ws"));
    QVERIFY(m_upstream->openConnections() <= 1);
    m_upstream->releaseHeld();
    QVERIFY(ws.waitFor([](const QJsonObject &f) {
        const QJsonObject p = f.value(QStringLiteral("payload")).toObject();
        return WsClient::isEvent(f, "chat")
            && p.value(QStringLiteral("runId")).toString() == QLatin1String("run-a")
            && p.value(QStringLiteral("state")).toString() == QLatin1String("final");
    }));
}

void TestAdmission::limitsApplyLive()
{
    startGateway(1, 4);
    TestHttpClient a(m_gw->port());
    QVERIFY(a.open(streamRequest("a")));
    QVERIFY(a.waitForData("working"));
    TestHttpClient b(m_gw->port());
    QVERIFY(b.open(streamRequest("b")));
    QVERIFY(b.waitForData(R"("role":"assistant")"));
    QTRY_COMPARE(loadOf(m_gw->controller(), QStringLiteral("up")).queued, 1);
    // More room, saved as the panel saves it: the waiting run starts without anyone finishing.
    m_gw->update([](GatewayConfig &c) { c.providers[QStringLiteral("up")].maxConcurrent = 2; });
    QVERIFY(b.waitForData("working"));
    QCOMPARE(m_upstream->requests().size(), 2);
    m_upstream->releaseHeld();
    m_upstream->releaseHeld();
    QVERIFY(a.waitForData("data: [DONE]"));
    QVERIFY(b.waitForData("data: [DONE]"));
}

QTEST_GUILESS_MAIN(TestAdmission)
#include "tst_admission.moc"
