// The relay to an OpenAI-compatible upstream as a client of the gateway sees it (SPEC.md sections
// 4, 7 and 9): a real gateway on port 0 in front of the FakeUpstream (in its own thread, since the
// test client blocks). Status mapping, the mid-stream error frame, keep-alives while the upstream
// is silent, a client disconnect closing the upstream connection, fallbacks, session history, and
// transcripts that survive a restart and a kill -9 of the real binary.

#include "support/FakeUpstream.h"
#include "support/GatewayProcess.h"
#include "support/RawPeer.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <cctype>
#include <sys/socket.h>
#include <type_traits>

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTcpServer>
#include <QTest>
#include <QThread>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QString kUpstreamKey = QStringLiteral("sk-relay-secret-000111");

QByteArray chatBody(const QByteArray &model, const QByteArray &content, bool stream,
                    const QByteArray &extra = {})
{
    return "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]" + extra + "}";
}

QString compact(const QJsonValue &value)
{
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

QJsonObject frameJson(const QByteArray &data)
{
    return QJsonDocument::fromJson(data).object();
}

// "content:<text>", "tool:<index>", "finish:<reason>", "usage:<p>+<c>", "error:<message>/<type>",
// "[DONE]" for each data frame after the role chunk.
QStringList describe(const QList<QByteArray> &data)
{
    QStringList out;
    for (qsizetype i = 1; i < data.size(); ++i) {
        if (data.at(i) == "[DONE]") {
            out << QStringLiteral("[DONE]");
            continue;
        }
        const QJsonObject frame = frameJson(data.at(i));
        if (frame.contains(QStringLiteral("error"))) {
            const QJsonObject e = frame.value(QStringLiteral("error")).toObject();
            out << QStringLiteral("error:%1/%2")
                       .arg(e.value(QStringLiteral("message")).toString(),
                            e.value(QStringLiteral("type")).toString());
            continue;
        }
        const QJsonArray choices = frame.value(QStringLiteral("choices")).toArray();
        if (choices.isEmpty()) {
            const QJsonObject u = frame.value(QStringLiteral("usage")).toObject();
            out << QStringLiteral("usage:%1+%2")
                       .arg(u.value(QStringLiteral("prompt_tokens")).toInt())
                       .arg(u.value(QStringLiteral("completion_tokens")).toInt());
            continue;
        }
        const QJsonObject choice = choices.first().toObject();
        const QJsonObject delta = choice.value(QStringLiteral("delta")).toObject();
        if (delta.contains(QStringLiteral("content")))
            out << QStringLiteral("content:") + delta.value(QStringLiteral("content")).toString();
        for (const QJsonValue &call : delta.value(QStringLiteral("tool_calls")).toArray())
            out << QStringLiteral("tool:") + compact(call);
        if (choice.value(QStringLiteral("finish_reason")).isString())
            out << QStringLiteral("finish:")
                    + choice.value(QStringLiteral("finish_reason")).toString();
    }
    return out;
}

FakeUpstream::Reply helloReply(const QString &text = QStringLiteral("Hello from upstream"))
{
    return FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(text)),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::sse(FakeUpstream::usageChunk(11, 4)),
        FakeUpstream::done(),
    });
}

} // namespace

class TestRelay final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void nonStreamingRelay();
    void streamingRelay();
    void streamHeadBeforeUpstreamAnswers();
    void toolCallsBothWays();
    void wireKeyOrder();
    void statusMapping_data();
    void statusMapping();
    void streamErrorFrame_data();
    void streamErrorFrame();
    void keepAliveWhileUpstreamSilent();
    void clientDisconnectClosesUpstream();
    void fallbackAfterFailure();
    void stableSessionSendsHistory();
    void historyIsBounded();
    void transcriptSurvivesRestartAndKill();

private:
    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<TestGateway> m_gw;
    quint16 m_deadPort = 0;
};

