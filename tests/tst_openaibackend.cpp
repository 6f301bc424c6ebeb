// OpenAiCompletionsBackend against the in-process FakeUpstream: deltas relayed as they arrive,
// tool-call deltas, usage, finish reasons, a non-streaming upstream, every error mapping of SPEC
// section 4, the three timeouts, abort closing the upstream connection, and the request body.

#include "providers/OpenAiCompletionsBackend.h"
#include "support/FakeUpstream.h"

#include "providers/UpstreamPool.h"
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace passerelle;
using passerelle::test::FakeUpstream;

namespace {

const QString ApiKey = QStringLiteral("sk-test-secret-1234567890");

// Everything a run emitted, in order.
struct Outcome
{
    QStringList log; // "content:<text>", "tool:<json>", "finished:<reason>", "failed:<kind>"
    QStringList content;
    QList<QJsonObject> tools;
    QString finishReason;
    Usage usage;
    std::optional<BackendError> error;
    int ends = 0;

    void watch(BackendRun *run)
    {
        QObject::connect(run, &BackendRun::contentDelta, run, [this](const QString &text) {
            content << text;
            log << QStringLiteral("content:") + text;
        });
        QObject::connect(run, &BackendRun::toolCallDelta, run, [this](const QJsonObject &delta) {
            tools << delta;
            log << QStringLiteral("tool:")
                    + QString::fromUtf8(QJsonDocument(delta).toJson(QJsonDocument::Compact));
        });
        QObject::connect(run, &BackendRun::finished, run,
                         [this](const QString &reason, const passerelle::Usage &u) {
                             finishReason = reason;
                             usage = u;
                             ++ends;
                             log << QStringLiteral("finished:") + reason;
                         });
        QObject::connect(run, &BackendRun::failed, run, [this](const passerelle::BackendError &e) {
            error = e;
            ++ends;
            log << QStringLiteral("failed:%1").arg(int(e.kind));
        });
    }
};

BackendRequest basicRequest()
{
    BackendRequest request;
    request.runId = QStringLiteral("run-1");
    request.agentId = QStringLiteral("main");
    request.modelRef = QStringLiteral("local/tiny-model");
    request.prompt = QStringLiteral("Hello");
    return request;
}

QString compact(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString();
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonArray parseArray(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).array();
}

} // namespace

class TestOpenAiBackend final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void deltasRelayedAsTheyArrive();
    void streamSplitIntoSmallPieces();
    void toolCallDeltas();
    void toolCallsWithoutIndex();
    void finishReasons_data();
    void finishReasons();
    void usageFromTheUsageChunk();
    void nonStreamingAnswer();
    void nonStreamingToolCalls();
    void errorStatuses_data();
    void errorStatuses();
    void connectionRefused();
    void hostNotFound();
    void errorsInsideTheStream_data();
    void errorsInsideTheStream();
    void finishWithoutDoneCompletes();
    void connectTimeout();
    void firstEventTimeout_data();
    void firstEventTimeout();
    void idleTimeout();
    void keepAliveCommentsResetIdle();
    void slowJsonBody();
    void abortClosesTheUpstreamConnection();
    void abortBeforeTheAnswer();
    void deletingTheRunClosesTheConnection();
    void requestBody();
    void noAuthorizationWithoutKey();
    void toolTurnsRelayed_data();
    void toolTurnsRelayed();
    void apiKeyNeverInErrors();
    void invalidBaseUrlFailsLater();
    void pauseHoldsTheDeltasBack();

private:
    std::unique_ptr<OpenAiCompletionsBackend> makeRun(const BackendRequest &request
                                                      = basicRequest());

    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<UpstreamPool> m_network;
    ProviderConfig m_provider;
};

void TestOpenAiBackend::initTestCase()
{
    qRegisterMetaType<Usage>();
    qRegisterMetaType<BackendError>();
}

void TestOpenAiBackend::init()
{
    m_upstream = std::make_unique<FakeUpstream>();
    QVERIFY(m_upstream->listen());
    m_network = std::make_unique<UpstreamPool>();
    m_provider = ProviderConfig();
    m_provider.name = QStringLiteral("local");
    m_provider.baseUrl = m_upstream->baseUrl();
    m_provider.apiKey = ApiKey;
    m_provider.connectTimeoutMs = 5000;
    m_provider.timeoutMs = 10000;
    m_provider.idleTimeoutMs = 10000;
}

