// POST /v1/messages and /v1/messages/count_tokens as a client sees them (SPEC.md section 15, with
// sections 3 to 7): a real gateway on port 0 in front of the echo agent and a FakeUpstream (in its
// own thread: the test client blocks). The switch, methods, x-api-key and Bearer auth, the limiter
// and token scopes, the Host guard, a query string, the body limit and every validation status
// with its Anthropic-shaped body; model aliases; the message object and the streamed event order;
// translation both ways through openai-completions (request shape, tools, tool_use/tool_result,
// stop sequences, max_tokens) and the failures mapped before and after the headers (529, 429 with
// Retry-After...); ping keep-alives; a client leaving; sessions; the token count.

#include "auth/Authenticator.h"
#include "http/SseWriter.h"
#include "providers/SseParser.h"
#include "support/FakeUpstream.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {

QStringList names(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromLatin1(item);
    return out;
}

const QByteArray kPath = "/v1/messages";
const QByteArray kCount = "/v1/messages/count_tokens";
const QByteArray kLimitedToken = "limited-token-for-messages";

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

QByteArray anthropicError(const char *type, const QString &message)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("type"), QStringLiteral("error")},
                                      {QStringLiteral("error"),
                                       QJsonObject {{QStringLiteral("type"), QLatin1String(type)},
                                                    {QStringLiteral("message"), message}}}})
        .toJson(QJsonDocument::Compact);
}

struct Event
{
    QString type; // the `event:` name
    QJsonObject json;
    QByteArray data;
};

QList<Event> eventsOf(const HttpResponse &r)
{
    SseParser parser;
    QList<Event> out;
    for (const SseParser::Item &item : parser.feed(r.body)) {
        if (item.kind == SseParser::Item::Kind::Comment)
            continue;
        out.append({item.event, QJsonDocument::fromJson(item.data).object(), item.data});
    }
    return out;
}

QStringList typesOf(const QList<Event> &events)
{
    QStringList out;
    for (const Event &e : events)
        out << e.type;
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
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Let me check."))),
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
    = R"("tools":[{"name":"get_weather","description":"Weather of a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},{"type":"web_search_20250305","name":"web_search"}])";

} // namespace

class TestMessages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void disabledIsNotFound();
    void methodsNotAllowed();
    void apiKeyOrBearer();
    void limiterInAnthropicShape();
    void tokenScopes();
    void ownBodyLimitBeforeTheBody();
    void rejected_data();
    void rejected();
    void messageObject();
    void maxTokensCutsTheAnswer();
    void stopSequenceEndsTheAnswer();
    void stopSequenceNamedByTheUpstream();
    void eventSequence();
    void aliasesRouteEverySurface();
    void requestShapeUpstream();
    void toolUseBothWays();
    void streamedToolUse();
    void failureBeforeTheHeaders_data();
    void failureBeforeTheHeaders();
    void fullQueueIs529();
    void failureAfterTheHeaders();
    void pingWhileSilent();
    void clientLeavingAbortsTheUpstream();
    void statelessUnlessSessionKey();
    void countTokens();

private:
    HttpResponse post(const QByteArray &body, const QByteArray &path = kPath,
                      const TestHttpClient::Headers &extra = {})
    {
        TestHttpClient::Headers headers {{"x-api-key", TestGateway::kToken},
                                         {"anthropic-version", "2023-06-01"},
                                         {"Content-Type", "application/json"}};
        headers += extra;
        return m_gw->client().request("POST", path, headers, body);
    }
    QJsonObject lastUpstreamBody()
    {
        const QList<FakeUpstream::Request> all = m_upstream->requests();
        return all.isEmpty() ? QJsonObject() : all.last().json;
    }

    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<TestGateway> m_gw;
};

