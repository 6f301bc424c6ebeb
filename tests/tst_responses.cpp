// POST /v1/responses and GET / DELETE /v1/responses/{id} as a client sees them (SPEC.md section
// 11, with sections 3 to 7): a real gateway on port 0 in front of the echo agent and a FakeUpstream
// (in its own thread: the test client blocks). The switch, methods, auth, Host guard, body limit
// and validation statuses with their exact texts; the response object; the streamed event order;
// tool calls both ways; stored responses, chains and branches with the upstream seeing exactly the
// expected messages, store:false, retrieval and deletion within the caller's scope, the maxStored
// bound; failures before and after the headers, keep-alives, a client leaving mid-stream; and the
// stored responses surviving a restart and a kill -9 of the real binary mid-stream.

#include "auth/Authenticator.h"
#include "providers/SseParser.h"
#include "support/FakeUpstream.h"
#include "support/GatewayProcess.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kPath = "/v1/responses";
const QByteArray kOtherToken = "other-token-for-responses";
const QByteArray kLimitedToken = "limited-token-for-responses";

QString compact(const QJsonValue &value)
{
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

QString compactJson(const char *json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isArray() ? compact(doc.array()) : compact(doc.object());
}

struct Event
{
    QString type; // the `event:` name
    QJsonObject json; // its data ("" for [DONE])
    QByteArray data;
};

QList<Event> eventsOf(const HttpResponse &r, QStringList *comments = nullptr)
{
    SseParser parser;
    QList<Event> out;
    for (const SseParser::Item &item : parser.feed(r.body)) {
        if (item.kind == SseParser::Item::Kind::Comment) {
            if (comments)
                comments->append(QString::fromUtf8(item.comment.trimmed()));
            continue;
        }
        out.append({item.event, QJsonDocument::fromJson(item.data).object(), item.data});
    }
    return out;
}

QStringList typesOf(const QList<Event> &events)
{
    QStringList out;
    for (const Event &e : events)
        out << (e.data == "[DONE]" ? QStringLiteral("[DONE]") : e.type);
    return out;
}

FakeUpstream::Reply textReply(const QString &text, int prompt = 7, int completion = 3)
{
    return FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(text)),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::sse(FakeUpstream::usageChunk(prompt, completion)),
        FakeUpstream::done(),
    });
}

FakeUpstream::Reply toolReply()
{
    return FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::toolCallChunk(0, QStringLiteral("call_up1"),
                                                      QStringLiteral("get_weather"), {})),
        FakeUpstream::sse(FakeUpstream::toolCallChunk(0, {}, {}, QStringLiteral("{\"city\":"))),
        FakeUpstream::sse(FakeUpstream::toolCallChunk(0, {}, {}, QStringLiteral("\"Lyon\"}"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("tool_calls"))),
        FakeUpstream::sse(FakeUpstream::usageChunk(12, 5)),
        FakeUpstream::done(),
    });
}

const char *const kWeatherTool
    = R"("tools":[{"type":"function","name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}},{"type":"web_search"},{"type":"local_shell"}])";

} // namespace

class TestResponses : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void disabledIsNotFoundForEveryMethod();
    void methodsNotAllowed();
    void authHostAndCors();
    void rateLimiterCoversTheResponsesRoutes();
    void ownBodyLimitBeforeTheBody();
    void rejected_data();
    void rejected();
    void responseObject();
    void eventSequence();
    void incompleteOnMaxOutputTokens();
    void toolCallsBecomeFunctionCallItems();
    void streamedFunctionCallItems();
    void functionCallOutputGoesUpstreamAsToolMessage();
    void chainsAndBranches();
    void chainContinuesAToolRound();
    void chainIsBoundedByHistoryMessages();
    void storeFalseKeepsNothing();
    void previousResponseNotFound();
    void retrieveAndDelete();
    void scopedToCredentialAndAgent();
    void maxStoredDropsTheOldest();
    void userGivesAStableSession();
    void failureBeforeTheHeaders();
    void failureAfterTheHeaders();
    void keepAliveWhileSilent();
    void clientLeavingAbortsTheUpstream();
    void survivesRestartAndKillMidStream();

private:
    HttpResponse post(const QByteArray &body, const QByteArray &token = TestGateway::kToken,
                      const TestHttpClient::Headers &extra = {})
    {
        return m_gw->client().post(kPath, body, token, extra);
    }
    HttpResponse call(const QByteArray &method, const QByteArray &path,
                      const QByteArray &token = TestGateway::kToken,
                      const TestHttpClient::Headers &extra = {})
    {
        TestHttpClient::Headers headers {{"Authorization", "Bearer " + token}};
        headers += extra;
        return m_gw->client().request(method, path, headers);
    }
    QString create(const QByteArray &body, const QByteArray &token = TestGateway::kToken)
    {
        const HttpResponse r = post(body, token);
        if (r.status != 200)
            qWarning("create: %d %s", r.status, r.body.constData());
        return r.json().value(QStringLiteral("id")).toString();
    }
    QJsonArray lastUpstreamMessages() { return m_upstream->lastMessages(); }

    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<TestGateway> m_gw;
};

void TestResponses::initTestCase()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    const QByteArray root = "agents: { list: ["
                            " { id: 'main', default: true, model: 'echo/echo' },"
                            " { id: 'up', model: 'local/model-a' },"
                            " { id: 'ops', model: 'echo/echo' } ] },"
                            "models: { providers: { local: { api: 'openai-completions', baseUrl: '"
        + m_upstream->baseUrl().toUtf8()
        + "', timeoutMs: 5000 } } },"
          "passerelle: { http: { keepAliveMs: 50 }, sessions: { historyMessages: 40 } }";
    m_gw = std::make_unique<TestGateway>(TestGateway::configText({}, root));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_gw->update([](GatewayConfig &c) {
        NamedToken other;
        other.name = QStringLiteral("other");
        other.sha256Hex = Authenticator::sha256Hex(kOtherToken);
        other.createdAt = QDateTime::currentDateTimeUtc();
        NamedToken limited;
        limited.name = QStringLiteral("limited");
        limited.sha256Hex = Authenticator::sha256Hex(kLimitedToken);
        limited.agents = {QStringLiteral("ops")};
        limited.createdAt = other.createdAt;
        c.auth.tokens = {other, limited};
    });
}