void TestOpenAiBackend::cleanup()
{
    m_network.reset();
    m_upstream.reset();
}

std::unique_ptr<OpenAiCompletionsBackend> TestOpenAiBackend::makeRun(const BackendRequest &request)
{
    return std::make_unique<OpenAiCompletionsBackend>(request, m_provider, m_network.get());
}

void TestOpenAiBackend::deltasRelayedAsTheyArrive()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Hel"))),
    });
    reply.chunks.append(
        {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("lo"))), 0, true});
    reply.chunks.append(
        {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral(" wörld"))), 0, true});
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop")))
                             + FakeUpstream::sse(FakeUpstream::usageChunk(7, 3))
                             + FakeUpstream::done(),
                         0, true});
    m_upstream->setDefaultReply(reply);

    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QCOMPARE(out.log.size(), 0);

    // Each delta is out before the upstream has sent the next one.
    QTRY_COMPARE(out.content, QStringList {QStringLiteral("Hel")});
    QVERIFY(run->hasOutput());
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QTRY_COMPARE(out.content, (QStringList {QStringLiteral("Hel"), QStringLiteral("lo")}));
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QTRY_COMPARE(out.content.size(), 3);
    QCOMPARE(out.content.at(2), QStringLiteral(" wörld"));
    QCOMPARE(out.ends, 0);
    QTRY_COMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.finishReason, QStringLiteral("stop"));
    QVERIFY(out.usage.known);
    QCOMPARE(out.usage.promptTokens, 7);
    QCOMPARE(out.usage.completionTokens, 3);
    QCOMPARE(out.log.last(), QStringLiteral("finished:stop"));
}

void TestOpenAiBackend::streamSplitIntoSmallPieces()
{
    QByteArray body = FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Ça ")))
        + QByteArray(": keep-alive\r\n\r\n")
        + FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("marche €")))
        + FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("length")))
        + FakeUpstream::done();
    body.replace("\n", "\r\n");
    FakeUpstream::Reply reply;
    // Pieces of 5 bytes (every CRLF, JSON token and UTF-8 sequence gets cut somewhere), each its
    // own HTTP chunk and TCP write. The parser's own test covers every split position.
    for (qsizetype i = 0; i < body.size(); i += 5)
        reply.chunks.append({body.mid(i, 5), 1, false});
    m_upstream->setDefaultReply(reply);

    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 20000);
    QCOMPARE(out.content.join(QString()), QStringLiteral("Ça marche €"));
    QCOMPARE(out.finishReason, QStringLiteral("length"));
}

void TestOpenAiBackend::toolCallDeltas()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::toolCallChunk(
            0, QStringLiteral("call_1"), QStringLiteral("get_weather"), QStringLiteral(""))),
        FakeUpstream::sse(FakeUpstream::toolCallChunk(0, {}, {}, QStringLiteral("{\"city\":"))),
        FakeUpstream::sse(FakeUpstream::toolCallChunk(0, {}, {}, QStringLiteral("\"Paris\"}"))),
        FakeUpstream::sse(FakeUpstream::toolCallChunk(
            1, QStringLiteral("call_2"), QStringLiteral("get_time"), QStringLiteral("{}"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("tool_calls"))),
        FakeUpstream::done(),
    }));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(
        out.log,
        (QStringList {
            QStringLiteral("tool:{\"function\":{\"arguments\":\"\",\"name\":\"get_weather\"},"
                           "\"id\":\"call_1\",\"index\":0,\"type\":\"function\"}"),
            QStringLiteral("tool:{\"function\":{\"arguments\":\"{\\\"city\\\":\"},\"index\":0}"),
            QStringLiteral("tool:{\"function\":{\"arguments\":\"\\\"Paris\\\"}\"},\"index\":0}"),
            QStringLiteral("tool:{\"function\":{\"arguments\":\"{}\",\"name\":\"get_time\"},\"id\":"
                           "\"call_2\",\"index\":1,\"type\":\"function\"}"),
            QStringLiteral("finished:tool_calls"),
        }));
    QVERIFY(run->hasOutput());
}