void TestRelay::initTestCase()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    m_deadPort = closed.serverPort();
    closed.close();

    const QByteArray base = m_upstream->baseUrl().toUtf8();
    const QByteArray root
        = "agents: { list: ["
          " { id: 'main', default: true, model: 'local/model-a', systemPrompt: 'You are a test.' },"
          " { id: 'fb', model: { primary: 'dead/x', fallbacks: ['local/model-b'] } },"
          " { id: 'quick', model: 'quick/model-q' } ] },"
          "models: { providers: {"
          " local: { api: 'openai-completions', baseUrl: '"
        + base + "', apiKey: '" + kUpstreamKey.toUtf8()
        + "', models: [{ id: 'model-a' }, { id: 'model-b' }] },"
          " quick: { api: 'openai-completions', baseUrl: '"
        + base
        + "', timeoutMs: 300 },"
          " dead: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:"
        + QByteArray::number(m_deadPort)
        + "/v1' } } },"
          "passerelle: { http: { keepAliveMs: 50 }, sessions: { historyMessages: 4 } }";
    m_gw = std::make_unique<TestGateway>(TestGateway::configText({}, root));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
}

void TestRelay::cleanupTestCase()
{
    m_gw.reset();
    m_upstream.reset();
}

void TestRelay::nonStreamingRelay()
{
    m_upstream->setDefaultReply(helloReply());
    const HttpResponse r = m_gw->client().post(
        kChat, chatBody("openclaw", "hi", false, ",\"temperature\":0.3,\"max_tokens\":20"),
        TestGateway::kToken);
    QCOMPARE(r.status, 200);
    const QJsonObject body = r.json();
    const QJsonObject choice = body.value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toString(),
             QStringLiteral("Hello from upstream"));
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
    QCOMPARE(compact(body.value(QStringLiteral("usage"))),
             QStringLiteral("{\"completion_tokens\":4,\"prompt_tokens\":11,\"total_tokens\":15}"));

    const FakeUpstream::Request sent = m_upstream->requests().last();
    QCOMPARE(sent.headers.value("authorization"), "Bearer " + kUpstreamKey.toUtf8());
    QCOMPARE(sent.json.value(QStringLiteral("model")).toString(), QStringLiteral("model-a"));
    QCOMPARE(sent.json.value(QStringLiteral("stream")).toBool(), true);
    QCOMPARE(sent.json.value(QStringLiteral("temperature")).toDouble(), 0.3);
    QCOMPARE(sent.json.value(QStringLiteral("max_tokens")).toInt(), 20);
    QCOMPARE(
        compact(sent.json.value(QStringLiteral("messages"))),
        QStringLiteral("[{\"content\":\"You are a "
                       "test.\",\"role\":\"system\"},{\"content\":\"hi\",\"role\":\"user\"}]"));
}

void TestRelay::streamingRelay()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Bon"))),
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("jour"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("length"))),
        FakeUpstream::sse(FakeUpstream::usageChunk(9, 2)),
        FakeUpstream::done(),
    }));
    const HttpResponse r = m_gw->client().post(
        kChat, chatBody("openclaw", "salut", true, ",\"stream_options\":{\"include_usage\":true}"),
        TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(describe(r.sseData()),
             (QStringList {QStringLiteral("content:Bon"), QStringLiteral("content:jour"),
                           QStringLiteral("finish:length"), QStringLiteral("usage:9+2"),
                           QStringLiteral("[DONE]")}));
}

