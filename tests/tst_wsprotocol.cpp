// The WebSocket protocol's pure parts (WsProtocol, WsMethods): frame parsing and building, version
// negotiation, connect params, and how `agent` / `chat.send` requests resolve agents and sessions.

#include "ws/WsMethods.h"
#include "ws/WsProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

namespace {

GatewayConfig twoAgents()
{
    GatewayConfig config;
    AgentConfig main;
    main.id = QStringLiteral("main");
    main.primary = QStringLiteral("echo/echo");
    AgentConfig beta;
    beta.id = QStringLiteral("beta");
    beta.name = QStringLiteral("Beta");
    beta.isDefault = true;
    beta.primary = QStringLiteral("echo/echo");
    beta.fallbacks = {QStringLiteral("other/model")};
    config.agents = {main, beta};
    return config;
}

AuthResult gatewayCaller()
{
    AuthResult r;
    r.outcome = AuthResult::Outcome::Ok;
    r.principal = QStringLiteral("gateway");
    return r;
}

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestWsProtocol : public QObject
{
    Q_OBJECT

private slots:
    void negotiate_data();
    void negotiate();
    void parse_data();
    void parse();
    void frames();
    void closeReasonFitsAControlFrame();
    void connectParams_data();
    void connectParams();
    void planAgent_data();
    void planAgent();
    void planChatSend();
    void abortTarget_data();
    void abortTarget();
    void agentsListHonoursTokenAgents();
};

void TestWsProtocol::negotiate_data()
{
    QTest::addColumn<int>("minProtocol");
    QTest::addColumn<int>("maxProtocol");
    QTest::addColumn<int>("expected");
    QTest::newRow("exactly 4") << 4 << 4 << 4;
    QTest::newRow("exactly 3") << 3 << 3 << 3;
    QTest::newRow("3 to 4") << 3 << 4 << 4;
    QTest::newRow("wide range") << 1 << 100 << 4;
    QTest::newRow("up to 3") << 1 << 3 << 3;
    QTest::newRow("only newer") << 5 << 9 << 0;
    QTest::newRow("only older") << 1 << 2 << 0;
    QTest::newRow("inverted") << 4 << 3 << 0;
}

void TestWsProtocol::negotiate()
{
    QFETCH(int, minProtocol);
    QFETCH(int, maxProtocol);
    QFETCH(int, expected);
    QCOMPARE(WsProtocol::negotiate(minProtocol, maxProtocol), expected);
}

void TestWsProtocol::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("error");
    using K = WsFrameParse::Kind;
    QTest::newRow("request") << QStringLiteral(
        R"({"type":"req","id":"1","method":"health","params":{"a":1}})")
                             << int(K::Request) << QStringLiteral("1") << QStringLiteral("health")
                             << QString();
    QTest::newRow("no params") << QStringLiteral(R"({"type":"req","id":"2","method":"status"})")
                               << int(K::Request) << QStringLiteral("2") << QStringLiteral("status")
                               << QString();
    QTest::newRow("null params") << QStringLiteral(
        R"({"type":"req","id":"3","method":"x","params":null})")
                                 << int(K::Request) << QStringLiteral("3") << QStringLiteral("x")
                                 << QString();
    QTest::newRow("array params")
        << QStringLiteral(R"({"type":"req","id":"4","method":"x","params":[]})") << int(K::Invalid)
        << QStringLiteral("4") << QString()
        << QStringLiteral("invalid request frame: params must be an object");
    QTest::newRow("numeric id") << QStringLiteral(R"({"type":"req","id":5,"method":"x"})")
                                << int(K::Invalid) << QString() << QString()
                                << QStringLiteral(
                                       "invalid request frame: id must be a non-empty string");
    QTest::newRow("empty method")
        << QStringLiteral(R"({"type":"req","id":"6","method":""})") << int(K::Invalid)
        << QStringLiteral("6") << QString()
        << QStringLiteral("invalid request frame: method must be a non-empty string");
    QTest::newRow("event") << QStringLiteral(R"({"type":"event","event":"tick","id":"7"})")
                           << int(K::NotRequest) << QStringLiteral("7") << QString()
                           << QStringLiteral("frame is not a request");
    QTest::newRow("no type") << QStringLiteral(R"({"id":"8","method":"x"})") << int(K::NotRequest)
                             << QStringLiteral("8") << QString()
                             << QStringLiteral("frame is not a request");
    QTest::newRow("array") << QStringLiteral("[1,2]") << int(K::NotJson) << QString() << QString()
                           << QStringLiteral("frame is not a JSON object");
    QTest::newRow("garbage") << QStringLiteral("{\"type\":\"req\",") << int(K::NotJson) << QString()
                             << QString() << QStringLiteral("frame is not a JSON object");
}

