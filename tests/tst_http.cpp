// HTTP contract of SPEC.md sections 3-6 as a client sees it: a real gateway on port 0, raw sockets,
// exact statuses, headers and bodies.

#include "support/TestGateway.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kHello
    = R"({"model":"openclaw","messages":[{"role":"user","content":"hi there"}]})";

QByteArray errorBody(const char *message, const char *type)
{
    return QJsonDocument(
               QJsonObject {{QStringLiteral("error"),
                             QJsonObject {{QStringLiteral("message"), QString::fromUtf8(message)},
                                          {QStringLiteral("type"), QString::fromUtf8(type)}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestHttp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void health_data();
    void health();
    void commonHeaders();
    void notFound();
    void disabledEndpointIsNotFound();
    void methodNotAllowed();
    void fileEditAppliesLive();
    void unauthorized_data();
    void unauthorized();
    void passwordMode();
    void rateLimiterLocksOut();
    void namedTokenAgentList();
    void payloadTooLarge();
    void payloadTooLargeBeforeBody();
    void authBeforeSize();
    void expectContinue();
    void badRequests_data();
    void badRequests();
    void nonStreaming();
    void streamingFrameOrder();
    void streamingIncludeUsage();
    void maxTokensAndStop();
    void hostGuard_data();
    void hostGuard();
    void cors();
    void models();
    void disconnectAbortsRun();
    void keepAliveWhileSilent();
    void portTakenReportsError();

private:
    std::unique_ptr<TestGateway> m_gw;
};

void TestHttp::initTestCase()
{
    m_gw = std::make_unique<TestGateway>(TestGateway::configText(
        {},
        "agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },"
        " { id: 'beta', model: 'echo/echo', systemPrompt: 'Be brief.' },"
        " { id: 'slow', model: 'slow/echo' } ] },"
        "models: { providers: { slow: { api: 'echo', chunkDelayMs: 40 } } },"
        "passerelle: { http: { keepAliveMs: 30 } }"));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    QVERIFY(m_gw->port() > 0);
}

void TestHttp::cleanupTestCase()
{
    m_gw.reset();
}

void TestHttp::health_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("GET") << QByteArray("GET") << QByteArray(R"({"ok":true,"status":"live"})");
    QTest::newRow("HEAD has no body") << QByteArray("HEAD") << QByteArray();
}

void TestHttp::health()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    const HttpResponse r = m_gw->client().request(method, "/health");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, body);
    QCOMPARE(r.header("cache-control"), QByteArray("no-store"));
    QCOMPARE(r.header("content-length"), QByteArray::number(27));
}

void TestHttp::commonHeaders()
{
    const QList<HttpResponse> responses {
        m_gw->client().request("GET", "/health"),
        m_gw->client().request("GET", "/nope"),
        m_gw->client().post(kChat, kHello, {}),
        m_gw->client().post(kChat, kHello, TestGateway::kToken),
    };
    for (const HttpResponse &r : responses) {
        QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(r.header("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(!r.header("x-request-id").isEmpty());
    }
    const HttpResponse echoed
        = m_gw->client().request("GET", "/health", {{"x-request-id", "abc-123"}});
    QCOMPARE(echoed.header("x-request-id"), QByteArray("abc-123"));
}

void TestHttp::notFound()
{
    for (const QByteArray method : {"GET", "POST", "DELETE"}) {
        const HttpResponse r = m_gw->client().request(method, "/v2/anything");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, QByteArray("Not Found"));
        QVERIFY(r.header("content-type").startsWith("text/plain"));
    }
}

void TestHttp::disabledEndpointIsNotFound()
{
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    for (const QByteArray method : {"GET", "POST", "PUT", "OPTIONS"}) {
        const HttpResponse r = m_gw->client().request(
            method, kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
            kHello);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, QByteArray("Not Found"));
    }
    QCOMPARE(m_gw->client().request("GET", "/v1/models").status, 404);
    // Live: switching it back on needs no restart.
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = true; });
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
}