void TestRelay::streamHeadBeforeUpstreamAnswers()
{
    // A stream's head does not wait for the upstream: it goes out when the run is ready, before
    // the upstream request is written (RunAnswer::runReady), so by the time the upstream has read
    // the request the client's socket holds the status line. (The fake reacts more slowly than
    // the gateway writes, so this would mostly hold for the other order too; what it rules out
    // is a head that waits for the upstream's answer.)
    m_upstream->setDefaultReply(helloReply());
    // A first relay leaves a keep-alive upstream connection in the pool: the request below is
    // written at once, not once a new connection is up.
    QCOMPARE(
        m_gw->client().post(kChat, chatBody("openclaw", "warm", false), TestGateway::kToken).status,
        200);
    RawPeer peer(m_gw->port());
    QVERIFY(peer.isConnected());
    const int fd = int(peer.socket().socketDescriptor());
    QByteArray seenByUpstreamTime;
    QSemaphore asked; // the client reads nothing before the upstream has looked
    const QMetaObject::Connection hook = m_upstream->onRequestReceived([&] {
        char buffer[512];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
        seenByUpstreamTime = n > 0 ? QByteArray(buffer, int(n)) : QByteArray();
        asked.release();
    });
    const auto unhook = qScopeGuard([&] { m_upstream->disconnect(hook); });
    QVERIFY(peer.send(TestHttpClient::buildRequest(
        "POST", kChat,
        {{"Authorization", QByteArray("Bearer ") + TestGateway::kToken},
         {"Content-Type", "application/json"}},
        chatBody("openclaw", "hi", true), "127.0.0.1")));
    QVERIFY(asked.tryAcquire(1, 10000));
    QVERIFY(peer.readUntilContains("data: [DONE]"));
    QVERIFY2(seenByUpstreamTime.startsWith("HTTP/1.1 200"), seenByUpstreamTime.constData());
    QVERIFY(seenByUpstreamTime.contains("text/event-stream"));
}

void TestRelay::toolCallsBothWays()
{
    const FakeUpstream::Reply toolReply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::toolCallChunk(
            0, QStringLiteral("call_9"), QStringLiteral("get_weather"), QStringLiteral(""))),
        FakeUpstream::sse(
            FakeUpstream::toolCallChunk(0, {}, {}, QStringLiteral("{\"city\":\"Lyon\"}"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("tool_calls"))),
        FakeUpstream::done(),
    });
    const QByteArray tools
        = R"(,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"tool_choice":"auto")";

    m_upstream->setDefaultReply(toolReply);
    HttpResponse r = m_gw->client().post(
        kChat, chatBody("openclaw", "weather in Lyon?", true, tools), TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(
        describe(r.sseData()),
        (QStringList {
            QStringLiteral("tool:{\"function\":{\"arguments\":\"\",\"name\":\"get_weather\"},"
                           "\"id\":\"call_9\",\"index\":0,\"type\":\"function\"}"),
            QStringLiteral(
                "tool:{\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Lyon\\\"}\"},\"index\":0}"),
            QStringLiteral("finish:tool_calls"), QStringLiteral("[DONE]")}));
    QCOMPARE(m_upstream->requests().last().json.value(QStringLiteral("tool_choice")).toString(),
             QStringLiteral("auto"));
    QCOMPARE(m_upstream->requests().last().json.value(QStringLiteral("tools")).toArray().size(), 1);

    m_upstream->setDefaultReply(toolReply);
    r = m_gw->client().post(kChat, chatBody("openclaw", "weather in Lyon?", false, tools),
                            TestGateway::kToken);
    QCOMPARE(r.status, 200);
    const QJsonObject choice
        = r.json().value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(),
             QStringLiteral("tool_calls"));
    const QJsonArray calls = choice.value(QStringLiteral("message"))
                                 .toObject()
                                 .value(QStringLiteral("tool_calls"))
                                 .toArray();
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.first().toObject().value(QStringLiteral("id")).toString(),
             QStringLiteral("call_9"));
    QCOMPARE(calls.first()
                 .toObject()
                 .value(QStringLiteral("function"))
                 .toObject()
                 .value(QStringLiteral("arguments"))
                 .toString(),
             QStringLiteral("{\"city\":\"Lyon\"}"));

    // The tool result goes back as structured messages.
    m_upstream->setDefaultReply(helloReply(QStringLiteral("It is sunny in Lyon.")));
    const QByteArray followUp = R"({"model":"openclaw","messages":[
        {"role":"user","content":"weather in Lyon?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
        {"role":"tool","tool_call_id":"call_9","content":"sunny, 21C"}]})";
    r = m_gw->client().post(kChat, followUp, TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(compact(m_upstream->lastMessages()),
             compact(QJsonDocument::fromJson(R"([
                {"role":"system","content":"You are a test."},
                {"role":"user","content":"weather in Lyon?"},
                {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
                {"role":"tool","tool_call_id":"call_9","content":"sunny, 21C"}])")
                         .array()));
}