void TestMessages::initTestCase()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    const QByteArray root = "agents: { list: ["
                            " { id: 'main', default: true, model: 'echo/echo' },"
                            " { id: 'up', model: 'local/model-a' },"
                            " { id: 'ops', model: 'echo/echo', systemPrompt: 'You run ops.' },"
                            " { id: 'slow', model: 'slowp/model-b' } ] },"
                            "models: { providers: {"
                            " local: { api: 'openai-completions', baseUrl: '"
        + m_upstream->baseUrl().toUtf8()
        + "', timeoutMs: 5000 },"
          " slowp: { api: 'openai-completions', baseUrl: '"
        + m_upstream->baseUrl().toUtf8()
        + "', timeoutMs: 300, maxConcurrent: 1, maxQueue: 0 } } },"
          "passerelle: { http: { keepAliveMs: 50, endpoints: { messages: { enabled: true } } },"
          " modelAliases: { 'claude-*': 'main', 'claude-up-*': 'up', 'claude-ops': 'ops',"
          " 'slow-*': 'slow' } }";
    m_gw = std::make_unique<TestGateway>(TestGateway::configText({}, root));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_gw->update([](GatewayConfig &c) {
        NamedToken limited;
        limited.name = QStringLiteral("limited");
        limited.sha256Hex = Authenticator::sha256Hex(kLimitedToken);
        limited.agents = {QStringLiteral("ops")};
        limited.createdAt = QDateTime::currentDateTimeUtc();
        c.auth.tokens = {limited};
    });
}

void TestMessages::cleanupTestCase()
{
    m_gw.reset();
    m_upstream.reset();
}

void TestMessages::init()
{
    m_upstream->setDefaultReply(textReply(QStringLiteral("Hello from upstream")));
}

void TestMessages::disabledIsNotFound()
{
    const QByteArray body
        = R"({"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
    QCOMPARE(post(body).status, 200);
    m_gw->update([](GatewayConfig &c) { c.messagesEnabled = false; });
    for (const char *method : {"POST", "GET", "PUT", "OPTIONS"}) {
        for (const QByteArray &path : {kPath, kCount}) {
            const HttpResponse r
                = m_gw->client().request(method, path, {{"x-api-key", TestGateway::kToken}}, body);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.body, QByteArray("Not Found"));
        }
    }
    // The OpenAI endpoints have their own switches.
    QCOMPARE(m_gw->client()
                 .post("/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})",
                       TestGateway::kToken)
                 .status,
             200);
    m_gw->update([](GatewayConfig &c) { c.messagesEnabled = true; });
    QCOMPARE(post(body).status, 200);
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    QCOMPARE(post(body).status, 200);
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = true; });
}

void TestMessages::methodsNotAllowed()
{
    for (const char *method : {"GET", "PUT", "DELETE", "PATCH", "HEAD"}) {
        for (const QByteArray &path : {kPath, kCount}) {
            const HttpResponse r
                = m_gw->client().request(method, path, {{"x-api-key", TestGateway::kToken}});
            QCOMPARE(r.status, 405);
            QCOMPARE(r.header("allow"), QByteArray("POST"));
        }
    }
}

void TestMessages::apiKeyOrBearer()
{
    const QByteArray body
        = R"({"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
    const QByteArray unauthorized
        = anthropicError("authentication_error", QStringLiteral("Unauthorized"));
    // x-api-key, with Claude Code's query string and headers
    HttpResponse r = m_gw->client().request("POST", kPath + "?beta=true",
                                            {{"x-api-key", TestGateway::kToken},
                                             {"anthropic-version", "2023-06-01"},
                                             {"anthropic-beta", "claude-code-20250219,oauth"}},
                                            body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("message"));
    // Authorization: Bearer
    r = m_gw->client().post(kPath, body, TestGateway::kToken);
    QCOMPARE(r.status, 200);
    // missing, wrong key, wrong bearer
    r = m_gw->client().request("POST", kPath, {}, body);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);
    r = m_gw->client().request("POST", kPath, {{"x-api-key", "wrong"}}, body);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);
    r = m_gw->client().post(kCount + "?beta=true", body, "wrong");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, unauthorized);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    // The Host guard stays section 3's.
    r = TestHttpClient(m_gw->port(), "evil.example").post(kPath, body, TestGateway::kToken);
    QCOMPARE(r.status, 403);
}

void TestMessages::limiterInAnthropicShape()
{
    m_gw->update([](GatewayConfig &c) {
        c.auth.rateLimit = RateLimitConfig {2, 60000, 120000, false};
    });
    const QByteArray body
        = R"({"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
    const auto withKey = [&](const QByteArray &key) {
        return m_gw->client().request("POST", kPath, {{"x-api-key", key}}, body);
    };
    QCOMPARE(withKey("wrong-1").status, 401);
    QCOMPARE(withKey("wrong-2").status, 401);
    const HttpResponse r = withKey(TestGateway::kToken);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.body,
             anthropicError("rate_limit_error",
                            QStringLiteral("Too many failed authentication "
                                           "attempts. Please try again later.")));
    const int retryAfter = r.header("retry-after").toInt();
    QVERIFY2(retryAfter > 100 && retryAfter <= 120, r.header("retry-after").constData());
    // the same lockout on the chat endpoint: one limiter
    QCOMPARE(m_gw->client().post("/v1/chat/completions", "{}", TestGateway::kToken).status, 429);
    m_gw->controller().clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(withKey(TestGateway::kToken).status, 200);
    m_gw->update([](GatewayConfig &c) { c.auth.rateLimit = RateLimitConfig {}; });
}