void TestHttp::fileEditAppliesLive()
{
    // An edit of the watched file switches the endpoint without a restart; a broken edit keeps the
    // previous settings serving.
    QFile file(m_gw->configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray original = file.readAll();
    file.close();
    // The file is JSON5 as written by the test, or JSON once the store has saved it.
    const QByteArray disabled
        = QString::fromUtf8(original)
              .replace(QRegularExpression(QStringLiteral("(enabled\"?\\s*:\\s*)true")),
                       QStringLiteral("\\1false"))
              .toUtf8();
    QVERIFY(disabled != original);
    auto write = [&](const QByteArray &bytes) {
        QFile f(m_gw->configPath());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
    };
    write(disabled);
    QTRY_COMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 404);
    QSignalSpy failed(&m_gw->store(), &ConfigStore::loadFailed);
    write("{ gateway: { port: 0,, } }");
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 404);
    write(original);
    QTRY_COMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
}

void TestHttp::methodNotAllowed()
{
    for (const QByteArray method : {"GET", "PUT", "DELETE", "OPTIONS"}) {
        const HttpResponse r = m_gw->client().request(method, kChat);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.body, QByteArray("Method Not Allowed"));
        QCOMPARE(r.header("allow"), QByteArray("POST"));
    }
}

void TestHttp::unauthorized_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("missing") << QByteArray() << 401;
    QTest::newRow("wrong") << QByteArray("Bearer nope") << 401;
    QTest::newRow("basic scheme") << QByteArray("Basic dGVzdA==") << 401;
    QTest::newRow("token without scheme") << QByteArray(TestGateway::kToken) << 401;
    QTest::newRow("prefix of the token") << QByteArray("Bearer test-token") << 401;
    QTest::newRow("right") << "Bearer " + QByteArray(TestGateway::kToken) << 200;
    QTest::newRow("scheme case-insensitive") << "bEARER " + QByteArray(TestGateway::kToken) << 200;
    QTest::newRow("value trimmed") << "Bearer   " + QByteArray(TestGateway::kToken) + "  " << 200;
}

void TestHttp::unauthorized()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    TestHttpClient::Headers headers {{"Content-Type", "application/json"}};
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResponse r = m_gw->client().request("POST", kChat, headers, kHello);
    QCOMPARE(r.status, status);
    if (status == 401)
        QCOMPARE(r.body, errorBody("Unauthorized", "unauthorized"));
}

void TestHttp::passwordMode()
{
    m_gw->update([](GatewayConfig &c) {
        c.auth.mode = AuthMode::Password;
        c.auth.modeExplicit = true;
        c.auth.password = QStringLiteral("s3cret pass");
    });
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 401);
    QCOMPARE(m_gw->client().post(kChat, kHello, "s3cret pass").status, 200);
    m_gw->update([](GatewayConfig &c) {
        c.auth.mode = AuthMode::Token;
        c.auth.password.clear();
    });
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
}

void TestHttp::rateLimiterLocksOut()
{
    m_gw->update([](GatewayConfig &c) {
        c.auth.rateLimit = RateLimitConfig {3, 60000, 120000, false};
    });
    QSignalSpy locked(&m_gw->controller(), &GatewayController::ipLockedOut);
    // A missing credential is not counted.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_gw->client().post(kChat, kHello, {}).status, 401);
    QCOMPARE(m_gw->client().post(kChat, kHello, "wrong-1").status, 401);
    QCOMPARE(m_gw->client().post(kChat, kHello, "wrong-2").status, 401);
    // The failure that reaches the limit still gets 401 ...
    QCOMPARE(m_gw->client().post(kChat, kHello, "wrong-3").status, 401);
    // ... the next request 429, even with the right secret.
    const HttpResponse r = m_gw->client().post(kChat, kHello, TestGateway::kToken);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.body,
             errorBody("Too many failed authentication attempts. Please try again later.",
                       "rate_limited"));
    const int retryAfter = r.header("retry-after").toInt();
    QVERIFY2(retryAfter > 100 && retryAfter <= 120, r.header("retry-after").constData());
    QTRY_COMPARE(locked.count(), 1);
    QCOMPARE(locked.first().first().toString(), QStringLiteral("127.0.0.1"));
    // /health is never behind auth.
    QCOMPARE(m_gw->client().request("GET", "/health").status, 200);
    // The panel's "clear" lifts it.
    m_gw->controller().clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
    m_gw->update([](GatewayConfig &c) { c.auth.rateLimit = RateLimitConfig {}; });
}