void TestRelay::wireKeyOrder()
{
    // The bytes a client reads, in OpenAI's key order, streaming and not.
    const auto reply = [] {
        return FakeUpstream::stream({
            FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Hi"))),
            FakeUpstream::sse(FakeUpstream::toolCallChunk(
                0, QStringLiteral("call_9"), QStringLiteral("get_weather"), QStringLiteral("{}"))),
            FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("tool_calls"))),
            FakeUpstream::sse(FakeUpstream::usageChunk(11, 4)),
            FakeUpstream::done(),
        });
    };
    const QByteArray tools
        = R"(,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}])";

    m_upstream->setDefaultReply(reply());
    HttpResponse r = m_gw->client().post(kChat, chatBody("openclaw/main", "weather?", false, tools),
                                         TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QJsonObject parsed = r.json();
    QByteArray head = R"({"id":")" + parsed.value(QStringLiteral("id")).toString().toUtf8()
        + R"(","object":"chat.completion","created":)"
        + QByteArray::number(parsed.value(QStringLiteral("created")).toInteger())
        + R"(,"model":"openclaw/main",)";
    QCOMPARE(
        r.body,
        head
            + R"("choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}})");

    m_upstream->setDefaultReply(reply());
    r = m_gw->client().post(kChat,
                            chatBody("openclaw/main", "weather?", true,
                                     tools + R"(,"stream_options":{"include_usage":true})"),
                            TestGateway::kToken);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> data = r.sseData();
    QCOMPARE(data.size(), 6);
    parsed = frameJson(data.first());
    head = R"({"id":")" + parsed.value(QStringLiteral("id")).toString().toUtf8()
        + R"(","object":"chat.completion.chunk","created":)"
        + QByteArray::number(parsed.value(QStringLiteral("created")).toInteger())
        + R"(,"model":"openclaw/main","choices":)";
    QCOMPARE(data.at(0),
             head + R"([{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]})");
    QCOMPARE(data.at(1), head + R"([{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})");
    QCOMPARE(
        data.at(2),
        head
            + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},"finish_reason":null}]})");
    QCOMPARE(data.at(3), head + R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}]})");
    QCOMPARE(data.at(4),
             head + R"([],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}})");
    QCOMPARE(data.at(5), QByteArray("[DONE]"));
}

void TestRelay::statusMapping_data()
{
    QTest::addColumn<QByteArray>("agent");
    QTest::addColumn<int>("upstreamStatus"); // 0: no answer at all
    QTest::addColumn<QByteArray>("upstreamBody");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    const QByteArray openclaw = "openclaw";
    QTest::newRow("400 keeps message and code")
        << openclaw << 400
        << QByteArray(
               R"({"error":{"message":"max_tokens is too large","type":"invalid_request_error","code":"invalid_value"}})")
        << 400
        << QByteArray(
               R"({"error":{"code":"invalid_value","message":"max_tokens is too large","type":"invalid_request_error"}})");
    QTest::newRow("401")
        << openclaw << 401
        << QByteArray(
               R"({"error":{"message":"Incorrect API key provided: sk-relay-secret-000111"}})")
        << 401
        << QByteArray(
               R"({"error":{"message":"upstream provider rejected the credentials","type":"authentication_error"}})");
    QTest::newRow("403")
        << openclaw << 403 << QByteArray("{}") << 403
        << QByteArray(
               R"({"error":{"message":"upstream provider denied access","type":"permission_error"}})");
    QTest::newRow("429")
        << openclaw << 429 << QByteArray("{}") << 429
        << QByteArray(
               R"({"error":{"message":"upstream provider rate limit reached","type":"rate_limit_error"}})");
    QTest::newRow("503")
        << openclaw << 503 << QByteArray("{}") << 503
        << QByteArray(R"({"error":{"message":"upstream provider overloaded","type":"api_error"}})");
    QTest::newRow("500")
        << openclaw << 500 << QByteArray("{}") << 502
        << QByteArray(R"({"error":{"message":"upstream provider error","type":"api_error"}})");
    QTest::newRow("404") << openclaw << 404 << QByteArray("{}") << 500
                         << QByteArray(
                                R"({"error":{"message":"internal error","type":"api_error"}})");
    QTest::newRow("first-event timeout")
        << QByteArray("openclaw/quick") << 0 << QByteArray() << 504
        << QByteArray(R"({"error":{"message":"upstream provider timeout","type":"api_error"}})");
}