void TestResponses::cleanupTestCase()
{
    m_gw.reset();
    m_upstream.reset();
}

void TestResponses::init()
{
    m_upstream->setDefaultReply(textReply(QStringLiteral("Hello from upstream")));
}

void TestResponses::disabledIsNotFoundForEveryMethod()
{
    const QString id = create(R"({"input":"keep me"})");
    QVERIFY(!id.isEmpty());
    m_gw->update([](GatewayConfig &c) { c.responsesEnabled = false; });
    for (const char *method : {"POST", "GET", "DELETE", "PUT", "OPTIONS"}) {
        const QList<QByteArray> paths {kPath, kPath + "/" + id.toUtf8()};
        for (const QByteArray &path : paths) {
            const HttpResponse r = call(method, path);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.body, QByteArray("Not Found"));
        }
    }
    // The chat endpoint has its own switch.
    QCOMPARE(m_gw->client()
                 .post("/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})",
                       TestGateway::kToken)
                 .status,
             200);
    m_gw->update([](GatewayConfig &c) { c.responsesEnabled = true; });
    QCOMPARE(call("GET", kPath + "/" + id.toUtf8()).status, 200);
    // ... and this one turns off alone.
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    QCOMPARE(post(R"({"input":"still here"})").status, 200);
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = true; });
}

void TestResponses::methodsNotAllowed()
{
    for (const char *method : {"GET", "PUT", "DELETE", "PATCH", "HEAD"}) {
        const HttpResponse r = call(method, kPath);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("POST"));
    }
    for (const char *method : {"POST", "PUT", "PATCH"}) {
        const HttpResponse r = call(method, kPath + "/resp_x");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, DELETE"));
        QCOMPARE(r.body, QByteArray("Method Not Allowed"));
    }
}

void TestResponses::authHostAndCors()
{
    const QByteArray unauthorized = R"({"error":{"message":"Unauthorized","type":"unauthorized"}})";
    HttpResponse r = m_gw->client().request("POST", kPath, {}, R"({"input":"x"})");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);
    r = post(R"({"input":"x"})", "wrong-token");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);
    r = call("GET", kPath + "/resp_x", "wrong-token");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);

    r = TestHttpClient(m_gw->port(), "evil.example")
            .post(kPath, R"({"input":"x"})", TestGateway::kToken);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body, QByteArray(R"({"error":{"message":"Host not allowed","type":"forbidden"}})"));
    QVERIFY(!r.header("x-request-id").isEmpty());
    QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));

    m_gw->update([](GatewayConfig &c) { c.corsOrigins = {QStringLiteral("http://app.test")}; });
    r = post(R"({"input":"x"})", TestGateway::kToken, {{"Origin", "http://app.test"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("access-control-allow-origin"), QByteArray("http://app.test"));
    r = m_gw->client().request("OPTIONS", kPath,
                               {{"Origin", "http://app.test"},
                                {"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers", "authorization, content-type"}});
    QCOMPARE(r.status, 204);
    r = post(R"({"input":"x"})", TestGateway::kToken, {{"Origin", "http://other.test"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("access-control-allow-origin").isEmpty());
    m_gw->update([](GatewayConfig &c) { c.corsOrigins.clear(); });
}

void TestResponses::rateLimiterCoversTheResponsesRoutes()
{
    // The chat endpoint's limiter (SPEC sections 5 and 11): failures on these routes count, and a
    // locked-out address gets 429 on every one of them, with no run started.
    m_gw->update([](GatewayConfig &c) {
        c.auth.rateLimit = RateLimitConfig {3, 60000, 120000, false};
    });
    const int before = int(m_upstream->requests().size());
    QCOMPARE(post(R"({"input":"x"})", "wrong-1").status, 401);
    QCOMPARE(call("GET", kPath + "/resp_x", "wrong-2").status, 401);
    QCOMPARE(call("DELETE", kPath + "/resp_x", "wrong-3").status, 401);
    const QByteArray locked = R"({"error":{"message":"Too many failed authentication attempts. )"
                              R"(Please try again later.","type":"rate_limited"}})";
    for (const char *method : {"POST", "GET", "DELETE"}) {
        const QByteArray path = QByteArray(method) == "POST" ? kPath : kPath + "/resp_x";
        const HttpResponse r = m_gw->client().request(
            method, path, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
            QByteArray(method) == "POST" ? QByteArray(R"({"input":"x"})") : QByteArray());
        QCOMPARE(r.status, 429);
        QCOMPARE(r.body, locked);
        QVERIFY(r.header("retry-after").toInt() > 0);
    }
    // The chat endpoint shares the lockout.
    QCOMPARE(m_gw->client()
                 .post("/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})",
                       TestGateway::kToken)
                 .status,
             429);
    QCOMPARE(int(m_upstream->requests().size()), before);
    m_gw->controller().clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(post(R"({"input":"x"})").status, 200);
    m_gw->update([](GatewayConfig &c) { c.auth.rateLimit = RateLimitConfig {}; });
}