void TestMessages::tokenScopes()
{
    const auto ask = [&](const char *model) {
        return m_gw->client().request(
            "POST", kPath, {{"x-api-key", kLimitedToken}},
            QByteArray(R"({"model":")") + model
                + R"(","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})");
    };
    QCOMPARE(ask("claude-ops").status, 200);
    const HttpResponse r = ask("claude-sonnet-9");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body,
             anthropicError("permission_error", QStringLiteral("token may not use agent 'main'")));
}

void TestMessages::ownBodyLimitBeforeTheBody()
{
    m_gw->update([](GatewayConfig &c) {
        c.messagesMaxBodyBytes = 1000;
        c.maxBodyBytes = 100000;
    });
    const QByteArray big
        = R"({"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":")"
        + QByteArray(2000, 'a') + "\"}]}";
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: "
                        + QByteArray(TestGateway::kToken)
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + QByteArray::number(big.size()) + "\r\n\r\n"));
    QVERIFY(client.waitForData("Payload too large"));
    const HttpResponse r = client.current();
    QCOMPARE(r.status, 413);
    QCOMPARE(r.body, anthropicError("request_too_large", QStringLiteral("Payload too large")));
    m_gw->update([](GatewayConfig &c) {
        c.messagesMaxBodyBytes = 20971520;
        c.maxBodyBytes = 20971520;
    });
    QCOMPARE(post(big).status, 200);
}

void TestMessages::rejected_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<TestHttpClient::Headers>("headers");
    QTest::addColumn<QString>("message");
    const TestHttpClient::Headers none;
    const QByteArray user = R"("messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("not json") << kPath << QByteArray("{") << none << "Invalid JSON body";
    QTest::newRow("no max_tokens") << kPath << "{\"model\":\"claude-x\"," + user + "}" << none
                                   << "max_tokens: expected a positive integer";
    QTest::newRow("temperature") << kPath
                                 << "{\"model\":\"claude-x\",\"max_tokens\":5,\"temperature\":2,"
            + user + "}" << none << "`temperature` must be between 0 and 1.";
    QTest::newRow("no user message")
        << kPath
        << QByteArray(
               R"({"model":"claude-x","max_tokens":5,"messages":[{"role":"system","content":"s"}]})")
        << none << "Missing user message in `messages`.";
    QTest::newRow("not an alias") << kPath << "{\"model\":\"gpt-4o\",\"max_tokens\":5," + user + "}"
                                  << none
                                  << "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.";
    QTest::newRow("unknown agent")
        << kPath << "{\"model\":\"openclaw/ghost\",\"max_tokens\":5," + user + "}" << none
        << "Unknown agent 'ghost'.";
    QTest::newRow("reserved session")
        << kPath << "{\"model\":\"claude-x\",\"max_tokens\":5," + user + "}"
        << TestHttpClient::Headers {{"x-openclaw-session-key", "cron:nightly"}}
        << "`x-openclaw-session-key` cannot use reserved internal session namespaces.";
    QTest::newRow("count: bad block")
        << kCount
        << QByteArray(
               R"({"model":"claude-x","messages":[{"role":"user","content":[{"type":"tool_result"}]}]})")
        << none << "messages[0].content[0].tool_use_id: expected a non-empty string";
    QTest::newRow("count: not an alias")
        << kCount << "{\"model\":\"gpt-4o\"," + user + "}" << none
        << "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.";
}

void TestMessages::rejected()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(TestHttpClient::Headers, headers);
    QFETCH(QString, message);
    const int before = int(m_upstream->requests().size());
    const HttpResponse r = post(body, path, headers);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, anthropicError("invalid_request_error", message));
    QCOMPARE(int(m_upstream->requests().size()), before); // no run started
}