void TestRelay::statusMapping()
{
    QFETCH(QByteArray, agent);
    QFETCH(int, upstreamStatus);
    QFETCH(QByteArray, upstreamBody);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    FakeUpstream::Reply reply;
    if (upstreamStatus == 0) {
        reply.answer = false;
    } else {
        reply.status = upstreamStatus;
        reply.contentType = "application/json";
        reply.framing = FakeUpstream::Framing::ContentLength;
        reply.chunks.append({upstreamBody, 0, false});
    }
    m_upstream->setDefaultReply(reply);
    const HttpResponse r
        = m_gw->client().post(kChat, chatBody(agent, "hi", false), TestGateway::kToken);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(compact(r.json()), QString::fromUtf8(body));
    QVERIFY(!r.body.contains(kUpstreamKey.toUtf8()));
    // The gateway keeps serving.
    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "again", false), TestGateway::kToken)
                 .status,
             200);
}

void TestRelay::streamErrorFrame_data()
{
    QTest::addColumn<QList<QByteArray>>("events");
    QTest::addColumn<int>("upstreamStatus");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("error inside the stream after output")
        << QList<QByteArray> {FakeUpstream::sse(
                                  FakeUpstream::contentChunk(QStringLiteral("partial"))),
                              "data: {\"error\":{\"message\":\"model crashed\"}}\n\n"}
        << 200
        << QStringList {QStringLiteral("content:partial"),
                        QStringLiteral("error:upstream provider error/api_error"),
                        QStringLiteral("[DONE]")};
    QTest::newRow("stream cut without a finish")
        << QList<QByteArray> {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("half")))}
        << 200
        << QStringList {QStringLiteral("content:half"),
                        QStringLiteral("error:upstream provider error/api_error"),
                        QStringLiteral("[DONE]")};
    QTest::newRow("429 before any output")
        << QList<QByteArray> {QByteArray(R"({"error":{"message":"slow down"}})")}
        << 429
        // SPEC section 4 writes the frame's type as api_error; the message is the status mapping's.
        << QStringList {QStringLiteral("error:upstream provider rate limit reached/api_error"),
                        QStringLiteral("[DONE]")};
}