void TestResponses::ownBodyLimitBeforeTheBody()
{
    m_gw->update([](GatewayConfig &c) {
        c.responsesMaxBodyBytes = 1000;
        c.maxBodyBytes = 100000;
    });
    const QByteArray big = "{\"input\":\"" + QByteArray(2000, 'a') + "\"}";
    // Refused on its Content-Length, before the body is sent.
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + QByteArray(TestGateway::kToken)
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + QByteArray::number(big.size()) + "\r\n\r\n"));
    QVERIFY(client.waitForData("Payload too large"));
    HttpResponse r = client.current();
    QCOMPARE(r.status, 413);
    QCOMPARE(
        r.body,
        QByteArray(R"({"error":{"message":"Payload too large","type":"invalid_request_error"}})"));
    // The chat endpoint's own limit is larger: the same body passes there.
    QCOMPARE(m_gw->client()
                 .post("/v1/chat/completions",
                       "{\"messages\":[{\"role\":\"user\",\"content\":\"" + QByteArray(2000, 'a')
                           + "\"}]}",
                       TestGateway::kToken)
                 .status,
             200);
    m_gw->update([](GatewayConfig &c) {
        c.responsesMaxBodyBytes = 20971520;
        c.maxBodyBytes = 20971520;
    });
    QCOMPARE(post(big).status, 200);
}

void TestResponses::rejected_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<TestHttpClient::Headers>("headers");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");

    const QByteArray t = TestGateway::kToken;
    const QString invalid = QStringLiteral("invalid_request_error");
    QTest::newRow("invalid JSON") << QByteArray("{") << TestHttpClient::Headers {} << t << 400
                                  << QStringLiteral("Invalid JSON body") << invalid;
    QTest::newRow("not an object")
        << QByteArray("[]") << TestHttpClient::Headers {} << t << 400
        << QStringLiteral("Request body must be a JSON object") << invalid;
    QTest::newRow("input field") << QByteArray(R"({"input":42})") << TestHttpClient::Headers {} << t
                                 << 400 << QStringLiteral("input: expected a string or an array")
                                 << invalid;
    QTest::newRow("item field") << QByteArray(
        R"({"input":[{"type":"function_call_output","output":"x"}]})")
                                << TestHttpClient::Headers {} << t << 400
                                << QStringLiteral("input[0].call_id: expected a non-empty string")
                                << invalid;
    QTest::newRow("temperature") << QByteArray(R"({"input":"x","temperature":3})")
                                 << TestHttpClient::Headers {} << t << 400
                                 << QStringLiteral("`temperature` must be between 0 and 2.")
                                 << invalid;
    QTest::newRow("empty body: no user message")
        << QByteArray() << TestHttpClient::Headers {} << t << 400
        << QStringLiteral("Missing user message in `input`.") << invalid;
    QTest::newRow("only instructions")
        << QByteArray(R"({"instructions":"be nice","input":[{"role":"assistant","content":"a"}]})")
        << TestHttpClient::Headers {} << t << 400
        << QStringLiteral("Missing user message in `input`.") << invalid;
    QTest::newRow("invalid model")
        << QByteArray(R"({"model":"gpt-4o","input":"x"})") << TestHttpClient::Headers {} << t << 400
        << QStringLiteral("Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.") << invalid;
    QTest::newRow("unknown agent")
        << QByteArray(R"({"model":"openclaw/nobody","input":"x"})") << TestHttpClient::Headers {}
        << t << 400 << QStringLiteral("Unknown agent 'nobody'.") << invalid;
    QTest::newRow("unknown agent header")
        << QByteArray(R"({"input":"x"})")
        << TestHttpClient::Headers {{"x-openclaw-agent-id", "ghost"}} << t << 400
        << QStringLiteral("Unknown agent 'ghost'.") << invalid;
    QTest::newRow("reserved session namespace")
        << QByteArray(R"({"input":"x"})")
        << TestHttpClient::Headers {{"x-openclaw-session-key", "cron:nightly"}} << t << 400
        << QStringLiteral(
               "`x-openclaw-session-key` cannot use reserved internal session namespaces.")
        << invalid;
    QTest::newRow("named token outside its agents")
        << QByteArray(R"({"model":"openclaw/main","input":"x"})") << TestHttpClient::Headers {}
        << kLimitedToken << 403 << QStringLiteral("token may not use agent 'main'")
        << QStringLiteral("permission_error");
}

void TestResponses::rejected()
{
    QFETCH(QByteArray, body);
    QFETCH(TestHttpClient::Headers, headers);
    QFETCH(QByteArray, token);
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(QString, type);
    const int before = int(m_upstream->requests().size());
    const HttpResponse r = post(body, token, headers);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(compact(r.json()),
             compact(QJsonObject {{QStringLiteral("error"),
                                   QJsonObject {{QStringLiteral("message"), message},
                                                {QStringLiteral("type"), type}}}}));
    QCOMPARE(int(m_upstream->requests().size()), before); // a 4xx starts no run
}