void TestMessages::messageObject()
{
    const HttpResponse r = post(
        R"({"model":"claude-opus-5-5","max_tokens":128000,"system":"Be brief.",
            "messages":[{"role":"user","content":[{"type":"text","text":"Hello there"}]}],
            "metadata":{"user_id":"u1"},"thinking":{"type":"enabled","budget_tokens":1000}})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QJsonObject message = r.json();
    QVERIFY2(QRegularExpression(QStringLiteral("^msg_[A-Za-z0-9]{24}$"))
                 .match(message.value(QStringLiteral("id")).toString())
                 .hasMatch(),
             r.body.constData());
    message.remove(QStringLiteral("id"));
    // the echo agent: the prompt back, input tokens = words of the system text and the prompt
    QCOMPARE(compact(message),
             compactJson(R"({"type":"message","role":"assistant","model":"claude-opus-5-5",
                 "content":[{"type":"text","text":"Hello there"}],"stop_reason":"end_turn",
                 "stop_sequence":null,"usage":{"input_tokens":4,"output_tokens":2}})"));
}

void TestMessages::maxTokensCutsTheAnswer()
{
    const HttpResponse r = post(
        R"({"model":"claude-x","max_tokens":2,"messages":[{"role":"user","content":"one two three four"}]})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(),
             QStringLiteral("max_tokens"));
    QCOMPARE(compact(r.json().value(QStringLiteral("content"))),
             compactJson(R"([{"type":"text","text":"one two "}])"));
}

void TestMessages::stopSequenceEndsTheAnswer()
{
    // The echo model stops where a stop sequence first appears, and says which one.
    const QByteArray body
        = R"({"model":"claude-x","max_tokens":50,"stop_sequences":["four","three"],
        "messages":[{"role":"user","content":"one two three four"}]})";
    const HttpResponse r = post(body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(),
             QStringLiteral("stop_sequence"));
    QCOMPARE(r.json().value(QStringLiteral("stop_sequence")).toString(), QStringLiteral("three"));
    QCOMPARE(compact(r.json().value(QStringLiteral("content"))),
             compactJson(R"([{"type":"text","text":"one two "}])"));
    QByteArray streamed = body;
    streamed.replace("\"max_tokens\":50", "\"max_tokens\":50,\"stream\":true");
    const QList<Event> events = eventsOf(post(streamed));
    QCOMPARE(events.at(events.size() - 2).type, QStringLiteral("message_delta"));
    QCOMPARE(compact(events.at(events.size() - 2).json),
             compactJson(R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence",
                 "stop_sequence":"three"},"usage":{"output_tokens":2}})"));
    // A sequence that never appears: the reply ends by itself.
    const HttpResponse whole = post(
        R"({"model":"claude-x","max_tokens":50,"stop_sequences":["zzz"],"messages":[{"role":"user","content":"one two"}]})");
    QCOMPARE(whole.json().value(QStringLiteral("stop_reason")).toString(),
             QStringLiteral("end_turn"));
    QVERIFY(whole.json().value(QStringLiteral("stop_sequence")).isNull());
}

void TestMessages::stopSequenceNamedByTheUpstream()
{
    // vLLM names the stop string that matched in the choice's `stop_reason`; one of the
    // request's own becomes stop_sequence. Others (a token id, a string not asked for) do not.
    const auto replyNaming = [](const QJsonValue &which) {
        QJsonObject last = FakeUpstream::finishChunk(QStringLiteral("stop"));
        QJsonArray choices = last.value(QStringLiteral("choices")).toArray();
        QJsonObject choice = choices.first().toObject();
        choice.insert(QStringLiteral("stop_reason"), which);
        choices.replace(0, choice);
        last.insert(QStringLiteral("choices"), choices);
        return FakeUpstream::stream(
            {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("partial"))),
             FakeUpstream::sse(last), FakeUpstream::done()});
    };
    const QByteArray body
        = R"({"model":"claude-up-x","max_tokens":50,"stop_sequences":["END","STOP"],"messages":[{"role":"user","content":"go"}]})";
    m_upstream->setDefaultReply(replyNaming(QStringLiteral("STOP")));
    HttpResponse r = post(body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(),
             QStringLiteral("stop_sequence"));
    QCOMPARE(r.json().value(QStringLiteral("stop_sequence")).toString(), QStringLiteral("STOP"));
    m_upstream->setDefaultReply(replyNaming(128009)); // an end-of-turn token id
    r = post(body);
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
    QVERIFY(r.json().value(QStringLiteral("stop_sequence")).isNull());
    m_upstream->setDefaultReply(replyNaming(QStringLiteral("OTHER")));
    r = post(body);
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
}