void TestHttp::namedTokenAgentList()
{
    const QByteArray secret = "named-secret-for-beta";
    m_gw->update([&](GatewayConfig &c) {
        NamedToken t;
        t.name = QStringLiteral("ci-bot");
        t.sha256Hex = QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
        t.agents = {QStringLiteral("beta")};
        t.createdAt = QDateTime::currentDateTimeUtc();
        c.auth.tokens = {t};
    });
    const QByteArray forBeta
        = R"({"model":"openclaw/beta","messages":[{"role":"user","content":"x"}]})";
    QCOMPARE(m_gw->client().post(kChat, forBeta, secret).status, 200);
    const HttpResponse r = m_gw->client().post(kChat, kHello, secret);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body, errorBody("token may not use agent 'main'", "permission_error"));
    m_gw->update([](GatewayConfig &c) { c.auth.tokens.clear(); });
    QCOMPARE(m_gw->client().post(kChat, forBeta, secret).status, 401);
}

void TestHttp::payloadTooLarge()
{
    m_gw->update([](GatewayConfig &c) { c.maxBodyBytes = 1000; });
    const QByteArray big
        = R"({"messages":[{"role":"user","content":")" + QByteArray(2000, 'a') + "\"}]}";
    const HttpResponse r = m_gw->client().post(kChat, big, TestGateway::kToken);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.body, errorBody("Payload too large", "invalid_request_error"));
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
    m_gw->update([](GatewayConfig &c) { c.maxBodyBytes = 20971520; });
}

void TestHttp::payloadTooLargeBeforeBody()
{
    // A declared 1 GB body is refused from its Content-Length alone: nothing of it is sent.
    TestHttpClient client = m_gw->client();
    const HttpResponse r = client.raw("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Authorization: Bearer "
                                      + QByteArray(TestGateway::kToken)
                                      + "\r\nContent-Length: 1000000000\r\n\r\n{\"messages\":");
    QCOMPARE(r.status, 413);
    QCOMPARE(r.body, errorBody("Payload too large", "invalid_request_error"));
    QCOMPARE(r.header("connection"), QByteArray("close"));
}

void TestHttp::authBeforeSize()
{
    const HttpResponse r = m_gw->client().raw("POST /v1/chat/completions HTTP/1.1\r\nHost: "
                                              "127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n");
    QCOMPARE(r.status, 401);
}

void TestHttp::expectContinue()
{
    TestHttpClient client = m_gw->client();
    const QByteArray head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer "
        + QByteArray(TestGateway::kToken) + "\r\nExpect: 100-continue\r\nContent-Length: "
        + QByteArray::number(kHello.size()) + "\r\n\r\n";
    QVERIFY(client.open(head));
    QVERIFY(client.waitForData("HTTP/1.1 100 Continue\r\n\r\n"));
    client.close();
}