void TestWsProtocol::parse()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, id);
    QFETCH(QString, method);
    QFETCH(QString, error);
    const WsFrameParse p = WsProtocol::parse(text);
    QCOMPARE(int(p.kind), kind);
    QCOMPARE(p.id, id);
    QCOMPARE(p.error, error);
    QCOMPARE(p.request.has_value(), kind == int(WsFrameParse::Kind::Request));
    if (p.request)
        QCOMPARE(p.request->method, method);
}

void TestWsProtocol::frames()
{
    QCOMPARE(WsProtocol::response(QStringLiteral("r1"), {{QStringLiteral("a"), 1}}),
             QStringLiteral(R"({"id":"r1","ok":true,"payload":{"a":1},"type":"res"})"));
    QCOMPARE(WsProtocol::event(QStringLiteral("tick"), {{QStringLiteral("ts"), 5}}, 7),
             QStringLiteral(R"({"event":"tick","payload":{"ts":5},"seq":7,"type":"event"})"));
    QCOMPARE(WsProtocol::event(QStringLiteral("connect.challenge"), {}, -1),
             QStringLiteral(R"({"event":"connect.challenge","payload":{},"type":"event"})"));
    WsError locked {WsProtocol::kInvalidRequest, QStringLiteral("locked"), qint64(1500), {}};
    QCOMPARE(
        WsProtocol::errorResponse(QStringLiteral("c"), locked),
        QStringLiteral(
            R"({"error":{"code":"INVALID_REQUEST","message":"locked","retryAfterMs":1500,"retryable":true},"id":"c","ok":false,"type":"res"})"));
    WsError failed {
        WsProtocol::kUnavailable, QStringLiteral("upstream provider error"), std::nullopt, {}};
    QCOMPARE(
        WsProtocol::errorResponse(QStringLiteral("a"), failed,
                                  {{QStringLiteral("status"), QStringLiteral("error")}}),
        QStringLiteral(
            R"({"error":{"code":"UNAVAILABLE","message":"upstream provider error"},"id":"a","ok":false,"payload":{"status":"error"},"type":"res"})"));
}

void TestWsProtocol::closeReasonFitsAControlFrame()
{
    const QString longReason(200, QChar(0x00e9)); // two UTF-8 bytes each
    const QString cut = WsProtocol::closeReason(longReason);
    QVERIFY(cut.toUtf8().size() <= 123);
    QCOMPARE(cut.size(), 61);
    QCOMPARE(WsProtocol::closeReason(QStringLiteral("handshake timeout")),
             QStringLiteral("handshake timeout"));
}