void TestMessages::eventSequence()
{
    const HttpResponse r = post(
        R"({"model":"claude-x","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"alpha beta"}]})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    const QList<Event> events = eventsOf(r);
    QCOMPARE(typesOf(events),
             names({"message_start", "ping", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop"}));
    for (const Event &e : events)
        QCOMPARE(e.json.value(QStringLiteral("type")).toString(), e.type);
    QVERIFY(!r.body.contains("[DONE]"));
    QJsonObject start = events.at(0).json.value(QStringLiteral("message")).toObject();
    QVERIFY(start.value(QStringLiteral("id")).toString().startsWith(QLatin1String("msg_")));
    start.remove(QStringLiteral("id"));
    QCOMPARE(compact(start),
             compactJson(R"({"type":"message","role":"assistant","model":"claude-x","content":[],
                 "stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":2,"output_tokens":0}})"));
    QCOMPARE(compact(events.at(3).json), compactJson(R"({"type":"content_block_delta","index":0,
                 "delta":{"type":"text_delta","text":"alpha "}})"));
    QCOMPARE(compact(events.at(6).json),
             compactJson(R"({"type":"message_delta","delta":{"stop_reason":"end_turn",
                 "stop_sequence":null},"usage":{"output_tokens":2}})"));
}

void TestMessages::aliasesRouteEverySurface()
{
    // claude-up-* beats claude-*: the upstream agent answers
    HttpResponse r = post(
        R"({"model":"claude-up-1","max_tokens":50,"messages":[{"role":"user","content":"hi"}]})");
    QCOMPARE(r.status, 200);
    QCOMPARE(compact(r.json().value(QStringLiteral("content"))),
             compactJson(R"([{"type":"text","text":"Hello from upstream"}])"));
    // the aliases apply to chat completions and responses too
    r = m_gw->client().post("/v1/chat/completions",
                            R"({"model":"claude-up-2","messages":[{"role":"user","content":"x"}]})",
                            TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("Hello from upstream"));
    r = m_gw->client().post("/v1/responses", R"({"model":"claude-up-3","input":"x"})",
                            TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("Hello from upstream"));
    r = m_gw->client().post("/v1/chat/completions",
                            R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}]})",
                            TestGateway::kToken);
    QCOMPARE(r.status, 400);
}

void TestMessages::requestShapeUpstream()
{
    const HttpResponse r = post(
        R"({"model":"claude-up-x","max_tokens":128000,"temperature":0.3,"top_p":0.8,"top_k":5,
            "stop_sequences":["END"],"system":[{"type":"text","text":"Sys one."},{"type":"text","text":"Sys two."}],
            "messages":[{"role":"user","content":"first"},{"role":"assistant","content":"ok"},
                        {"role":"user","content":[{"type":"text","text":"second"}]},
                        {"role":"system","content":"late reminder"}]})");
    QCOMPARE(r.status, 200);
    QJsonObject upstream = lastUpstreamBody();
    QCOMPARE(upstream.value(QStringLiteral("model")).toString(), QStringLiteral("model-a"));
    QCOMPARE(upstream.value(QStringLiteral("max_tokens")).toInteger(), 128000);
    QCOMPARE(upstream.value(QStringLiteral("temperature")).toDouble(), 0.3);
    QCOMPARE(upstream.value(QStringLiteral("top_p")).toDouble(), 0.8);
    QVERIFY(!upstream.contains(QStringLiteral("top_k")));
    QCOMPARE(compact(upstream.value(QStringLiteral("stop"))), compactJson(R"(["END"])"));
    // no tools: the built prompt as one user turn, the system texts joined
    QCOMPARE(compact(upstream.value(QStringLiteral("messages"))),
             compactJson(
                 R"([{"role":"system","content":"Sys one.\nSys two.\n\nlate reminder"},
                     {"role":"user","content":"[Chat messages since your last reply - for context]\nUser: first\nAssistant: ok\n\n[Current message - respond to this]\nUser: second"}])"));
}