void TestHttp::badRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("message");
    const QByteArrayList none;
    QTest::newRow("invalid JSON") << QByteArray("{nope") << none
                                  << QStringLiteral("Invalid JSON body");
    QTest::newRow("array body") << QByteArray("[1]") << none
                                << QStringLiteral("Request body must be a JSON object");
    QTest::newRow("empty body") << QByteArray() << none
                                << QStringLiteral("Missing user message in `messages`.");
    QTest::newRow("messages not array") << QByteArray(R"({"messages":"hi"})") << none
                                        << QStringLiteral("messages: expected an array");
    QTest::newRow("temperature") << QByteArray(R"({"temperature":3,"messages":[]})") << none
                                 << QStringLiteral("`temperature` must be between 0 and 2.");
    QTest::newRow("bad model")
        << QByteArray(R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}]})") << none
        << QStringLiteral("Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.");
    QTest::newRow("unknown agent")
        << QByteArray(R"({"model":"openclaw/ghost","messages":[{"role":"user","content":"x"}]})")
        << none << QStringLiteral("Unknown agent 'ghost'.");
    QTest::newRow("unknown agent header")
        << kHello << QByteArrayList {"x-openclaw-agent-id", "ghost"}
        << QStringLiteral("Unknown agent 'ghost'.");
    QTest::newRow("reserved session")
        << kHello << QByteArrayList {"x-openclaw-session-key", "cron:nightly"}
        << QStringLiteral(
               "`x-openclaw-session-key` cannot use reserved internal session namespaces.");
    QTest::newRow("no user message")
        << QByteArray(R"({"messages":[{"role":"system","content":"x"}]})") << none
        << QStringLiteral("Missing user message in `messages`.");
}

void TestHttp::badRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, message);
    TestHttpClient::Headers extra;
    for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
        extra.append({headers[i], headers[i + 1]});
    const HttpResponse r = m_gw->client().post(kChat, body, TestGateway::kToken, extra);
    QCOMPARE(r.status, 400);
    const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("message")).toString(), message);
    QCOMPARE(error.value(QStringLiteral("type")).toString(),
             QStringLiteral("invalid_request_error"));
}

void TestHttp::nonStreaming()
{
    const HttpResponse r = m_gw->client().post(
        kChat,
        R"({"model":"openclaw:beta","messages":[{"role":"system","content":"Use French."},{"role":"user","content":"hello  big world"}]})",
        TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    const QJsonObject o = r.json();
    QVERIFY(QRegularExpression(QStringLiteral("^chatcmpl_[0-9a-f-]{36}$"))
                .match(o.value(QStringLiteral("id")).toString())
                .hasMatch());
    QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
    QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("openclaw:beta"));
    QVERIFY(
        qAbs(o.value(QStringLiteral("created")).toInteger() - QDateTime::currentSecsSinceEpoch())
        < 5);
    const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
    const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value(QStringLiteral("content")).toString(),
             QStringLiteral("hello  big world"));
    const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
    // prompt: "Be brief." + "Use French." (system) + 3 words; completion: 3 words
    QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), 7);
    QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), 3);
    QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), 10);
}