void TestOpenAiBackend::toolCallsWithoutIndex()
{
    // Some servers leave out `index` and finish with "stop": calls are numbered by id, and the
    // finish reason the client sees is tool_calls.
    const auto chunk = [](const char *call) {
        QJsonObject c = FakeUpstream::finishChunk(QString());
        QJsonObject choice {
            {QStringLiteral("index"), 0},
            {QStringLiteral("delta"),
             QJsonObject {{QStringLiteral("tool_calls"), QJsonArray {parse(call)}}}},
            {QStringLiteral("finish_reason"), QJsonValue::Null}};
        c.insert(QStringLiteral("choices"), QJsonArray {choice});
        return FakeUpstream::sse(c);
    };
    m_upstream->setDefaultReply(FakeUpstream::stream({
        chunk("{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{"
              "\"}}"),
        chunk("{\"function\":{\"arguments\":\"}\"}}"),
        chunk("{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}"
              "\"}}"),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::done(),
    }));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.tools.size(), 3);
    QCOMPARE(out.tools.at(0).value(QStringLiteral("index")).toInt(), 0);
    QCOMPARE(out.tools.at(1).value(QStringLiteral("index")).toInt(), 0);
    QCOMPARE(out.tools.at(2).value(QStringLiteral("index")).toInt(), 1);
    QCOMPARE(out.finishReason, QStringLiteral("tool_calls"));
}

void TestOpenAiBackend::finishReasons_data()
{
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<QString>("expected");
    QTest::newRow("stop") << QStringLiteral("stop") << QStringLiteral("stop");
    QTest::newRow("length") << QStringLiteral("length") << QStringLiteral("length");
    QTest::newRow("tool_calls") << QStringLiteral("tool_calls") << QStringLiteral("tool_calls");
    QTest::newRow("function_call")
        << QStringLiteral("function_call") << QStringLiteral("tool_calls");
    QTest::newRow("content_filter") << QStringLiteral("content_filter") << QStringLiteral("stop");
    QTest::newRow("none before [DONE]") << QString() << QStringLiteral("stop");
}

void TestOpenAiBackend::finishReasons()
{
    QFETCH(QString, upstream);
    QFETCH(QString, expected);
    QList<QByteArray> events {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("x")))};
    if (!upstream.isEmpty())
        events << FakeUpstream::sse(FakeUpstream::finishChunk(upstream));
    events << FakeUpstream::done();
    m_upstream->setDefaultReply(FakeUpstream::stream(events));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QVERIFY(!out.error);
    QCOMPARE(out.finishReason, expected);
    QVERIFY(!out.usage.known);
}

void TestOpenAiBackend::usageFromTheUsageChunk()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("Hi"), QStringLiteral("stop"))),
        FakeUpstream::sse(FakeUpstream::usageChunk(12, 34)),
        FakeUpstream::done(),
    }));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.content, QStringList {QStringLiteral("Hi")});
    QVERIFY(out.usage.known);
    QCOMPARE(out.usage.promptTokens, 12);
    QCOMPARE(out.usage.completionTokens, 34);
    QCOMPARE(out.usage.total(), 46);
}

void TestOpenAiBackend::nonStreamingAnswer()
{
    m_upstream->setDefaultReply(FakeUpstream::json(200, parse(R"({
        "id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
        "choices":[{"index":0,"message":{"role":"assistant","content":"Bonjour !"},"finish_reason":"length"}],
        "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})")));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(
        out.log,
        (QStringList {QStringLiteral("content:Bonjour !"), QStringLiteral("finished:length")}));
    QCOMPARE(out.usage.promptTokens, 5);
    QCOMPARE(out.usage.completionTokens, 2);
    // It was still asked to stream.
    QCOMPARE(m_upstream->requests().at(0).json.value(QStringLiteral("stream")).toBool(), true);
}