void TestMessages::toolUseBothWays()
{
    m_upstream->setDefaultReply(toolReply());
    HttpResponse r = post(
        QByteArray(R"({"model":"claude-up-x","max_tokens":100,)") + kWeatherTool
        + R"(,"tool_choice":{"type":"auto"},"messages":[{"role":"user","content":"Weather in Lyon?"}]})");
    QCOMPARE(r.status, 200);
    // tools upstream as function tools (the server tool stays back)
    QJsonObject upstream = lastUpstreamBody();
    QCOMPARE(
        compact(upstream.value(QStringLiteral("tools"))),
        compactJson(
            R"([{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}])"));
    QCOMPARE(upstream.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("auto"));
    // upstream tool calls back as tool_use blocks
    const QJsonObject message = r.json();
    QCOMPARE(message.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("tool_use"));
    const QJsonArray content = message.value(QStringLiteral("content")).toArray();
    QCOMPARE(content.size(), 2);
    QCOMPARE(compact(content.at(0)), compactJson(R"({"type":"text","text":"Let me check."})"));
    const QJsonObject use = content.at(1).toObject();
    const QString id = use.value(QStringLiteral("id")).toString();
    QVERIFY2(id.startsWith(QLatin1String("toolu_")), qPrintable(id));
    QCOMPARE(compact(use.value(QStringLiteral("input"))), compactJson(R"({"city":"Lyon"})"));
    QCOMPARE(use.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
    QCOMPARE(compact(message.value(QStringLiteral("usage"))),
             compactJson(R"({"input_tokens":12,"output_tokens":5})"));

    // the round goes on: tool_use and tool_result become tool_calls and a role: tool message
    m_upstream->setDefaultReply(textReply(QStringLiteral("Sunny in Lyon.")));
    const QByteArray round = QByteArray(R"({"model":"claude-up-x","max_tokens":100,)")
        + kWeatherTool + R"(,"messages":[{"role":"user","content":"Weather in Lyon?"},
              {"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":")"
        + id.toUtf8() + R"(","name":"get_weather","input":{"city":"Lyon"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":")"
        + id.toUtf8() + R"(","content":[{"type":"text","text":"sunny, 24C"}]}]}]})";
    r = post(round);
    QCOMPARE(r.status, 200);
    QCOMPARE(
        compact(lastUpstreamBody().value(QStringLiteral("messages"))),
        compact(
            QJsonDocument::fromJson(
                R"([{"role":"user","content":"Weather in Lyon?"},
                             {"role":"assistant","content":"Let me check.","tool_calls":[{"id":")"
                + id.toUtf8()
                + R"(","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
                             {"role":"tool","tool_call_id":")"
                + id.toUtf8() + R"(","content":"sunny, 24C"}])")
                .array()));
    QCOMPARE(compact(r.json().value(QStringLiteral("content"))),
             compactJson(R"([{"type":"text","text":"Sunny in Lyon."}])"));
    QCOMPARE(r.json().value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
}

void TestMessages::streamedToolUse()
{
    m_upstream->setDefaultReply(toolReply());
    const HttpResponse r
        = post(QByteArray(R"({"model":"claude-up-x","max_tokens":100,"stream":true,)")
               + kWeatherTool + R"(,"messages":[{"role":"user","content":"Weather?"}]})");
    QCOMPARE(r.status, 200);
    const QList<Event> events = eventsOf(r);
    QCOMPARE(typesOf(events),
             names({"message_start", "ping", "content_block_start", "content_block_delta",
                    "content_block_stop", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop"}));
    const QJsonObject toolStart = events.at(5).json;
    QCOMPARE(toolStart.value(QStringLiteral("index")).toInt(), 1);
    const QJsonObject block = toolStart.value(QStringLiteral("content_block")).toObject();
    QCOMPARE(block.value(QStringLiteral("type")).toString(), QStringLiteral("tool_use"));
    QCOMPARE(block.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
    QCOMPARE(compact(block.value(QStringLiteral("input"))), QStringLiteral("{}"));
    QString json;
    for (int i : {6, 7}) {
        const QJsonObject delta = events.at(i).json.value(QStringLiteral("delta")).toObject();
        QCOMPARE(delta.value(QStringLiteral("type")).toString(),
                 QStringLiteral("input_json_delta"));
        json += delta.value(QStringLiteral("partial_json")).toString();
    }
    QCOMPARE(json, QStringLiteral("{\"city\":\"Lyon\"}"));
    QCOMPARE(compact(events.at(9).json),
             compactJson(R"({"type":"message_delta","delta":{"stop_reason":"tool_use",
                 "stop_sequence":null},"usage":{"output_tokens":5}})"));
}

void TestMessages::failureBeforeTheHeaders_data()
{
    QTest::addColumn<int>("upstream");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("retryAfter");
    QTest::newRow("500") << 500 << 502
                         << anthropicError("api_error", QStringLiteral("upstream provider error"))
                         << false;
    QTest::newRow("503") << 503 << 529
                         << anthropicError("overloaded_error",
                                           QStringLiteral("upstream provider overloaded"))
                         << true;
    QTest::newRow("429") << 429 << 429
                         << anthropicError("rate_limit_error",
                                           QStringLiteral("upstream provider rate limit reached"))
                         << true;
    QTest::newRow("401") << 401 << 401
                         << anthropicError(
                                "authentication_error",
                                QStringLiteral("upstream provider rejected the credentials"))
                         << false;
    QTest::newRow("403") << 403 << 403
                         << anthropicError("permission_error",
                                           QStringLiteral("upstream provider denied access"))
                         << false;
    QTest::newRow("400") << 400 << 400
                         << anthropicError("invalid_request_error", QStringLiteral("nope"))
                         << false;
    QTest::newRow("timeout") << 0 << 504
                             << anthropicError("api_error",
                                               QStringLiteral("upstream provider timeout"))
                             << false;
}

void TestMessages::failureBeforeTheHeaders()
{
    QFETCH(int, upstream);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, retryAfter);
    FakeUpstream::Reply reply;
    if (upstream == 0) {
        reply.answer = false; // silent: the slow provider's 300 ms first-event deadline
    } else {
        reply = FakeUpstream::error(upstream, QStringLiteral("nope"),
                                    QStringLiteral("invalid_request_error"));
    }
    m_upstream->setDefaultReply(reply);
    const HttpResponse r
        = post(QByteArray(R"({"model":")") + (upstream == 0 ? "slow-1" : "claude-up-x")
               + R"(","max_tokens":10,"messages":[{"role":"user","content":"x"}]})");
    QCOMPARE(r.status, status);
    QCOMPARE(r.body, body);
    if (retryAfter)
        QVERIFY2(r.header("retry-after").toInt() >= 1, r.header("retry-after").constData());
    else
        QVERIFY(r.header("retry-after").isEmpty());
}

void TestMessages::fullQueueIs529()
{
    // slowp admits one run at once and queues none: a second run meets a full queue.
    FakeUpstream::Reply held = FakeUpstream::stream({});
    held.chunks.append({FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("late"),
                                                                     QStringLiteral("stop")))
                            + FakeUpstream::done(),
                        0, true});
    m_upstream->setDefaultReply(held);
    m_gw->update([](GatewayConfig &c) { c.providers[QStringLiteral("slowp")].timeoutMs = 10000; });
    TestHttpClient first(m_gw->port());
    QVERIFY(first.open(TestHttpClient::buildRequest(
        "POST", kPath, {{"x-api-key", TestGateway::kToken}},
        R"({"model":"slow-1","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]})",
        "127.0.0.1")));
    QVERIFY(first.waitForData("message_start"));
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    const HttpResponse r
        = post(R"({"model":"slow-1","max_tokens":10,"messages":[{"role":"user","content":"y"}]})");
    QCOMPARE(r.status, 529);
    QCOMPARE(r.body, anthropicError("overloaded_error", QStringLiteral("upstream provider busy")));
    QCOMPARE(r.header("retry-after"), QByteArray("1"));
    m_upstream->releaseHeld();
    QVERIFY(first.waitForData("message_stop"));
    m_gw->update([](GatewayConfig &c) { c.providers[QStringLiteral("slowp")].timeoutMs = 300; });
}