void TestHttp::streamingFrameOrder()
{
    const HttpResponse r = m_gw->client().post(
        kChat,
        R"({"stream":true,"model":"openclaw","messages":[{"role":"user","content":"one two three"}]})",
        TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(r.header("cache-control"), QByteArray("no-cache"));
    QVERIFY(r.chunked);
    QVERIFY(r.complete);
    const QList<QByteArray> data = r.sseData();
    QCOMPARE(data.size(), 6); // role, 3 words, finish, [DONE]
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    QString id;
    qint64 created = 0;
    QStringList words;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject chunk = QJsonDocument::fromJson(data[i]).object();
        QCOMPARE(chunk.value(QStringLiteral("object")).toString(),
                 QStringLiteral("chat.completion.chunk"));
        if (i == 0) {
            id = chunk.value(QStringLiteral("id")).toString();
            created = chunk.value(QStringLiteral("created")).toInteger();
        }
        QCOMPARE(chunk.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(chunk.value(QStringLiteral("created")).toInteger(), created);
        const QJsonObject choice
            = chunk.value(QStringLiteral("choices")).toArray().first().toObject();
        const QJsonObject delta = choice.value(QStringLiteral("delta")).toObject();
        if (i == 0) {
            QCOMPARE(delta, (QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")}}));
            QVERIFY(choice.value(QStringLiteral("finish_reason")).isNull());
        } else if (i < 4) {
            words.append(delta.value(QStringLiteral("content")).toString());
            QVERIFY(choice.value(QStringLiteral("finish_reason")).isNull());
        } else {
            QVERIFY(delta.isEmpty());
            QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(),
                     QStringLiteral("stop"));
        }
    }
    QCOMPARE(
        words,
        (QStringList {QStringLiteral("one "), QStringLiteral("two "), QStringLiteral("three")}));
}

void TestHttp::streamingIncludeUsage()
{
    const HttpResponse r = m_gw->client().post(
        kChat,
        R"({"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b"}]})",
        TestGateway::kToken);
    const QList<QByteArray> data = r.sseData();
    QCOMPARE(data.size(), 6); // role, a, b, finish, usage, [DONE]
    const QJsonObject usageChunk = QJsonDocument::fromJson(data[4]).object();
    QCOMPARE(usageChunk.value(QStringLiteral("choices")).toArray().size(), 0);
    QCOMPARE(usageChunk.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             2);
    QCOMPARE(data[5], QByteArray("[DONE]"));
}

void TestHttp::maxTokensAndStop()
{
    HttpResponse r = m_gw->client().post(
        kChat, R"({"max_tokens":2,"messages":[{"role":"user","content":"a b c d"}]})",
        TestGateway::kToken);
    QJsonObject choice = r.json().value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("length"));
    QCOMPARE(choice.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toString(),
             QStringLiteral("a b "));
    r = m_gw->client().post(kChat,
                            R"({"stop":["c"],"messages":[{"role":"user","content":"a b c d"}]})",
                            TestGateway::kToken);
    choice = r.json().value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
    QCOMPARE(choice.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toString(),
             QStringLiteral("a b "));
}

void TestHttp::hostGuard_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1 with port") << QByteArray("127.0.0.1:18789") << 200;
    QTest::newRow("localhost") << QByteArray("localhost") << 200;
    QTest::newRow("LOCALHOST any port") << QByteArray("LOCALHOST:1") << 200;
    QTest::newRow("[::1]") << QByteArray("[::1]:80") << 200;
    QTest::newRow("rebinding name") << QByteArray("evil.example:18789") << 403;
    QTest::newRow("lan address") << QByteArray("192.168.1.2") << 403;
}

void TestHttp::hostGuard()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    const HttpResponse r = m_gw->client().request("GET", "/health", {{"Host", host}});
    QCOMPARE(r.status, status);
    if (status == 403)
        QCOMPARE(r.body, errorBody("Host not allowed", "forbidden"));
}

void TestHttp::cors()
{
    m_gw->update(
        [](GatewayConfig &c) { c.corsOrigins = {QStringLiteral("http://app.local:3000")}; });
    HttpResponse r
        = m_gw->client().request("GET", "/health", {{"Origin", "http://app.local:3000"}});
    QCOMPARE(r.header("access-control-allow-origin"), QByteArray("http://app.local:3000"));
    QCOMPARE(r.header("vary"), QByteArray("Origin"));
    r = m_gw->client().request("GET", "/health", {{"Origin", "http://other.local"}});
    QVERIFY(r.header("access-control-allow-origin").isEmpty());

    r = m_gw->client().request("OPTIONS", kChat,
                               {{"Origin", "http://app.local:3000"},
                                {"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers",
                                 "authorization, content-type, x-stainless-os, x-evil"}});
    QCOMPARE(r.status, 204);
    QCOMPARE(r.header("access-control-allow-origin"), QByteArray("http://app.local:3000"));
    QCOMPARE(r.header("access-control-allow-methods"), QByteArray("GET, POST, OPTIONS"));
    QCOMPARE(r.header("access-control-allow-headers"),
             QByteArray("authorization, content-type, x-stainless-os"));
    r = m_gw->client().request("OPTIONS", kChat, {{"Origin", "http://other.local"}});
    QCOMPARE(r.status, 405);
    QVERIFY(r.header("access-control-allow-origin").isEmpty());
    m_gw->update([](GatewayConfig &c) { c.corsOrigins.clear(); });
}