void TestResponses::responseObject()
{
    const HttpResponse r
        = post(R"({"model":"openclaw","input":"Hello there","instructions":"Be brief",
        "metadata":{"ticket":"42"},"temperature":0.5,"user":"Zed","tools":[{"type":"web_search"}]})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QJsonObject o = r.json();
    const QString id = o.value(QStringLiteral("id")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^resp_[0-9a-f]{32}$")).match(id).hasMatch(),
             qPrintable(id));
    const qint64 created = o.value(QStringLiteral("created_at")).toInteger();
    QVERIFY(qAbs(created - QDateTime::currentSecsSinceEpoch()) < 60);
    const QJsonArray output = o.value(QStringLiteral("output")).toArray();
    QCOMPARE(output.size(), 1);
    const QString msgId = output.at(0).toObject().value(QStringLiteral("id")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^msg_[0-9a-f]{32}$")).match(msgId).hasMatch(),
             qPrintable(msgId));
    // The echo agent answers the built prompt; instructions are the system text (2 words).
    const QJsonObject expected {
        {QStringLiteral("id"), id},
        {QStringLiteral("object"), QStringLiteral("response")},
        {QStringLiteral("created_at"), created},
        {QStringLiteral("status"), QStringLiteral("completed")},
        {QStringLiteral("model"), QStringLiteral("openclaw")},
        {QStringLiteral("output"),
         QJsonDocument::fromJson(
             R"([{"type":"message","id":")" + msgId.toUtf8()
             + R"(","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello there","annotations":[]}]}])")
             .array()},
        {QStringLiteral("usage"),
         QJsonDocument::fromJson(R"({"input_tokens":4,"output_tokens":2,"total_tokens":6})")
             .object()},
        {QStringLiteral("previous_response_id"), QJsonValue::Null},
        {QStringLiteral("instructions"), QStringLiteral("Be brief")},
        {QStringLiteral("metadata"),
         QJsonObject {{QStringLiteral("ticket"), QStringLiteral("42")}}},
        {QStringLiteral("tool_choice"), QStringLiteral("auto")},
        {QStringLiteral("tools"), QJsonDocument::fromJson(R"([{"type":"web_search"}])").array()},
        {QStringLiteral("temperature"), 0.5},
        {QStringLiteral("top_p"), QJsonValue::Null},
        {QStringLiteral("max_output_tokens"), QJsonValue::Null},
        {QStringLiteral("parallel_tool_calls"), true},
        {QStringLiteral("store"), true},
        {QStringLiteral("text"), QJsonDocument::fromJson(R"({"format":{"type":"text"}})").object()},
        {QStringLiteral("user"), QStringLiteral("Zed")},
        {QStringLiteral("error"), QJsonValue::Null},
        {QStringLiteral("incomplete_details"), QJsonValue::Null}};
    QCOMPARE(compact(o), compact(expected));

    // No model: "openclaw"; an empty output: the fallback text (a blank upstream answer).
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::done(),
    }));
    o = post(R"({"model":"openclaw/up","input":"say nothing"})").json();
    QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("openclaw/up"));
    QCOMPARE(o.value(QStringLiteral("output"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             QStringLiteral("No response from OpenClaw."));
    QCOMPARE(post(R"({"input":"x"})").json().value(QStringLiteral("model")).toString(),
             QStringLiteral("openclaw"));
}

void TestResponses::eventSequence()
{
    const HttpResponse r = post(R"({"model":"openclaw","input":"one two three","stream":true})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    const QList<Event> events = eventsOf(r);
    QCOMPARE(
        typesOf(events),
        (QStringList {QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
                      QStringLiteral("response.output_item.added"),
                      QStringLiteral("response.content_part.added"),
                      QStringLiteral("response.output_text.delta"),
                      QStringLiteral("response.output_text.delta"),
                      QStringLiteral("response.output_text.delta"),
                      QStringLiteral("response.output_text.done"),
                      QStringLiteral("response.content_part.done"),
                      QStringLiteral("response.output_item.done"),
                      QStringLiteral("response.completed"), QStringLiteral("[DONE]")}));
    for (int i = 0; i < events.size() - 1; ++i) {
        QCOMPARE(events.at(i).json.value(QStringLiteral("type")).toString(), events.at(i).type);
        QCOMPARE(events.at(i).json.value(QStringLiteral("sequence_number")).toInt(-1), i);
    }
    const QJsonObject created = events.at(0).json.value(QStringLiteral("response")).toObject();
    QCOMPARE(created.value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
    QCOMPARE(created.value(QStringLiteral("output")).toArray().size(), 0);
    const QString id = created.value(QStringLiteral("id")).toString();
    QString text;
    for (int i = 4; i <= 6; ++i)
        text += events.at(i).json.value(QStringLiteral("delta")).toString();
    QCOMPARE(text, QStringLiteral("one two three"));
    QCOMPARE(events.at(7).json.value(QStringLiteral("text")).toString(), text);
    const QJsonObject done = events.at(10).json.value(QStringLiteral("response")).toObject();
    QCOMPARE(done.value(QStringLiteral("id")).toString(), id);
    QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(compact(done.value(QStringLiteral("usage"))),
             compactJson(R"({"input_tokens":3,"output_tokens":3,"total_tokens":6})"));
    // The stored object is the completed one, byte for byte.
    const HttpResponse stored = call("GET", kPath + "/" + id.toUtf8());
    QCOMPARE(stored.status, 200);
    QCOMPARE(compact(stored.json()), compact(done));
}

void TestResponses::incompleteOnMaxOutputTokens()
{
    HttpResponse r = post(R"({"input":"one two three four","max_output_tokens":2})");
    QCOMPARE(r.status, 200);
    QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
    QCOMPARE(compact(o.value(QStringLiteral("incomplete_details"))),
             compactJson(R"({"reason":"max_output_tokens"})"));
    QCOMPARE(o.value(QStringLiteral("max_output_tokens")).toInt(), 2);
    r = post(R"({"input":"one two three four","max_output_tokens":2,"stream":true})");
    const QList<Event> events = eventsOf(r);
    QCOMPARE(events.at(events.size() - 2).type, QStringLiteral("response.incomplete"));
    QCOMPARE(events.at(events.size() - 2)
                 .json.value(QStringLiteral("response"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("incomplete"));
}

void TestResponses::toolCallsBecomeFunctionCallItems()
{
    m_upstream->setDefaultReply(toolReply());
    const HttpResponse r = post("{\"model\":\"openclaw/up\",\"input\":\"Weather in Lyon?\","
                                + QByteArray(kWeatherTool)
                                + ",\"tool_choice\":\"auto\",\"parallel_tool_calls\":false}");
    QCOMPARE(r.status, 200);
    const QJsonArray output = r.json().value(QStringLiteral("output")).toArray();
    QCOMPARE(output.size(), 1);
    QJsonObject item = output.at(0).toObject();
    QVERIFY(item.value(QStringLiteral("id")).toString().startsWith(QLatin1String("fc_")));
    item.remove(QStringLiteral("id"));
    QCOMPARE(
        compact(item),
        compactJson(
            R"({"type":"function_call","call_id":"call_up1","name":"get_weather","arguments":"{\"city\":\"Lyon\"}","status":"completed"})"));
    QCOMPARE(compact(r.json().value(QStringLiteral("usage"))),
             compactJson(R"({"input_tokens":12,"output_tokens":5,"total_tokens":17})"));
    // Upstream: the function tool in chat form, never the web_search or local_shell tools.
    const QJsonObject sent = m_upstream->requests().last().json;
    QCOMPARE(
        compact(sent.value(QStringLiteral("tools"))),
        compactJson(
            R"([{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}])"));
    QCOMPARE(sent.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("auto"));
    QCOMPARE(sent.value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
    QCOMPARE(compact(sent.value(QStringLiteral("messages"))),
             compactJson(R"([{"role":"user","content":"Weather in Lyon?"}])"));
    // Only non-function tools: no tool field goes upstream at all.
    m_upstream->setDefaultReply(textReply(QStringLiteral("ok")));
    QCOMPARE(
        post(
            R"({"model":"openclaw/up","input":"x","tools":[{"type":"web_search"}],"tool_choice":"required"})")
            .status,
        200);
    const QJsonObject plain = m_upstream->requests().last().json;
    QVERIFY(!plain.contains(QStringLiteral("tools")));
    QVERIFY(!plain.contains(QStringLiteral("tool_choice")));
}

void TestResponses::streamedFunctionCallItems()
{
    m_upstream->setDefaultReply(toolReply());
    const HttpResponse r = post("{\"model\":\"openclaw/up\",\"stream\":true,\"input\":\"Weather?\","
                                + QByteArray(kWeatherTool) + "}");
    const QList<Event> events = eventsOf(r);
    QCOMPARE(
        typesOf(events),
        (QStringList {QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
                      QStringLiteral("response.output_item.added"),
                      QStringLiteral("response.function_call_arguments.delta"),
                      QStringLiteral("response.function_call_arguments.delta"),
                      QStringLiteral("response.function_call_arguments.done"),
                      QStringLiteral("response.output_item.done"),
                      QStringLiteral("response.completed"), QStringLiteral("[DONE]")}));
    const QJsonObject added = events.at(2).json.value(QStringLiteral("item")).toObject();
    QCOMPARE(added.value(QStringLiteral("arguments")).toString(), QString());
    QCOMPARE(added.value(QStringLiteral("call_id")).toString(), QStringLiteral("call_up1"));
    QCOMPARE(added.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
    QCOMPARE(events.at(3).json.value(QStringLiteral("delta")).toString(),
             QStringLiteral("{\"city\":"));
    QCOMPARE(events.at(3).json.value(QStringLiteral("item_id")).toString(),
             added.value(QStringLiteral("id")).toString());
    QCOMPARE(events.at(5).json.value(QStringLiteral("arguments")).toString(),
             QStringLiteral("{\"city\":\"Lyon\"}"));
    QCOMPARE(events.at(6)
                 .json.value(QStringLiteral("item"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("completed"));
}

void TestResponses::functionCallOutputGoesUpstreamAsToolMessage()
{
    m_upstream->setDefaultReply(textReply(QStringLiteral("It is sunny in Lyon.")));
    const HttpResponse r = post(
        "{\"model\":\"openclaw/up\",\"store\":false,\"instructions\":\"You help.\","
        + QByteArray(kWeatherTool)
        + R"(,"input":[{"role":"user","content":"Weather in Lyon?"},{"type":"reasoning","id":"rs_1","summary":[]},{"type":"function_call","call_id":"call_9","name":"get_weather","arguments":"{\"city\":\"Lyon\"}"},{"type":"function_call_output","call_id":"call_9","output":"sunny, 24C"}]})");
    QCOMPARE(r.status, 200);
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"system","content":"You help."},{"role":"user","content":"Weather in Lyon?"},{"role":"assistant","content":"","tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},{"role":"tool","tool_call_id":"call_9","content":"sunny, 24C"}])"));
    QCOMPARE(r.json()
                 .value(QStringLiteral("output"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             QStringLiteral("It is sunny in Lyon."));
}

void TestResponses::chainsAndBranches()
{
    m_upstream->setDefaultReply(textReply(QStringLiteral("Nice to meet you, Ann.")));
    const QString r1 = create(R"({"model":"openclaw/up","input":"My name is Ann"})");
    QCOMPARE(compact(lastUpstreamMessages()),
             compactJson(R"([{"role":"user","content":"My name is Ann"}])"));

    m_upstream->setDefaultReply(textReply(QStringLiteral("You are Ann.")));
    const QString r2 = create(R"({"model":"openclaw/up","previous_response_id":")" + r1.toUtf8()
                              + R"(","input":"Who am I?"})");
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"My name is Ann"},{"role":"assistant","content":"Nice to meet you, Ann."},{"role":"user","content":"Who am I?"}])"));

    // A branch from r1: nothing of r2.
    m_upstream->setDefaultReply(textReply(QStringLiteral("Bonjour.")));
    const HttpResponse branch
        = post(R"({"model":"openclaw/up","stream":true,"previous_response_id":")" + r1.toUtf8()
               + R"(","input":"Say it in French"})");
    QCOMPARE(branch.status, 200);
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"My name is Ann"},{"role":"assistant","content":"Nice to meet you, Ann."},{"role":"user","content":"Say it in French"}])"));
    const QJsonObject created
        = eventsOf(branch).at(0).json.value(QStringLiteral("response")).toObject();
    QCOMPARE(created.value(QStringLiteral("previous_response_id")).toString(), r1);
    const QString r3 = created.value(QStringLiteral("id")).toString();

    // Continuing each branch.
    m_upstream->setDefaultReply(textReply(QStringLiteral("ok")));
    QVERIFY(!create(R"({"model":"openclaw/up","previous_response_id":")" + r2.toUtf8()
                    + R"(","input":"And now?"})")
                 .isEmpty());
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"My name is Ann"},{"role":"assistant","content":"Nice to meet you, Ann."},{"role":"user","content":"Who am I?"},{"role":"assistant","content":"You are Ann."},{"role":"user","content":"And now?"}])"));
    QVERIFY(
        !create(
             R"({"model":"openclaw/up","previous_response_id":")" + r3.toUtf8()
             + R"(","input":[{"role":"user","content":[{"type":"input_text","text":"Merci"}]}]})")
             .isEmpty());
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"My name is Ann"},{"role":"assistant","content":"Nice to meet you, Ann."},{"role":"user","content":"Say it in French"},{"role":"assistant","content":"Bonjour."},{"role":"user","content":"Merci"}])"));
}