void TestMessages::failureAfterTheHeaders()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("half an"))),
    })); // cut: no finish, no [DONE]
    HttpResponse r = post(
        R"({"model":"claude-up-x","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]})");
    QCOMPARE(r.status, 200);
    QList<Event> events = eventsOf(r);
    QCOMPARE(
        typesOf(events),
        names({"message_start", "ping", "content_block_start", "content_block_delta", "error"}));
    QCOMPARE(events.last().data,
             anthropicError("api_error", QStringLiteral("upstream provider error")));

    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("half"))),
        QByteArray(R"(data: {"error":{"message":"busy","code":503}})"
                   "\n\n"),
    }));
    r = post(
        R"({"model":"claude-up-x","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]})");
    events = eventsOf(r);
    QCOMPARE(events.last().type, QStringLiteral("error"));
    QCOMPARE(events.last()
                 .json.value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("overloaded_error"));
}

void TestMessages::pingWhileSilent()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({});
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("late"),
                                                                      QStringLiteral("stop")))
                             + FakeUpstream::done(),
                         0, true});
    m_upstream->setDefaultReply(reply);
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kPath, {{"x-api-key", TestGateway::kToken}},
        R"({"model":"claude-up-x","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]})",
        "127.0.0.1")));
    // message_start and a ping at once, before the upstream said anything; then pings.
    const QByteArray ping = SseWriter::chunk(SseWriter::eventFrame("ping", R"({"type":"ping"})"));
    QVERIFY(client.waitForData(ping));
    QVERIFY(client.waitForData(ping + ping + ping)); // the keep-alives, one after the other
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QVERIFY(client.waitForData("event: message_stop"));
    const QStringList types = typesOf(eventsOf(client.current()));
    QCOMPARE(types.mid(0, 3), names({"message_start", "ping", "ping"}));
    QVERIFY(!client.current().body.contains(": keep-alive"));
    QCOMPARE(types.last(), QStringLiteral("message_stop"));
}