void TestWsProtocol::connectParams_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<bool>("isPassword");
    const char *client = R"("client":{"id":"c","version":"1","platform":"p","mode":"m"})";
    QTest::newRow("token") << json(QByteArray(R"({"minProtocol":3,"maxProtocol":4,)") + client
                                   + R"(,"auth":{"token":"t1"}})")
                           << QString() << QByteArray("t1") << false;
    QTest::newRow("password") << json(QByteArray(R"({"minProtocol":3,"maxProtocol":4,)") + client
                                      + R"(,"auth":{"password":"p1"}})")
                              << QString() << QByteArray("p1") << true;
    QTest::newRow("token wins") << json(QByteArray(R"({"minProtocol":3,"maxProtocol":4,)") + client
                                        + R"(,"auth":{"token":"t","password":"p"}})")
                                << QString() << QByteArray("t") << false;
    QTest::newRow("no auth") << json(QByteArray(R"({"minProtocol":4,"maxProtocol":4,)") + client
                                     + "}")
                             << QString() << QByteArray() << false;
    QTest::newRow("min not integer")
        << json(QByteArray(R"({"minProtocol":3.5,"maxProtocol":4,)") + client + "}")
        << QStringLiteral("invalid connect params: minProtocol must be an integer >= 1")
        << QByteArray() << false;
    QTest::newRow("max missing") << json(
        QByteArray(R"({"minProtocol":3,)") + client
        + "}") << QStringLiteral("invalid connect params: maxProtocol must be an integer >= 1")
                                 << QByteArray() << false;
    QTest::newRow("client missing")
        << json(R"({"minProtocol":3,"maxProtocol":4})")
        << QStringLiteral("invalid connect params: client must be an object") << QByteArray()
        << false;
    QTest::newRow("auth not object")
        << json(QByteArray(R"({"minProtocol":3,"maxProtocol":4,)") + client + R"(,"auth":"t"})")
        << QStringLiteral("invalid connect params: auth must be an object") << QByteArray()
        << false;
}

void TestWsProtocol::connectParams()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, error);
    QFETCH(QByteArray, secret);
    QFETCH(bool, isPassword);
    WsConnectParams out;
    const auto e = WsMethods::parseConnect(params, &out);
    QCOMPARE(e ? e->message : QString(), error);
    if (!e) {
        QCOMPARE(out.secret, secret);
        QCOMPARE(out.secretIsPassword, isPassword);
    }
}

void TestWsProtocol::planAgent_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("agentId");
    QTest::addColumn<QString>("sessionKey");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("error");
    QTest::newRow("default agent, main session")
        << json(R"({"message":"hi","idempotencyKey":"k"})") << QStringLiteral("beta")
        << QStringLiteral("agent:beta:main") << QStringLiteral("hi") << QString();
    QTest::newRow("agent id is lower-cased")
        << json(R"({"message":"hi","agentId":"MAIN"})") << QStringLiteral("main")
        << QStringLiteral("agent:main:main") << QStringLiteral("hi") << QString();
    QTest::newRow("session key names the agent")
        << json(R"({"message":"hi","agentId":"main","sessionKey":"agent:beta:thread-1"})")
        << QStringLiteral("beta") << QStringLiteral("agent:beta:thread-1") << QStringLiteral("hi")
        << QString();
    QTest::newRow("plain session key")
        << json(R"({"message":"hi","agentId":"main","sessionKey":"  my-chat "})")
        << QStringLiteral("main") << QStringLiteral("my-chat") << QStringLiteral("hi") << QString();
    QTest::newRow("message trimmed")
        << json(R"({"message":"  spaced out \n"})") << QStringLiteral("beta")
        << QStringLiteral("agent:beta:main") << QStringLiteral("spaced out") << QString();
    QTest::newRow("unknown agent")
        << json(R"({"message":"hi","agentId":"zed"})") << QString() << QString() << QString()
        << QStringLiteral("Unknown agent 'zed'.");
    QTest::newRow("reserved namespace")
        << json(R"({"message":"hi","sessionKey":"agent:beta:subagent:x"})") << QString()
        << QString() << QString()
        << QStringLiteral("`sessionKey` cannot use reserved internal session namespaces.");
    QTest::newRow("agentId not a string")
        << json(R"({"message":"hi","agentId":3})") << QString() << QString() << QString()
        << QStringLiteral("invalid agent params: agentId must be a string");
}

void TestWsProtocol::planAgent()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, agentId);
    QFETCH(QString, sessionKey);
    QFETCH(QString, prompt);
    QFETCH(QString, error);
    WsRunPlan plan;
    const auto e = WsMethods::planAgent(params, twoAgents(), gatewayCaller(), &plan);
    QCOMPARE(e ? e->message : QString(), error);
    if (e)
        return;
    QCOMPARE(plan.kind, WsRunPlan::Kind::Agent);
    QCOMPARE(plan.agentId, agentId);
    QCOMPARE(plan.sessionKey, sessionKey);
    QCOMPARE(plan.prompt, prompt);
    if (params.contains(QStringLiteral("idempotencyKey")))
        QCOMPARE(plan.runId, QStringLiteral("k"));
    else
        QCOMPARE(plan.runId.size(), 36); // a fresh uuid
}