void TestResponses::chainContinuesAToolRound()
{
    m_upstream->setDefaultReply(toolReply());
    const QString r1 = create("{\"model\":\"openclaw/up\",\"input\":\"Weather in Lyon?\","
                              + QByteArray(kWeatherTool) + "}");
    QVERIFY(!r1.isEmpty());
    m_upstream->setDefaultReply(textReply(QStringLiteral("Sunny.")));
    const HttpResponse r = post(
        "{\"model\":\"openclaw/up\",\"previous_response_id\":\"" + r1.toUtf8() + "\","
        + QByteArray(kWeatherTool)
        + R"(,"input":[{"type":"function_call_output","call_id":"call_up1","output":"{\"sky\":\"clear\"}"}]})");
    QCOMPARE(r.status, 200);
    // The tool result goes upstream after the assistant message that carries its call.
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"Weather in Lyon?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_up1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},{"role":"tool","tool_call_id":"call_up1","content":"{\"sky\":\"clear\"}"}])"));
    QCOMPARE(r.json().value(QStringLiteral("previous_response_id")).toString(), r1);
}

void TestResponses::chainIsBoundedByHistoryMessages()
{
    m_gw->update([](GatewayConfig &c) { c.sessionHistoryMessages = 3; });
    QString previous;
    for (int i = 1; i <= 3; ++i) {
        m_upstream->setDefaultReply(textReply(QStringLiteral("a%1").arg(i)));
        const QByteArray parent = previous.isEmpty()
            ? QByteArray()
            : ",\"previous_response_id\":\"" + previous.toUtf8() + "\"";
        previous = create("{\"model\":\"openclaw/up\",\"input\":\"q" + QByteArray::number(i) + "\""
                          + parent + "}");
    }
    // Before q3: the last 3 turns of the chain are a1 q2 a2, cut to open with a user turn.
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"q2"},{"role":"assistant","content":"a2"},{"role":"user","content":"q3"}])"));
    m_upstream->setDefaultReply(textReply(QStringLiteral("a4")));
    create("{\"model\":\"openclaw/up\",\"input\":\"q4\",\"previous_response_id\":\""
           + previous.toUtf8() + "\"}");
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"q3"},{"role":"assistant","content":"a3"},{"role":"user","content":"q4"}])"));
    m_gw->update([](GatewayConfig &c) { c.sessionHistoryMessages = 40; });
}