void TestMessages::clientLeavingAbortsTheUpstream()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("first words"))),
    });
    reply.chunks.append({FakeUpstream::done(), 0, true});
    m_upstream->setDefaultReply(reply);
    const int closedBefore = m_upstream->clientClosedCount();
    TestHttpClient client(m_gw->port());
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kPath, {{"x-api-key", TestGateway::kToken}},
        R"({"model":"claude-up-x","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]})",
        "127.0.0.1")));
    QVERIFY(client.waitForData("first words"));
    client.close();
    QTRY_COMPARE(m_upstream->clientClosedCount(), closedBefore + 1);
    m_upstream->releaseHeld();
}

void TestMessages::statelessUnlessSessionKey()
{
    const QByteArray first
        = R"({"model":"claude-up-x","max_tokens":10,"metadata":{"user_id":"same-user"},"messages":[{"role":"user","content":"first"}]})";
    const QByteArray second
        = R"({"model":"claude-up-x","max_tokens":10,"metadata":{"user_id":"same-user"},"messages":[{"role":"user","content":"second"}]})";
    QCOMPARE(post(first).status, 200);
    QCOMPARE(post(second).status, 200);
    QCOMPARE(compact(lastUpstreamBody().value(QStringLiteral("messages"))),
             compactJson(R"([{"role":"user","content":"second"}])"));
    const TestHttpClient::Headers session {{"x-openclaw-session-key", "claude-work"}};
    QCOMPARE(post(first, kPath, session).status, 200);
    QCOMPARE(post(second, kPath, session).status, 200);
    QCOMPARE(compact(lastUpstreamBody().value(QStringLiteral("messages"))),
             compactJson(R"([{"role":"user","content":"first"},
                 {"role":"assistant","content":"Hello from upstream"},
                 {"role":"user","content":"second"}])"));
}

void TestMessages::countTokens()
{
    // words of the agent's and the request's system text and of the built prompt, as the echo
    // provider counts its input tokens
    const QByteArray body
        = R"({"model":"claude-ops","system":"Answer briefly.","messages":[{"role":"user","content":"how many words here"}],"tools":[{"name":"f","input_schema":{}}]})";
    HttpResponse r = post(body, kCount + "?beta=true");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray(R"({"input_tokens":9})"));
    QByteArray create = body;
    create.insert(1, R"("max_tokens":100,)");
    r = post(create);
    QCOMPARE(r.json()
                 .value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("input_tokens"))
                 .toInt(),
             9);
    // no upstream call, no run
    const int before = int(m_upstream->requests().size());
    r = post(R"({"model":"claude-up-x","messages":[{"role":"user","content":"a b c"}]})", kCount);
    QCOMPARE(r.body, QByteArray(R"({"input_tokens":3})"));
    QCOMPARE(int(m_upstream->requests().size()), before);
}

QTEST_MAIN(TestMessages)
#include "tst_messages.moc"