void TestRelay::streamErrorFrame()
{
    QFETCH(QList<QByteArray>, events);
    QFETCH(int, upstreamStatus);
    QFETCH(QStringList, expected);

    FakeUpstream::Reply reply = FakeUpstream::stream(events);
    reply.status = upstreamStatus;
    if (upstreamStatus != 200)
        reply.contentType = "application/json";
    m_upstream->setDefaultReply(reply);
    const HttpResponse r
        = m_gw->client().post(kChat, chatBody("openclaw", "hi", true), TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    const QList<QByteArray> data = r.sseData();
    QVERIFY(!data.isEmpty());
    QCOMPARE(frameJson(data.first())
                 .value(QStringLiteral("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("delta"))
                 .toObject()
                 .value(QStringLiteral("role"))
                 .toString(),
             QStringLiteral("assistant"));
    QCOMPARE(describe(data), expected);
    for (const QByteArray &frame : data) // no finish chunk after a failure
        QVERIFY(!frame.contains("\"finish_reason\":\""));
}

void TestRelay::keepAliveWhileUpstreamSilent()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("wait"))),
    });
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral(" for it"),
                                                                      QStringLiteral("stop")))
                             + FakeUpstream::done(),
                         400, false});
    m_upstream->setDefaultReply(reply);
    const HttpResponse r
        = m_gw->client().post(kChat, chatBody("openclaw", "hi", true), TestGateway::kToken);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> frames = r.sseFrames();
    qsizetype first = -1;
    qsizetype keepAlive = -1;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        if (first < 0 && frames.at(i).contains("\"content\":\"wait\""))
            first = i;
        else if (first >= 0 && frames.at(i) == ": keep-alive")
            keepAlive = i;
    }
    QVERIFY(first > 0);
    QVERIFY2(keepAlive > first, "no keep-alive comment while the upstream was silent");
    QCOMPARE(describe(r.sseData()),
             (QStringList {QStringLiteral("content:wait"), QStringLiteral("content: for it"),
                           QStringLiteral("finish:stop"), QStringLiteral("[DONE]")}));
}

void TestRelay::clientDisconnectClosesUpstream()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("first words"))),
    });
    reply.chunks.append(
        {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("never sent"))), 0, true});
    m_upstream->setDefaultReply(reply);
    const int closedBefore = m_upstream->clientClosedCount();

    TestHttpClient client = m_gw->client();
    QVERIFY(client.open(TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        chatBody("openclaw", "hi", true), "127.0.0.1")));
    QVERIFY(client.waitForData("first words"));
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(m_upstream->clientClosedCount(), closedBefore + 1, 5000);
    m_upstream->releaseHeld(); // nothing is waiting for it any more

    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "still up?", false), TestGateway::kToken)
                 .status,
             200);
}

void TestRelay::fallbackAfterFailure()
{
    m_upstream->setDefaultReply(helloReply(QStringLiteral("fallback speaking")));
    const int before = int(m_upstream->requests().size());
    const HttpResponse r
        = m_gw->client().post(kChat, chatBody("openclaw/fb", "hi", true), TestGateway::kToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(describe(r.sseData()),
             (QStringList {QStringLiteral("content:fallback speaking"),
                           QStringLiteral("finish:stop"), QStringLiteral("[DONE]")}));
    const QList<FakeUpstream::Request> requests = m_upstream->requests();
    QCOMPARE(requests.size(), before + 1);
    QCOMPARE(requests.last().json.value(QStringLiteral("model")).toString(),
             QStringLiteral("model-b"));
}

void TestRelay::stableSessionSendsHistory()
{
    m_upstream->setDefaultReply(helloReply(QStringLiteral("Nice to meet you, Zoe.")));
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "I am Zoe", false, ",\"user\":\"zoe\""),
                       TestGateway::kToken)
                 .status,
             200);
    m_upstream->setDefaultReply(helloReply(QStringLiteral("You are Zoe.")));
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "Who am I?", true, ",\"user\":\"ZOE \""),
                       TestGateway::kToken)
                 .status,
             200);
    QCOMPARE(compact(m_upstream->lastMessages()),
             compact(QJsonDocument::fromJson(R"([
                {"role":"system","content":"You are a test."},
                {"role":"user","content":"I am Zoe"},
                {"role":"assistant","content":"Nice to meet you, Zoe."},
                {"role":"user","content":"Who am I?"}])")
                         .array()));

    // A per-request session (no user, no session header) neither reads nor writes a transcript.
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "stateless", false), TestGateway::kToken)
                 .status,
             200);
    QCOMPARE(m_upstream->lastMessages().size(), 2);
    // The explicit session header shares the same store.
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "Still me?", false), TestGateway::kToken,
                       {{"x-openclaw-session-key", "agent:main:openai-user:zoe"}})
                 .status,
             200);
    QCOMPARE(m_upstream->lastMessages().size(), 1 + 4 + 1);
}