void TestOpenAiBackend::nonStreamingToolCalls()
{
    FakeUpstream::Reply reply = FakeUpstream::json(200, parse(R"({
        "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}},
            {"id":"call_b","function":{"name":"other","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})"));
    reply.contentType = "application/json; charset=utf-8";
    m_upstream->setDefaultReply(reply);
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.content.size(), 0);
    QCOMPARE(out.tools.size(), 2);
    QCOMPARE(compact(out.tools.at(0)),
             QStringLiteral("{\"function\":{\"arguments\":\"{\\\"q\\\":1}\",\"name\":\"lookup\"},"
                            "\"id\":\"call_a\",\"index\":0,\"type\":\"function\"}"));
    QCOMPARE(compact(out.tools.at(1)),
             QStringLiteral("{\"function\":{\"arguments\":\"{}\",\"name\":\"other\"},\"id\":\"call_"
                            "b\",\"index\":1,\"type\":\"function\"}"));
    QCOMPARE(out.finishReason, QStringLiteral("tool_calls"));
}

void TestOpenAiBackend::errorStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("code");

    using K = BackendError::Kind;
    const QByteArray openAiError
        = R"({"error":{"message":"This model's maximum context length is 4096 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})";
    QTest::newRow("400 keeps message and code")
        << 400 << openAiError << int(K::BadRequest)
        << QStringLiteral("This model's maximum context length is 4096 tokens.")
        << QStringLiteral("context_length_exceeded");
    QTest::newRow("400 numeric code")
        << 400 << QByteArray(R"({"error":{"message":"bad temperature","code":400}})")
        << int(K::BadRequest) << QStringLiteral("bad temperature") << QStringLiteral("400");
    QTest::newRow("400 without code") << 400 << QByteArray(R"({"error":{"message":"nope"}})")
                                      << int(K::BadRequest) << QStringLiteral("nope") << QString();
    QTest::newRow("400 plain message") << 400 << QByteArray(R"({"message":"flat"})")
                                       << int(K::BadRequest) << QStringLiteral("flat") << QString();
    QTest::newRow("401") << 401 << QByteArray(R"({"error":{"message":"bad key"}})")
                         << int(K::Unauthorized) << QString() << QString();
    QTest::newRow("403") << 403 << QByteArray(R"({"error":{"message":"no"}})") << int(K::Forbidden)
                         << QString() << QString();
    QTest::newRow("429") << 429 << QByteArray(R"({"error":{"message":"slow down"}})")
                         << int(K::RateLimited) << QString() << QString();
    QTest::newRow("503") << 503 << QByteArray("Service Unavailable") << int(K::Overloaded)
                         << QString() << QString();
    QTest::newRow("500") << 500 << QByteArray(R"({"error":{"message":"boom"}})")
                         << int(K::Unreachable) << QString() << QString();
    QTest::newRow("502") << 502 << QByteArray("<html>bad gateway</html>") << int(K::Unreachable)
                         << QString() << QString();
    QTest::newRow("504") << 504 << QByteArray() << int(K::Unreachable) << QString() << QString();
    QTest::newRow("404") << 404 << QByteArray(R"({"error":{"message":"model not found"}})")
                         << int(K::Internal) << QString() << QString();
    QTest::newRow("422") << 422 << QByteArray(R"({"detail":"invalid"})") << int(K::Internal)
                         << QString() << QString();
}

void TestOpenAiBackend::errorStatuses()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(QString, message);
    QFETCH(QString, code);

    FakeUpstream::Reply reply;
    reply.status = status;
    reply.contentType = "application/json";
    reply.framing = FakeUpstream::Framing::ContentLength;
    reply.chunks.append({body, 0, false});
    m_upstream->setDefaultReply(reply);

    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QVERIFY(out.error);
    QCOMPARE(int(out.error->kind), kind);
    QCOMPARE(out.error->upstreamStatus, status);
    if (!message.isEmpty())
        QCOMPARE(out.error->message, message);
    QCOMPARE(out.error->code, code);
    QVERIFY(!run->hasOutput());
    QCOMPARE(out.content.size(), 0);
}

void TestOpenAiBackend::connectionRefused()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    m_provider.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QVERIFY(out.error);
    QCOMPARE(out.error->kind, BackendError::Kind::Unreachable);
    QCOMPARE(
        out.error->message,
        QStringLiteral("http://127.0.0.1:%1/v1/chat/completions: connection refused").arg(port));
}

void TestOpenAiBackend::hostNotFound()
{
    m_provider.baseUrl = QStringLiteral("http://passerelle-test-host.invalid/v1");
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 8000);
    QVERIFY(out.error);
    QCOMPARE(out.error->kind, BackendError::Kind::Unreachable);
    QVERIFY2(out.error->message.endsWith(QStringLiteral("host not found")),
             qPrintable(out.error->message));
}