void TestResponses::storeFalseKeepsNothing()
{
    const HttpResponse r = post(R"({"input":"forget me","store":false})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("store")).toBool(true), false);
    const QString id = r.json().value(QStringLiteral("id")).toString();
    const HttpResponse got = call("GET", kPath + "/" + id.toUtf8());
    QCOMPARE(got.status, 404);
    const HttpResponse next
        = post(R"({"input":"x","previous_response_id":")" + id.toUtf8() + R"("})");
    QCOMPARE(next.status, 400);
    QCOMPARE(next.json()
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("previous_response_not_found"));
    // A streamed store:false answer is not kept either.
    const QList<Event> events = eventsOf(post(R"({"input":"x","store":false,"stream":true})"));
    const QString streamed = events.at(0)
                                 .json.value(QStringLiteral("response"))
                                 .toObject()
                                 .value(QStringLiteral("id"))
                                 .toString();
    QCOMPARE(call("GET", kPath + "/" + streamed.toUtf8()).status, 404);
}

void TestResponses::previousResponseNotFound()
{
    const int before = int(m_upstream->requests().size());
    for (const char *stream : {"false", "true"}) {
        const HttpResponse r = post(QByteArray(R"({"model":"openclaw/up","input":"x","stream":)")
                                    + stream + R"(,"previous_response_id":"resp_nope"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
        QCOMPARE(
            r.body,
            QByteArray(
                R"({"error":{"code":"previous_response_not_found","message":"Previous response with id 'resp_nope' not found.","param":"previous_response_id","type":"invalid_request_error"}})"));
    }
    QCOMPARE(int(m_upstream->requests().size()), before); // nothing was asked upstream
}

void TestResponses::retrieveAndDelete()
{
    const HttpResponse made = post(R"({"input":"Keep this","metadata":{"a":"b"}})");
    const QString id = made.json().value(QStringLiteral("id")).toString();
    HttpResponse r = call("GET", kPath + "/" + id.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(r.body, made.body);
    r = call("DELETE", kPath + "/" + id.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(compact(r.json()),
             compact(QJsonObject {{QStringLiteral("id"), id},
                                  {QStringLiteral("object"), QStringLiteral("response")},
                                  {QStringLiteral("deleted"), true}}));
    const QByteArray notFound = R"({"error":{"message":"Response with id ')" + id.toUtf8()
        + R"(' not found.","type":"invalid_request_error"}})";
    r = call("GET", kPath + "/" + id.toUtf8());
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, notFound);
    r = call("DELETE", kPath + "/" + id.toUtf8());
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, notFound);
    r = call("GET", kPath + "/resp_unknown");
    QCOMPARE(r.status, 404);
}