void TestHttp::models()
{
    const QByteArray auth = "Bearer " + QByteArray(TestGateway::kToken);
    HttpResponse r = m_gw->client().request("GET", "/v1/models", {{"Authorization", auth}});
    QCOMPARE(r.status, 200);
    const QJsonObject list = r.json();
    QCOMPARE(list.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
    QStringList ids;
    const QJsonArray data = list.value(QStringLiteral("data")).toArray();
    for (const QJsonValue &v : data) {
        const QJsonObject m = v.toObject();
        QCOMPARE(m.value(QStringLiteral("object")).toString(), QStringLiteral("model"));
        QCOMPARE(m.value(QStringLiteral("owned_by")).toString(), QStringLiteral("openclaw"));
        QCOMPARE(m.value(QStringLiteral("created")).toInt(), 0);
        ids.append(m.value(QStringLiteral("id")).toString());
    }
    QCOMPARE(ids,
             (QStringList {QStringLiteral("openclaw"), QStringLiteral("openclaw/default"),
                           QStringLiteral("openclaw/main"), QStringLiteral("openclaw/beta"),
                           QStringLiteral("openclaw/slow")}));
    r = m_gw->client().request("GET", "/v1/models/openclaw/beta", {{"Authorization", auth}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), QStringLiteral("openclaw/beta"));
    r = m_gw->client().request("GET", "/v1/models/gpt-4", {{"Authorization", auth}});
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, errorBody("Model 'gpt-4' not found.", "invalid_request_error"));
    QCOMPARE(m_gw->client().request("GET", "/v1/models").status, 401);
}

void TestHttp::disconnectAbortsRun()
{
    QSignalSpy batches(&m_gw->controller(), &GatewayController::logBatch);
    TestHttpClient client = m_gw->client();
    QByteArray words;
    for (int i = 0; i < 200; ++i)
        words += "w" + QByteArray::number(i) + ' ';
    const QByteArray body
        = R"({"stream":true,"model":"openclaw/slow","messages":[{"role":"user","content":")"
        + words.trimmed() + "\"}]}";
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}}, body,
        "127.0.0.1")));
    QVERIFY(client.waitForData("w1 "));
    client.close();
    // The run ends at once as "client closed" (499) instead of streaming 200 words for 8 s.
    auto sawAbort = [&] {
        for (const QList<QVariant> &args : std::as_const(batches)) {
            const LogBatch batch = args.first().value<LogBatch>();
            for (const RequestRecord &rec : batch.records) {
                if (rec.finished && rec.status == 499 && rec.agentId == QLatin1String("slow"))
                    return rec.durationMs < 4000;
            }
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawAbort(), 5000);
    QCOMPARE(m_gw->client().post(kChat, kHello, TestGateway::kToken).status, 200);
}

void TestHttp::keepAliveWhileSilent()
{
    // slow/echo pauses 40 ms between words; with keepAliveMs 30 a comment shows up between them.
    const HttpResponse r = m_gw->client().post(
        kChat,
        R"({"stream":true,"model":"openclaw/slow","messages":[{"role":"user","content":"a b c d e"}]})",
        TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.sseFrames().contains(": keep-alive"));
    QCOMPARE(r.sseData().last(), QByteArray("[DONE]"));
}

void TestHttp::portTakenReportsError()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const quint16 oldPort = m_gw->port();
    m_gw->update([&](GatewayConfig &c) { c.port = blocker.serverPort(); });
    const ServerStatus status = m_gw->controller().status();
    QVERIFY2(status.error.contains(QString::number(blocker.serverPort())),
             qPrintable(status.error));
    // Still serving on the previous port.
    QCOMPARE(status.port, oldPort);
    QCOMPARE(TestHttpClient(oldPort).request("GET", "/health").status, 200);
    m_gw->update([](GatewayConfig &c) { c.port = 0; });
}

QTEST_GUILESS_MAIN(TestHttp)
#include "tst_http.moc"