void TestRelay::historyIsBounded()
{
    // passerelle.sessions.historyMessages is 4: only the two newest turns go upstream.
    for (int i = 1; i <= 3; ++i) {
        m_upstream->setDefaultReply(helloReply(QStringLiteral("answer %1").arg(i)));
        QCOMPARE(m_gw->client()
                     .post(kChat,
                           chatBody("openclaw", "question " + QByteArray::number(i), false,
                                    ",\"user\":\"bounded\""),
                           TestGateway::kToken)
                     .status,
                 200);
    }
    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(m_gw->client()
                 .post(kChat, chatBody("openclaw", "question 4", false, ",\"user\":\"bounded\""),
                       TestGateway::kToken)
                 .status,
             200);
    QCOMPARE(compact(m_upstream->lastMessages()),
             compact(QJsonDocument::fromJson(R"([
                {"role":"system","content":"You are a test."},
                {"role":"user","content":"question 2"},
                {"role":"assistant","content":"answer 2"},
                {"role":"user","content":"question 3"},
                {"role":"assistant","content":"answer 3"},
                {"role":"user","content":"question 4"}])")
                         .array()));
}

void TestRelay::transcriptSurvivesRestartAndKill()
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

    // Starts the real binary and returns its port (0 on failure).
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
    const auto ask = [&](quint16 port, const QByteArray &content, const QString &reply) {
        m_upstream->setDefaultReply(helloReply(reply));
        return TestHttpClient(port)
            .post(kChat, chatBody("openclaw", content, false, ",\"user\":\"ann\""),
                  TestGateway::kToken)
            .status;
    };

    // 1. A turn, then a clean stop (SIGTERM).
    {
        QProcess first;
        const quint16 port = launch(first);
        QVERIFY(port != 0);
        QCOMPARE(ask(port, "My name is Ann", QStringLiteral("Nice to meet you, Ann.")), 200);
        first.terminate();
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitStatus(), QProcess::NormalExit);
    }
    // 2. Restarted: the transcript is there. Then a stream is cut by kill -9 mid-answer.
    {
        QProcess second;
        const quint16 port = launch(second);
        QVERIFY(port != 0);
        QCOMPARE(ask(port, "What is my name?", QStringLiteral("Your name is Ann.")), 200);
        QCOMPARE(compact(m_upstream->lastMessages()),
                 compact(QJsonDocument::fromJson(R"([
                    {"role":"user","content":"My name is Ann"},
                    {"role":"assistant","content":"Nice to meet you, Ann."},
                    {"role":"user","content":"What is my name?"}])")
                             .array()));

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
            "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
            chatBody("openclaw", "Tell me a story", true, ",\"user\":\"ann\""), "127.0.0.1")));
        QVERIFY(client.waitForData("Once upon a time"));
        second.kill(); // SIGKILL: no shutdown code runs
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitStatus(), QProcess::CrashExit);
        m_upstream->releaseHeld();
    }
    // 3. After the crash: both completed turns, and nothing of the interrupted one.
    {
        QProcess third;
        const quint16 port = launch(third);
        QVERIFY(port != 0);
        QCOMPARE(ask(port, "Are you there?", QStringLiteral("Yes.")), 200);
        QCOMPARE(compact(m_upstream->lastMessages()),
                 compact(QJsonDocument::fromJson(R"([
                    {"role":"user","content":"My name is Ann"},
                    {"role":"assistant","content":"Nice to meet you, Ann."},
                    {"role":"user","content":"What is my name?"},
                    {"role":"assistant","content":"Your name is Ann."},
                    {"role":"user","content":"Are you there?"}])")
                             .array()));
        third.terminate();
        QVERIFY(third.waitForFinished(10000));
    }
    // The database is where the app keeps its data.
    QDirIterator it(home.filePath(QStringLiteral("data")), {QStringLiteral("sessions.sqlite")},
                    QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(it.hasNext());
}

QTEST_GUILESS_MAIN(TestRelay)
#include "tst_relay.moc"