void TestOpenAiBackend::errorsInsideTheStream_data()
{
    QTest::addColumn<QByteArray>("tail");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");

    using K = BackendError::Kind;
    QTest::newRow("error object") << QByteArray(
        "data: {\"error\":{\"message\":\"model crashed\",\"type\":\"server_error\"}}\n\n")
                                  << int(K::Unreachable)
                                  << QStringLiteral("%1: HTTP 200, error in stream: model crashed");
    QTest::newRow("error object with a status code")
        << QByteArray("data: {\"error\":{\"message\":\"quota\",\"code\":429}}\n\n")
        << int(K::RateLimited) << QStringLiteral("%1: HTTP 200, error in stream: quota");
    QTest::newRow("event: error") << QByteArray(
        "event: error\ndata: {\"message\":\"overloaded\",\"code\":503}\n\n")
                                  << int(K::Overloaded)
                                  << QStringLiteral("%1: HTTP 200, error in stream: overloaded");
    QTest::newRow("ends without [DONE] or finish_reason")
        << QByteArray() << int(K::Unreachable)
        << QStringLiteral("%1: stream ended without [DONE] or finish_reason");
    QTest::newRow("unterminated last event")
        << QByteArray("data: [DONE]") << int(K::Unreachable)
        << QStringLiteral("%1: stream ended without [DONE] or finish_reason");
    QTest::newRow("malformed chunk")
        << QByteArray("data: {not json\n\n") << int(K::Unreachable)
        << QStringLiteral("%1: malformed stream chunk (unterminated object)");
}

void TestOpenAiBackend::errorsInsideTheStream()
{
    QFETCH(QByteArray, tail);
    QFETCH(int, kind);
    QFETCH(QString, message);

    m_upstream->setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("partial"))),
        tail,
    }));
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.content, QStringList {QStringLiteral("partial")});
    QVERIFY(out.error);
    QCOMPARE(int(out.error->kind), kind);
    QCOMPARE(out.error->message,
             message.arg(m_upstream->baseUrl() + QStringLiteral("/chat/completions")));
    QVERIFY(run->hasOutput());
}

void TestOpenAiBackend::finishWithoutDoneCompletes()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("ok"), QStringLiteral("stop"))),
    });
    reply.framing = FakeUpstream::Framing::UntilClose;
    m_upstream->setDefaultReply(reply);
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QVERIFY(!out.error);
    QCOMPARE(out.finishReason, QStringLiteral("stop"));
}

void TestOpenAiBackend::connectTimeout()
{
    const quint16 port = m_upstream->stalledPort();
    QVERIFY(port != 0);
    m_provider.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
    m_provider.connectTimeoutMs = 150;
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    QElapsedTimer clock;
    clock.start();
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 5000);
    QVERIFY(out.error);
    QCOMPARE(out.error->kind, BackendError::Kind::Timeout);
    QCOMPARE(
        out.error->message,
        QStringLiteral("no connection to http://127.0.0.1:%1/v1/chat/completions within 150 ms")
            .arg(port));
    QVERIFY(clock.elapsed() >= 140);
}

void TestOpenAiBackend::firstEventTimeout_data()
{
    QTest::addColumn<bool>("sendHeaders");
    QTest::addColumn<QByteArray>("comments");
    QTest::newRow("no answer at all") << false << QByteArray();
    QTest::newRow("headers, then nothing") << true << QByteArray();
    QTest::newRow("headers and comments only") << true << QByteArray(": processing\n\n");
}

void TestOpenAiBackend::firstEventTimeout()
{
    QFETCH(bool, sendHeaders);
    QFETCH(QByteArray, comments);
    FakeUpstream::Reply reply;
    reply.answer = sendHeaders;
    reply.finish = false;
    if (!comments.isEmpty()) {
        for (int i = 0; i < 8; ++i)
            reply.chunks.append({comments, 40, false});
    }
    m_upstream->setDefaultReply(reply);
    m_provider.timeoutMs = 200;
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    QElapsedTimer clock;
    clock.start();
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 5000);
    QVERIFY(out.error);
    QCOMPARE(out.error->kind, BackendError::Kind::Timeout);
    QCOMPARE(out.error->message,
             QStringLiteral("no answer from %1/chat/completions within 200 ms")
                 .arg(m_upstream->baseUrl()));
    QVERIFY(clock.elapsed() >= 190);
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1); // the timeout closed the connection
}