void TestResponses::scopedToCredentialAndAgent()
{
    const QString mine = create(R"({"model":"openclaw/main","input":"mine"})");
    const QString opsOwn = create(R"({"model":"openclaw/ops","input":"ops"})", kLimitedToken);
    const QByteArray path = kPath + "/" + mine.toUtf8();
    const auto notFound = [](const QString &id) -> QByteArray {
        return QByteArray(R"({"error":{"message":"Response with id ')") + id.toUtf8()
            + R"(' not found.","type":"invalid_request_error"}})";
    };
    // Another credential sees nothing, cannot delete it, cannot continue it.
    HttpResponse r = call("GET", path, kOtherToken);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, notFound(mine));
    QCOMPARE(call("DELETE", path, kOtherToken).status, 404);
    r = post(R"({"input":"x","previous_response_id":")" + mine.toUtf8() + R"("})", kOtherToken);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json()
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             QStringLiteral("Previous response with id '%1' not found.").arg(mine));
    // The same credential, for another agent: not found either.
    r = post(R"({"model":"openclaw/ops","input":"x","previous_response_id":")" + mine.toUtf8()
             + R"("})");
    QCOMPARE(r.status, 400);
    QCOMPARE(
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("previous_response_not_found"));
    // Naming another agent in the header narrows retrieval to it.
    QCOMPARE(call("GET", path, TestGateway::kToken, {{"x-openclaw-agent-id", "ops"}}).status, 404);
    QCOMPARE(call("GET", path, TestGateway::kToken, {{"x-openclaw-agent-id", "main"}}).status, 200);
    // The owner still has it, and the limited token its own.
    QCOMPARE(call("GET", path).status, 200);
    QCOMPARE(call("GET", kPath + "/" + opsOwn.toUtf8(), kLimitedToken).status, 200);
    QCOMPARE(call("GET", kPath + "/" + opsOwn.toUtf8()).status, 404);
    QCOMPARE(post(R"({"model":"openclaw/ops","input":"more","previous_response_id":")"
                      + opsOwn.toUtf8() + R"("})",
                  kLimitedToken)
                 .status,
             200);
}

void TestResponses::maxStoredDropsTheOldest()
{
    m_gw->update([](GatewayConfig &c) { c.responsesMaxStored = 2; });
    const QString a = create(R"({"input":"a"})");
    const QString b = create(R"({"input":"b"})");
    const QString c = create(R"({"input":"c"})");
    QCOMPARE(call("GET", kPath + "/" + a.toUtf8()).status, 404);
    QCOMPARE(call("GET", kPath + "/" + b.toUtf8()).status, 200);
    QCOMPARE(call("GET", kPath + "/" + c.toUtf8()).status, 200);
    m_gw->update([](GatewayConfig &config) { config.responsesMaxStored = 10000; });
}

void TestResponses::userGivesAStableSession()
{
    m_upstream->setDefaultReply(textReply(QStringLiteral("first reply")));
    QCOMPARE(post(R"({"model":"openclaw/up","input":"first","user":"Bea","store":false})").status,
             200);
    m_upstream->setDefaultReply(textReply(QStringLiteral("second reply")));
    QCOMPARE(post(R"({"model":"openclaw/up","input":"second","user":"bea","store":false})").status,
             200);
    QCOMPARE(
        compact(lastUpstreamMessages()),
        compactJson(
            R"([{"role":"user","content":"first"},{"role":"assistant","content":"first reply"},{"role":"user","content":"second"}])"));
    // Without `user` each request is its own stateless session.
    QCOMPARE(post(R"({"model":"openclaw/up","input":"third","store":false})").status, 200);
    QCOMPARE(compact(lastUpstreamMessages()),
             compactJson(R"([{"role":"user","content":"third"}])"));
}

void TestResponses::failureBeforeTheHeaders()
{
    struct Case
    {
        int upstream;
        int status;
        const char *body;
    };
    const QList<Case> cases {
        {500, 502, R"({"error":{"message":"upstream provider error","type":"api_error"}})"},
        {503, 503, R"({"error":{"message":"upstream provider overloaded","type":"api_error"}})"},
        {429, 429,
         R"({"error":{"message":"upstream provider rate limit reached","type":"rate_limit_error"}})"},
    };
    for (const Case &c : cases) {
        m_upstream->setDefaultReply(FakeUpstream::error(c.upstream, QStringLiteral("nope"),
                                                        QStringLiteral("server_error")));
        const HttpResponse r = post(R"({"model":"openclaw/up","input":"x"})");
        QCOMPARE(r.status, c.status);
        QCOMPARE(r.body, QByteArray(c.body));
    }
}

void TestResponses::failureAfterTheHeaders()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("half an"))),
        QByteArray(R"(data: {"error":{"message":"boom","code":429}})"
                   "\n\n"),
    }));
    HttpResponse r = post(R"({"model":"openclaw/up","input":"x","stream":true})");
    QCOMPARE(r.status, 200);
    QList<Event> events = eventsOf(r);
    QStringList types = typesOf(events);
    QCOMPARE(types.mid(types.size() - 2),
             (QStringList {QStringLiteral("response.failed"), QStringLiteral("[DONE]")}));
    QVERIFY(!types.contains(QStringLiteral("response.completed")));
    QJsonObject failed
        = events.at(events.size() - 2).json.value(QStringLiteral("response")).toObject();
    QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(
        compact(failed.value(QStringLiteral("error"))),
        compactJson(
            R"({"code":"rate_limit_exceeded","message":"upstream provider rate limit reached"})"));
    QCOMPARE(events.at(events.size() - 2).json.value(QStringLiteral("sequence_number")).toInt(),
             events.size() - 2);

    // A cut stream: server_error with section 4's text; the failed response is not stored.
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("cut"))),
    }));
    r = post(R"({"model":"openclaw/up","input":"x","stream":true})");
    events = eventsOf(r);
    failed = events.at(events.size() - 2).json.value(QStringLiteral("response")).toObject();
    QCOMPARE(compact(failed.value(QStringLiteral("error"))),
             compactJson(R"({"code":"server_error","message":"upstream provider error"})"));
    QCOMPARE(
        call("GET", kPath + "/" + failed.value(QStringLiteral("id")).toString().toUtf8()).status,
        404);
}