void TestWsProtocol::planChatSend()
{
    WsRunPlan plan;
    QVERIFY(!WsMethods::planChatSend(
        json(R"({"sessionKey":"agent:main:s","message":"yo","idempotencyKey":"i"})"), twoAgents(),
        gatewayCaller(), &plan));
    QCOMPARE(plan.kind, WsRunPlan::Kind::Chat);
    QCOMPARE(plan.agentId, QStringLiteral("main"));
    QCOMPARE(plan.sessionKey, QStringLiteral("agent:main:s"));
    QCOMPARE(plan.runId, QStringLiteral("i"));
    // A session key without an agent prefix belongs to the default agent.
    QVERIFY(!WsMethods::planChatSend(json(R"({"sessionKey":"lobby","message":"yo"})"), twoAgents(),
                                     gatewayCaller(), &plan));
    QCOMPARE(plan.agentId, QStringLiteral("beta"));
    AuthResult limited = gatewayCaller();
    limited.agents = {QStringLiteral("main")};
    const auto e = WsMethods::planChatSend(json(R"({"sessionKey":"lobby","message":"yo"})"),
                                           twoAgents(), limited, &plan);
    QVERIFY(e);
    QCOMPARE(e->message, QStringLiteral("token may not use agent 'beta'"));
}

void TestWsProtocol::abortTarget_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("sessionKey");
    QTest::addColumn<QString>("runId");
    QTest::addColumn<QString>("error");
    QTest::newRow("session") << json(R"({"sessionKey":" s "})") << QStringLiteral("s") << QString()
                             << QString();
    QTest::newRow("run only") << json(R"({"runId":"r"})") << QString() << QStringLiteral("r")
                              << QString();
    QTest::newRow("both") << json(R"({"sessionKey":"s","runId":"r"})") << QStringLiteral("s")
                          << QStringLiteral("r") << QString();
    QTest::newRow("neither") << json("{}") << QString() << QString()
                             << QStringLiteral(
                                    "invalid chat.abort params: sessionKey or runId is required");
    QTest::newRow("not strings")
        << json(R"({"sessionKey":1})") << QString() << QString()
        << QStringLiteral("invalid chat.abort params: sessionKey and runId must be strings");
}

void TestWsProtocol::abortTarget()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, sessionKey);
    QFETCH(QString, runId);
    QFETCH(QString, error);
    WsAbortTarget target;
    const auto e = WsMethods::parseAbort(params, &target);
    QCOMPARE(e ? e->message : QString(), error);
    if (!e) {
        QCOMPARE(target.sessionKey, sessionKey);
        QCOMPARE(target.runId, runId);
    }
}

void TestWsProtocol::agentsListHonoursTokenAgents()
{
    const QJsonObject all = WsMethods::agentsList(twoAgents(), gatewayCaller());
    QCOMPARE(all.value(QStringLiteral("defaultId")).toString(), QStringLiteral("beta"));
    const QJsonArray agents = all.value(QStringLiteral("agents")).toArray();
    QCOMPARE(agents.size(), 2);
    QCOMPARE(agents.at(1).toObject(),
             json(R"({"id":"beta","name":"Beta","default":true,"identity":{"name":"Beta"},)"
                  R"("model":{"primary":"echo/echo","fallbacks":["other/model"]}})"));
    AuthResult limited = gatewayCaller();
    limited.agents = {QStringLiteral("main")};
    const QJsonArray some
        = WsMethods::agentsList(twoAgents(), limited).value(QStringLiteral("agents")).toArray();
    QCOMPARE(some.size(), 1);
    QCOMPARE(some.first().toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("main"));
}

QTEST_GUILESS_MAIN(TestWsProtocol)
#include "tst_wsprotocol.moc"