void TestOpenAiBackend::idleTimeout()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("first"))),
    });
    reply.finish = false;
    m_upstream->setDefaultReply(reply);
    m_provider.idleTimeoutMs = 150;
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.content.size(), 1);
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 5000);
    QVERIFY(clock.elapsed() >= 100);
    QVERIFY(out.error);
    QCOMPARE(out.error->kind, BackendError::Kind::Timeout);
    QCOMPARE(out.error->message,
             QStringLiteral("%1/chat/completions silent for 150 ms").arg(m_upstream->baseUrl()));
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1);
}

void TestOpenAiBackend::keepAliveCommentsResetIdle()
{
    // 12 comments 50 ms apart: no event for 650 ms in all, never 300 ms without a byte.
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("a"))),
    });
    for (int i = 0; i < 12; ++i)
        reply.chunks.append({": keep-alive\n\n", 50, false});
    reply.chunks.append(
        {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("b"), QStringLiteral("stop")))
             + FakeUpstream::done(),
         50, false});
    m_upstream->setDefaultReply(reply);
    m_provider.idleTimeoutMs = 300;
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 5000);
    QVERIFY2(!out.error, out.error ? qPrintable(out.error->message) : "");
    QCOMPARE(out.content, (QStringList {QStringLiteral("a"), QStringLiteral("b")}));
}

void TestOpenAiBackend::slowJsonBody()
{
    const QByteArray body
        = R"({"choices":[{"index":0,"message":{"role":"assistant","content":"slow but sure"},"finish_reason":"stop"}]})";
    FakeUpstream::Reply reply = FakeUpstream::json(200, {});
    reply.chunks.clear();
    for (qsizetype i = 0; i < body.size(); i += 20)
        reply.chunks.append({body.mid(i, 20), 50, false});
    m_upstream->enqueue(reply);
    FakeUpstream::Reply stalled = reply;
    stalled.chunks[2].delayMs = 1000;
    m_upstream->enqueue(stalled);
    m_provider.idleTimeoutMs = 350;

    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE_WITH_TIMEOUT(out.ends, 1, 5000);
    QVERIFY(!out.error);
    QCOMPARE(out.content, QStringList {QStringLiteral("slow but sure")});

    auto second = makeRun();
    Outcome out2;
    out2.watch(second.get());
    second->start();
    QTRY_COMPARE_WITH_TIMEOUT(out2.ends, 1, 5000);
    QVERIFY(out2.error);
    QCOMPARE(out2.error->kind, BackendError::Kind::Timeout);
}

void TestOpenAiBackend::abortClosesTheUpstreamConnection()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("one"))),
    });
    reply.chunks.append(
        {FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("two"))), 0, true});
    m_upstream->setDefaultReply(reply);
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.content.size(), 1);
    QCOMPARE(m_upstream->openConnections(), 1);
    run->abort();
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1);
    QCOMPARE(m_upstream->openConnections(), 0);
    m_upstream->releaseHeld(); // the upstream would go on: nothing reaches the run any more
    QCoreApplication::processEvents();
    QCOMPARE(out.log, QStringList {QStringLiteral("content:one")});
    QCOMPARE(out.ends, 0);
    run->abort(); // twice is harmless
}

void TestOpenAiBackend::abortBeforeTheAnswer()
{
    FakeUpstream::Reply reply;
    reply.answer = false;
    m_upstream->setDefaultReply(reply);
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    QSignalSpy received(m_upstream.get(), &FakeUpstream::requestReceived);
    run->start();
    QTRY_COMPARE(received.size(), 1);
    run->abort();
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1);
    QCOMPARE(out.ends, 0);
}

void TestOpenAiBackend::deletingTheRunClosesTheConnection()
{
    FakeUpstream::Reply reply;
    reply.finish = false;
    m_upstream->setDefaultReply(reply);
    auto run = makeRun();
    QSignalSpy received(m_upstream.get(), &FakeUpstream::requestReceived);
    run->start();
    QTRY_COMPARE(received.size(), 1);
    run.reset();
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1);
}