void TestResponses::keepAliveWhileSilent()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({});
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("late"),
                                                                      QStringLiteral("stop")))
                             + FakeUpstream::done(),
                         0, true});
    m_upstream->setDefaultReply(reply);
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kPath, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        R"({"model":"openclaw/up","input":"x","stream":true})", "127.0.0.1")));
    // created and in_progress at once, before the upstream said anything; then keep-alives.
    QVERIFY(client.waitForData("response.in_progress"));
    QVERIFY(client.waitForData(": keep-alive"));
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QVERIFY(client.waitForData("data: [DONE]"));
    QStringList comments;
    const QList<Event> events = eventsOf(client.current(), &comments);
    QVERIFY(comments.contains(QStringLiteral("keep-alive")));
    QCOMPARE(typesOf(events).first(), QStringLiteral("response.created"));
    QCOMPARE(typesOf(events).at(1), QStringLiteral("response.in_progress"));
    QCOMPARE(typesOf(events).last(), QStringLiteral("[DONE]"));
}

void TestResponses::clientLeavingAbortsTheUpstream()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("first words"))),
    });
    reply.chunks.append({FakeUpstream::done(), 0, true});
    m_upstream->setDefaultReply(reply);
    const int closedBefore = m_upstream->clientClosedCount();
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kPath, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        R"({"model":"openclaw/up","input":"x","stream":true})", "127.0.0.1")));
    QVERIFY(client.waitForData("first words"));
    client.close();
    QTRY_COMPARE(m_upstream->clientClosedCount(), closedBefore + 1);
    m_upstream->releaseHeld();
}

void TestResponses::survivesRestartAndKillMidStream()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString configPath = home.filePath(QStringLiteral("passerelle.json"));
    {
        QFile file(configPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(TestGateway::configText(
            {},
            "agents: { list: [ { id: 'main', model: 'local/model-a' } ] },"
            "models: { providers: { local: { api: 'openai-completions', baseUrl: '"
                + m_upstream->baseUrl().toUtf8() + "' } } }"));
    }
    const QProcessEnvironment env = GatewayProcess::isolatedEnvironment(home.path());
    const auto launch = [&](QProcess &process) -> quint16 {
        QString output;
        const quint16 port = GatewayProcess::start(
            process,
            {QStringLiteral("--config"), configPath, QStringLiteral("--port"), QStringLiteral("0")},
            env, &output);
        if (port == 0)
            qWarning("passerelle did not start: %s", qPrintable(output));
        return port;
    };
    const auto ask = [&](quint16 port, const QByteArray &body) {
        return TestHttpClient(port).post(kPath, body, TestGateway::kToken);
    };

    QString first;
    // 1. A stored response, then a clean stop.
    {
        QProcess process;
        const quint16 port = launch(process);
        QVERIFY(port != 0);
        m_upstream->setDefaultReply(textReply(QStringLiteral("Noted, Ann.")));
        const HttpResponse r = ask(port, R"({"input":"My name is Ann"})");
        QCOMPARE(r.status, 200);
        first = r.json().value(QStringLiteral("id")).toString();
        QCOMPARE(GatewayProcess::stop(process), 0);
    }
    // 2. Restarted: it is there and continues; then a stream is cut by kill -9 mid-answer.
    QString second;
    QString killed;
    {
        QProcess process;
        const quint16 port = launch(process);
        QVERIFY(port != 0);
        QCOMPARE(TestHttpClient(port)
                     .request("GET", kPath + "/" + first.toUtf8(),
                              {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}})
                     .status,
                 200);
        m_upstream->setDefaultReply(textReply(QStringLiteral("You are Ann.")));
        const HttpResponse r = ask(
            port, R"({"input":"Who am I?","previous_response_id":")" + first.toUtf8() + R"("})");
        QCOMPARE(r.status, 200);
        second = r.json().value(QStringLiteral("id")).toString();

        FakeUpstream::Reply story = FakeUpstream::stream({
            FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Once upon a time"))),
        });
        story.chunks.append({FakeUpstream::sse(FakeUpstream::contentChunk(
                                 QStringLiteral(" the end"), QStringLiteral("stop")))
                                 + FakeUpstream::done(),
                             0, true});
        m_upstream->setDefaultReply(story);
        TestHttpClient client(port);
        QVERIFY(client.open(TestHttpClient::buildRequest(
            "POST", kPath, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
            R"({"stream":true,"input":"Tell me a story","previous_response_id":")" + second.toUtf8()
                + R"("})",
            "127.0.0.1")));
        QVERIFY(client.waitForData("Once upon a time"));
        killed = eventsOf(client.current())
                     .at(0)
                     .json.value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString();
        process.kill(); // SIGKILL: no shutdown code runs
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        m_upstream->releaseHeld();
    }
    // 3. After the crash: both stored responses, their chain, and nothing of the cut one.
    {
        QProcess process;
        const quint16 port = launch(process);
        QVERIFY(port != 0);
        const TestHttpClient::Headers auth {
            {"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}};
        QCOMPARE(TestHttpClient(port).request("GET", kPath + "/" + first.toUtf8(), auth).status,
                 200);
        QCOMPARE(TestHttpClient(port).request("GET", kPath + "/" + second.toUtf8(), auth).status,
                 200);
        QVERIFY(!killed.isEmpty());
        QCOMPARE(TestHttpClient(port).request("GET", kPath + "/" + killed.toUtf8(), auth).status,
                 404);
        m_upstream->setDefaultReply(textReply(QStringLiteral("Yes.")));
        QCOMPARE(
            ask(port,
                R"({"input":"Still there?","previous_response_id":")" + second.toUtf8() + R"("})")
                .status,
            200);
        QCOMPARE(
            compact(lastUpstreamMessages()),
            compactJson(
                R"([{"role":"user","content":"My name is Ann"},{"role":"assistant","content":"Noted, Ann."},{"role":"user","content":"Who am I?"},{"role":"assistant","content":"You are Ann."},{"role":"user","content":"Still there?"}])"));
        QCOMPARE(GatewayProcess::stop(process), 0);
    }
}

QTEST_GUILESS_MAIN(TestResponses)
#include "tst_responses.moc"