void TestOpenAiBackend::requestBody()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({FakeUpstream::done()}));
    m_provider.headers.insert(QStringLiteral("X-Title"), QStringLiteral("Passerelle tests"));
    BackendRequest request = basicRequest();
    request.modelRef = QStringLiteral("local/org/model-v2:q4");
    request.systemPrompt = QStringLiteral("You are terse.\n\nAnswer in French.");
    request.history = {ChatTurn {QStringLiteral("user"), QStringLiteral("Je m'appelle Ann.")},
                       ChatTurn {QStringLiteral("assistant"), QStringLiteral("Bonjour Ann.")}};
    request.prompt = QStringLiteral("Comment je m'appelle ?");
    request.maxTokens = 64;
    request.stop = QStringList {QStringLiteral("END"), QStringLiteral("\n\n")};
    request.passthrough = parse(R"({"temperature":0.2,"top_p":0.9,"frequency_penalty":0.5,
        "presence_penalty":-0.5,"seed":42,"response_format":{"type":"json_object"},"n":3,"stream":false})");
    auto run = makeRun(request);
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);

    QCOMPARE(m_upstream->requests().size(), 1);
    const FakeUpstream::Request sent = m_upstream->requests().at(0);
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(sent.headers.value("authorization"), "Bearer " + ApiKey.toUtf8());
    QCOMPARE(sent.headers.value("x-title"), QByteArray("Passerelle tests"));
    QCOMPARE(sent.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(compact(sent.json), compact(parse(R"({
        "model":"org/model-v2:q4",
        "messages":[
            {"role":"system","content":"You are terse.\n\nAnswer in French."},
            {"role":"user","content":"Je m'appelle Ann."},
            {"role":"assistant","content":"Bonjour Ann."},
            {"role":"user","content":"Comment je m'appelle ?"}],
        "stream":true,
        "stream_options":{"include_usage":true},
        "temperature":0.2,"top_p":0.9,"frequency_penalty":0.5,"presence_penalty":-0.5,"seed":42,
        "response_format":{"type":"json_object"},
        "stop":["END","\n\n"],
        "max_tokens":64})")));
}

void TestOpenAiBackend::noAuthorizationWithoutKey()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({FakeUpstream::done()}));
    m_provider.apiKey.clear();
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    QVERIFY(!m_upstream->requests().at(0).headers.contains("authorization"));
    QCOMPARE(compact(m_upstream->requests().at(0).json.value(QStringLiteral("messages"))),
             QStringLiteral("[{\"content\":\"Hello\",\"role\":\"user\"}]"));
}

void TestOpenAiBackend::toolTurnsRelayed_data()
{
    QTest::addColumn<bool>("withHistory");
    QTest::addColumn<QJsonArray>("expected");

    QTest::newRow("tool result, stateless: every client message") << false << parseArray(R"([
            {"role":"system","content":"SYS"},
            {"role":"user","content":"Earlier question"},
            {"role":"assistant","content":"Earlier answer"},
            {"role":"user","content":"Weather in Paris?"},
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"18C, sunny"}])");
    QTest::newRow("tool result, stored history: from the last user message")
        << true << parseArray(R"([
            {"role":"system","content":"SYS"},
            {"role":"user","content":"stored q"},
            {"role":"assistant","content":"stored a"},
            {"role":"user","content":"Weather in Paris?"},
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"18C, sunny"}])");
}

void TestOpenAiBackend::toolTurnsRelayed()
{
    QFETCH(bool, withHistory);
    QFETCH(QJsonArray, expected);

    m_upstream->setDefaultReply(FakeUpstream::stream({FakeUpstream::done()}));
    BackendRequest request = basicRequest();
    request.systemPrompt = QStringLiteral("SYS");
    if (withHistory) {
        request.history = {ChatTurn {QStringLiteral("user"), QStringLiteral("stored q")},
                           ChatTurn {QStringLiteral("assistant"), QStringLiteral("stored a")}};
    }
    request.prompt = QStringLiteral("Tool:call_1: 18C, sunny");
    request.clientMessages = parseArray(R"([
        {"role":"developer","content":"be brief"},
        {"role":"user","content":"Earlier question"},
        {"role":"assistant","content":"Earlier answer"},
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"18C, sunny"},
        {"role":"assistant","content":"a trailing entry after the current turn is dropped"}])");
    request.passthrough = parse(
        R"({"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                                    "tool_choice":"auto","parallel_tool_calls":false})");
    auto run = makeRun(request);
    Outcome out;
    out.watch(run.get());
    run->start();
    QTRY_COMPARE(out.ends, 1);
    const QJsonObject sent = m_upstream->requests().at(0).json;
    QCOMPARE(compact(sent.value(QStringLiteral("messages"))), compact(expected));
    QCOMPARE(compact(sent.value(QStringLiteral("tools"))),
             QStringLiteral("[{\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":"
                            "\"object\"}},\"type\":\"function\"}]"));
    QCOMPARE(sent.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("auto"));
    QCOMPARE(sent.value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
}

void TestOpenAiBackend::apiKeyNeverInErrors()
{
    m_upstream->enqueue(FakeUpstream::error(
        401, QStringLiteral("Incorrect API key provided: ") + ApiKey,
        QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key")));
    m_upstream->enqueue(FakeUpstream::error(
        400, QStringLiteral("key ") + ApiKey + QStringLiteral(" cannot use this model"),
        QStringLiteral("invalid_request_error"), ApiKey));
    for (int i = 0; i < 2; ++i) {
        auto run = makeRun();
        Outcome out;
        out.watch(run.get());
        run->start();
        QTRY_COMPARE(out.ends, 1);
        QVERIFY(out.error);
        QVERIFY2(!out.error->message.contains(ApiKey), qPrintable(out.error->message));
        QVERIFY(!out.error->code.contains(ApiKey));
        QVERIFY(out.error->message.contains(QStringLiteral("***")));
    }
}

void TestOpenAiBackend::invalidBaseUrlFailsLater()
{
    m_provider.baseUrl = QStringLiteral("ftp://example/v1");
    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    run->start();
    QCOMPARE(out.ends, 0); // never from inside start()
    QTRY_COMPARE(out.ends, 1);
    QCOMPARE(out.error->kind, BackendError::Kind::Internal);
    QCOMPARE(out.error->message, QStringLiteral("provider 'local' has no valid http(s) baseUrl"));
}

void TestOpenAiBackend::pauseHoldsTheDeltasBack()
{
    // 200 deltas after the first one, then the finish: the run is paused when the first arrives
    // (from its own slot, as a slow client's stream would), and the upstream sends the rest and
    // closes while it is paused.
    constexpr int Deltas = 200;
    FakeUpstream::Reply reply = FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("0"))),
    });
    QByteArray rest;
    for (int i = 1; i <= Deltas; ++i)
        rest += FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral(" %1").arg(i)));
    reply.chunks.append({rest, 0, true});
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("length")))
                             + FakeUpstream::sse(FakeUpstream::usageChunk(4, Deltas + 1))
                             + FakeUpstream::done(),
                         0, false});
    m_upstream->setDefaultReply(reply);
    m_provider.timeoutMs = 100;
    m_provider.idleTimeoutMs = 100;

    auto run = makeRun();
    Outcome out;
    out.watch(run.get());
    BackendRun *raw = run.get();
    connect(raw, &BackendRun::contentDelta, raw, [raw](const QString &text) {
        if (text == QLatin1String("0"))
            raw->setPaused(true);
    });
    run->start();
    QTRY_COMPARE(out.content, QStringList {QStringLiteral("0")});
    QCOMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QTRY_COMPARE(m_upstream->openConnections(), 0); // the upstream has sent it all and closed
    QTest::qWait(3 * m_provider.idleTimeoutMs); // three idle deadlines: none fires
    QCOMPARE(out.log, QStringList {QStringLiteral("content:0")});

    run->setPaused(false);
    QTRY_COMPARE(out.ends, 1);
    QVERIFY2(!out.error, out.error ? qPrintable(out.error->message) : "");
    QCOMPARE(out.content.size(), Deltas + 1);
    for (int i = 1; i <= Deltas; ++i)
        QCOMPARE(out.content.at(i), QStringLiteral(" %1").arg(i));
    QCOMPARE(out.finishReason, QStringLiteral("length"));
    QCOMPARE(out.usage.completionTokens, Deltas + 1);
    QCOMPARE(out.log.last(), QStringLiteral("finished:length"));
}

QTEST_GUILESS_MAIN(TestOpenAiBackend)
#include "tst_openaibackend.moc"
