// WebSocket contract of SPEC.md section 8 as a client sees it: a real gateway on port 0, QWebSocket
// clients, exact frames, close codes and event orders.

#include "support/TestGateway.h"
#include "support/WsClient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <functional>
#include <memory>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QString kMethods = QStringLiteral(
    "health,status,agents.list,sessions.list,chat.history,agent,chat.send,chat.abort");

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString words(int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out.append(QStringLiteral("w%1").arg(i));
    return out.join(QLatin1Char(' '));
}

QJsonObject payloadOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("payload")).toObject();
}

QString errorMessage(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("message"))
        .toString();
}

QStringList strings(const QJsonValue &array)
{
    QStringList out;
    const QJsonArray a = array.toArray();
    for (const QJsonValue &v : a)
        out.append(v.toString());
    return out;
}

// The frames of one run: agent/chat events carrying its runId and the responses to `id`.
QList<QJsonObject> runFrames(const QList<QJsonObject> &frames, const QString &runId,
                             const QString &id)
{
    QList<QJsonObject> out;
    for (const QJsonObject &f : frames) {
        if (WsClient::isResponse(f, id))
            out.append(f);
        else if (f.value(QStringLiteral("type")).toString() == QLatin1String("event")
                 && payloadOf(f).value(QStringLiteral("runId")).toString() == runId)
            out.append(f);
    }
    return out;
}

// "event:agent:lifecycle:start", "event:agent:assistant:<delta>", "res:ok:accepted", ...
QString describe(const QJsonObject &f)
{
    const QJsonObject p = payloadOf(f);
    if (f.value(QStringLiteral("type")).toString() == QLatin1String("res")) {
        return QStringLiteral("res:%1:%2")
            .arg(f.value(QStringLiteral("ok")).toBool() ? QStringLiteral("ok")
                                                        : QStringLiteral("error"),
                 p.value(QStringLiteral("status")).toString());
    }
    const QString event = f.value(QStringLiteral("event")).toString();
    if (event == QLatin1String("agent")) {
        const QJsonObject data = p.value(QStringLiteral("data")).toObject();
        const QString stream = p.value(QStringLiteral("stream")).toString();
        const QString detail = stream == QLatin1String("assistant")
            ? data.value(QStringLiteral("delta")).toString()
            : data.value(QStringLiteral("phase")).toString();
        return QStringLiteral("agent:%1:%2").arg(stream, detail);
    }
    if (event == QLatin1String("chat")) {
        const QString state = p.value(QStringLiteral("state")).toString();
        return state == QLatin1String("delta")
            ? QStringLiteral("chat:delta:%1").arg(p.value(QStringLiteral("deltaText")).toString())
            : QStringLiteral("chat:%1").arg(state);
    }
    return QStringLiteral("event:") + event;
}

} // namespace

class TestWs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void challengeAndHelloOk();
    void protocolNegotiation_data();
    void protocolNegotiation();
    void refusedHandshakes_data();
    void refusedHandshakes();
    void preAuthMessageSize();
    void preAuthConnectionsPerIp();
    void hostGuardOnUpgrade();
    void badAuthCountsInSharedLimiter();
    void passwordMode();
    void namedTokenSeesItsAgents();
    void revokedTokenClosesConnection();
    void health();
    void status();
    void agentsList();
    void sessionsListAndHistory();
    void unknownMethodKeepsSocket();
    void invalidRequests_data();
    void invalidRequests();
    void agentRunEventOrder();
    void agentRunExtraSystemPrompt();
    void chatSendEventOrder();
    void chatAbortAgentRun();
    void chatAbortByRunIdAsSessionKey();
    void chatAbortChatSendRun();
    void chatAbortNothing();
    void duplicateRunId();
    void socketCloseAbortsRun();
    void runsInRequestLog();
    void httpUnaffectedDuringWsTraffic();
    void ticksAndHandshakeTimeout();

private:
    quint16 port() const { return m_gw->port(); }
    std::unique_ptr<TestGateway> m_gw;
};

void TestWs::initTestCase()
{
    m_gw = std::make_unique<TestGateway>(TestGateway::configText(
        {},
        "agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },"
        " { id: 'beta', name: 'Beta', model: 'echo/echo', systemPrompt: 'Be brief.' },"
        " { id: 'slow', model: 'slow/echo' } ] },"
        "models: { providers: { slow: { api: 'echo', chunkDelayMs: 30 } } }"));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
}

void TestWs::cleanupTestCase()
{
    m_gw.reset();
}

void TestWs::challengeAndHelloOk()
{
    WsClient c;
    QVERIFY(c.open(port()));
    QVERIFY(
        c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "connect.challenge"); }));
    const QJsonObject challenge = c.frames().first();
    QCOMPARE(challenge.value(QStringLiteral("type")).toString(), QStringLiteral("event"));
    QCOMPARE(challenge.value(QStringLiteral("event")).toString(),
             QStringLiteral("connect.challenge"));
    QVERIFY(!challenge.contains(QStringLiteral("seq")));
    const QJsonObject nonce = payloadOf(challenge);
    QCOMPARE(nonce.size(), 2);
    QVERIFY(nonce.value(QStringLiteral("nonce")).toString().size() >= 16);
    const qint64 ts = qint64(nonce.value(QStringLiteral("ts")).toDouble());
    QVERIFY(qAbs(ts - QDateTime::currentMSecsSinceEpoch()) < 60000);

    const QString id = c.send(QStringLiteral("connect"), wsConnectParams(wsTokenAuth()),
                              QStringLiteral("connect-1"));
    const QJsonObject res = c.waitResponse(id);
    QCOMPARE(res.value(QStringLiteral("ok")).toBool(), true);
    const QJsonObject hello = payloadOf(res);
    QCOMPARE(hello.value(QStringLiteral("type")).toString(), QStringLiteral("hello-ok"));
    QCOMPARE(hello.value(QStringLiteral("protocol")).toInt(), 4);
    const QJsonObject server = hello.value(QStringLiteral("server")).toObject();
    QCOMPARE(server.value(QStringLiteral("version")).toString(),
             QStringLiteral(PASSERELLE_VERSION));
    QVERIFY(!server.value(QStringLiteral("connId")).toString().isEmpty());
    const QJsonObject features = hello.value(QStringLiteral("features")).toObject();
    QCOMPARE(strings(features.value(QStringLiteral("methods"))).join(QLatin1Char(',')), kMethods);
    QCOMPARE(strings(features.value(QStringLiteral("events"))).join(QLatin1Char(',')),
             QStringLiteral("connect.challenge,tick,agent,chat,shutdown"));
    const QJsonObject policy = hello.value(QStringLiteral("policy")).toObject();
    QCOMPARE(policy.value(QStringLiteral("tickIntervalMs")).toInt(), 15000);
    QCOMPARE(policy.value(QStringLiteral("maxPayload")).toInteger(), qint64(26214400));
    QCOMPARE(policy.value(QStringLiteral("maxBufferedBytes")).toInteger(), qint64(52428800));
    const QJsonObject snapshot = hello.value(QStringLiteral("snapshot")).toObject();
    QCOMPARE(snapshot.value(QStringLiteral("authMode")).toString(), QStringLiteral("token"));
    const QJsonObject defaults = snapshot.value(QStringLiteral("sessionDefaults")).toObject();
    QCOMPARE(defaults.value(QStringLiteral("defaultAgentId")).toString(), QStringLiteral("main"));
    QCOMPARE(defaults.value(QStringLiteral("mainSessionKey")).toString(),
             QStringLiteral("agent:main:main"));
    // No device token is issued: clients keep using the gateway token.
    QVERIFY(!hello.contains(QStringLiteral("auth")));
    // The secret never travels back.
    QVERIFY(!compact(res).contains(QLatin1String(TestGateway::kToken)));
}

void TestWs::protocolNegotiation_data()
{
    QTest::addColumn<int>("minProtocol");
    QTest::addColumn<int>("maxProtocol");
    QTest::addColumn<int>("expected");
    QTest::newRow("v4 only") << 4 << 4 << 4;
    QTest::newRow("v3 only") << 3 << 3 << 3;
    QTest::newRow("v3 to v4") << 3 << 4 << 4;
    QTest::newRow("v1 to v3") << 1 << 3 << 3;
    QTest::newRow("v2 to v9") << 2 << 9 << 4;
}

void TestWs::protocolNegotiation()
{
    QFETCH(int, minProtocol);
    QFETCH(int, maxProtocol);
    QFETCH(int, expected);
    WsClient c;
    QVERIFY(c.open(port()));
    const QJsonObject res = c.connectWith(wsConnectParams(wsTokenAuth(), minProtocol, maxProtocol));
    QCOMPARE(res.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(payloadOf(res).value(QStringLiteral("protocol")).toInt(), expected);
}

void TestWs::refusedHandshakes_data()
{
    QTest::addColumn<QString>("firstFrame"); // "" with binary: a binary frame
    QTest::addColumn<bool>("binary");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("closeReason");
    QTest::addColumn<QString>("expectedError"); // of the error res; "" when none is sent

    const auto req = [](const QString &method, const QJsonObject &params) {
        return compact({{QStringLiteral("type"), QStringLiteral("req")},
                        {QStringLiteral("id"), QStringLiteral("first")},
                        {QStringLiteral("method"), method},
                        {QStringLiteral("params"), params}});
    };
    const QString firstIsConnect
        = QStringLiteral("invalid handshake: first frame must be a connect request");
    QTest::newRow("not json") << QStringLiteral("hello") << false << 1008 << firstIsConnect
                              << QString();
    QTest::newRow("event frame") << compact({{QStringLiteral("type"), QStringLiteral("event")},
                                             {QStringLiteral("event"), QStringLiteral("tick")}})
                                 << false << 1008 << firstIsConnect << QString();
    QTest::newRow("other method first")
        << req(QStringLiteral("health"), {}) << false << 1008 << firstIsConnect
        << QStringLiteral("invalid handshake: first request must be connect");
    QTest::newRow("binary frame") << QString() << true << 1008 << firstIsConnect << QString();
    QTest::newRow("connect without client")
        << req(QStringLiteral("connect"),
               {{QStringLiteral("minProtocol"), 3}, {QStringLiteral("maxProtocol"), 4}})
        << false << 1008 << QStringLiteral("invalid connect params")
        << QStringLiteral("invalid connect params: client must be an object");
    QTest::newRow("protocol too new")
        << req(QStringLiteral("connect"), wsConnectParams(wsTokenAuth(), 5, 6)) << false << 1002
        << QStringLiteral("protocol mismatch") << QStringLiteral("protocol mismatch");
    QTest::newRow("protocol too old")
        << req(QStringLiteral("connect"), wsConnectParams(wsTokenAuth(), 1, 2)) << false << 1002
        << QStringLiteral("protocol mismatch") << QStringLiteral("protocol mismatch");
    QTest::newRow("wrong token") << req(QStringLiteral("connect"),
                                        wsConnectParams(wsTokenAuth("not-the-token")))
                                 << false << 1008 << QStringLiteral("unauthorized")
                                 << QStringLiteral("unauthorized: gateway token mismatch");
    QTest::newRow("no auth") << req(QStringLiteral("connect"), wsConnectParams({})) << false << 1008
                             << QStringLiteral("unauthorized")
                             << QStringLiteral("unauthorized: gateway token missing");
}

void TestWs::refusedHandshakes()
{
    QFETCH(QString, firstFrame);
    QFETCH(bool, binary);
    QFETCH(int, closeCode);
    QFETCH(QString, closeReason);
    QFETCH(QString, expectedError);

    WsClient c;
    QVERIFY(c.open(port()));
    QVERIFY(
        c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "connect.challenge"); }));
    if (binary)
        c.sendBinary(QByteArrayLiteral("\x01\x02"));
    else
        c.sendText(firstFrame);
    QVERIFY(c.waitClosed());
    QCOMPARE(c.closeCode(), closeCode);
    QCOMPARE(c.closeReason(), closeReason);
    // The challenge, then at most the error answer to the offending request.
    QCOMPARE(int(c.frames().size()), expectedError.isEmpty() ? 1 : 2);
    if (!expectedError.isEmpty()) {
        const QJsonObject res = c.frames().at(1);
        QCOMPARE(res.value(QStringLiteral("id")).toString(), QStringLiteral("first"));
        QCOMPARE(res.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(
            res.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("INVALID_REQUEST"));
        QCOMPARE(errorMessage(res), expectedError);
    }
}

void TestWs::preAuthMessageSize()
{
    // Before `connect` succeeds a message may not exceed 64 KiB: the socket is closed (1009).
    WsClient big;
    QVERIFY(big.open(port()));
    QJsonObject params = wsConnectParams(wsTokenAuth());
    params.insert(QStringLiteral("locale"), QString(70 * 1024, QLatin1Char('x')));
    big.send(QStringLiteral("connect"), params);
    QVERIFY(big.waitClosed());
    QCOMPARE(big.closeCode(), 1009);

    // Once connected, larger messages are fine.
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString id = c.send(QStringLiteral("health"),
                              {{QStringLiteral("pad"), QString(200 * 1024, QLatin1Char('x'))}});
    QCOMPARE(c.waitResponse(id).value(QStringLiteral("ok")).toBool(), true);
}

void TestWs::preAuthConnectionsPerIp()
{
    // 16 connections of one IP may sit in the handshake; the 17th upgrade is refused.
    std::vector<std::unique_ptr<WsClient>> pending;
    for (int i = 0; i < 16; ++i) {
        pending.push_back(std::make_unique<WsClient>());
        QVERIFY2(pending.back()->open(port()), qPrintable(QString::number(i)));
        QVERIFY(pending.back()->waitFor(
            [](const QJsonObject &f) { return WsClient::isEvent(f, "connect.challenge"); }));
    }
    TestHttpClient http = m_gw->client();
    const QByteArray upgrade
        = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    const HttpResponse refused = http.raw(upgrade);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.header("retry-after"), QByteArray("10"));
    WsClient extra;
    QVERIFY(!extra.open(port()));

    // Completing a handshake frees a slot; so does leaving.
    QCOMPARE(pending.front()
                 ->connectWith(wsConnectParams(wsTokenAuth()))
                 .value(QStringLiteral("ok"))
                 .toBool(),
             true);
    WsClient next;
    QVERIFY(next.open(port()));
    pending.back()->close();
    QVERIFY(pending.back()->waitClosed());
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            WsClient probe;
            return probe.open(port());
        }(),
        5000);
    // Authenticated connections do not count at all.
    for (auto &p : pending)
        p->abort();
    next.abort();
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            WsClient probe;
            return probe.open(port());
        }(),
        5000);
    std::vector<std::unique_ptr<WsClient>> open;
    for (int i = 0; i < 20; ++i) {
        open.push_back(std::make_unique<WsClient>());
        QVERIFY2(open.back()->handshake(port()), qPrintable(QString::number(i)));
    }
}

void TestWs::hostGuardOnUpgrade()
{
    TestHttpClient http = m_gw->client();
    const QByteArray upgrade
        = "GET / HTTP/1.1\r\nHost: evil.example:8080\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    const HttpResponse r = http.raw(upgrade);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body, QByteArray(R"({"error":{"message":"Host not allowed","type":"forbidden"}})"));
}

void TestWs::badAuthCountsInSharedLimiter()
{
    m_gw->update([](GatewayConfig &c) {
        c.auth.rateLimit = RateLimitConfig {3, 60000, 120000, false};
    });
    QSignalSpy locked(&m_gw->controller(), &GatewayController::ipLockedOut);
    // A missing secret is not counted.
    for (int i = 0; i < 4; ++i) {
        WsClient c;
        QVERIFY(c.open(port()));
        QCOMPARE(errorMessage(c.connectWith(wsConnectParams({}))),
                 QStringLiteral("unauthorized: gateway token missing"));
    }
    // One wrong secret over HTTP, two over WebSocket: the same limiter.
    QCOMPARE(m_gw->client().post("/v1/chat/completions", "{}", "wrong-http").status, 401);
    for (int i = 0; i < 2; ++i) {
        WsClient c;
        QVERIFY(c.open(port()));
        QCOMPARE(errorMessage(c.connectWith(wsConnectParams(wsTokenAuth("wrong-ws")))),
                 QStringLiteral("unauthorized: gateway token mismatch"));
        QVERIFY(c.waitClosed());
        QCOMPARE(c.closeCode(), 1008);
    }
    QTRY_COMPARE(locked.count(), 1);
    // Locked out: even the right token is refused, with a retry hint.
    WsClient c;
    QVERIFY(c.open(port()));
    const QJsonObject res = c.connectWith(wsConnectParams(wsTokenAuth()));
    QCOMPARE(res.value(QStringLiteral("ok")).toBool(), false);
    const QJsonObject error = res.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("message")).toString(),
             QStringLiteral("Too many failed authentication attempts. Please try again later."));
    QCOMPARE(error.value(QStringLiteral("retryable")).toBool(), true);
    const qint64 retry = error.value(QStringLiteral("retryAfterMs")).toInteger();
    QVERIFY2(retry > 100000 && retry <= 120000, qPrintable(QString::number(retry)));
    QVERIFY(c.waitClosed());
    QCOMPARE(c.closeCode(), 1008);
    QCOMPARE(c.closeReason(), QStringLiteral("too many failed authentication attempts"));
    QCOMPARE(m_gw->client().post("/v1/chat/completions", "{}", TestGateway::kToken).status, 429);

    m_gw->controller().clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            WsClient after;
            return after.handshake(port());
        }(),
        5000);
    m_gw->update([](GatewayConfig &cfg) { cfg.auth.rateLimit = RateLimitConfig {}; });
}

void TestWs::passwordMode()
{
    m_gw->update([](GatewayConfig &c) {
        c.auth.mode = AuthMode::Password;
        c.auth.password = QStringLiteral("ws-password-1");
    });
    WsClient ok;
    QVERIFY(ok.open(port()));
    const QJsonObject hello = ok.connectWith(
        wsConnectParams({{QStringLiteral("password"), QStringLiteral("ws-password-1")}}));
    QCOMPARE(hello.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(payloadOf(hello)
                 .value(QStringLiteral("snapshot"))
                 .toObject()
                 .value(QStringLiteral("authMode"))
                 .toString(),
             QStringLiteral("password"));
    WsClient wrong;
    QVERIFY(wrong.open(port()));
    QCOMPARE(errorMessage(wrong.connectWith(
                 wsConnectParams({{QStringLiteral("password"), QStringLiteral("nope")}}))),
             QStringLiteral("unauthorized: gateway password mismatch"));
    QVERIFY(wrong.waitClosed());
    QCOMPARE(wrong.closeCode(), 1008);

    m_gw->update([](GatewayConfig &c) {
        c.auth.mode = AuthMode::Token;
        c.auth.password.clear();
    });
    // Changing the auth settings re-checks open connections: the password no longer opens it.
    QVERIFY(ok.waitClosed());
    QCOMPARE(ok.closeCode(), 1008);
    QCOMPARE(ok.closeReason(), QStringLiteral("credentials no longer valid"));
}

void TestWs::namedTokenSeesItsAgents()
{
    const QByteArray secret = "named-ws-secret-beta";
    m_gw->update([&](GatewayConfig &c) {
        NamedToken t;
        t.name = QStringLiteral("ws-bot");
        t.sha256Hex = QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
        t.agents = {QStringLiteral("beta")};
        t.createdAt = QDateTime::currentDateTimeUtc();
        c.auth.tokens = {t};
    });
    WsClient c;
    QVERIFY(c.handshake(port(), wsTokenAuth(secret)));
    const QJsonObject list = payloadOf(c.waitResponse(c.send(QStringLiteral("agents.list"))));
    QCOMPARE(list.value(QStringLiteral("agents")).toArray().size(), 1);
    QCOMPARE(list.value(QStringLiteral("agents"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
             QStringLiteral("beta"));
    const QJsonObject refused
        = c.waitResponse(c.send(QStringLiteral("agent"),
                                {{QStringLiteral("message"), QStringLiteral("hi")},
                                 {QStringLiteral("agentId"), QStringLiteral("main")}}));
    QCOMPARE(errorMessage(refused), QStringLiteral("token may not use agent 'main'"));
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), QStringLiteral("hi")},
                               {QStringLiteral("agentId"), QStringLiteral("beta")}});
    QCOMPARE(payloadOf(c.waitResponse(id, 1)).value(QStringLiteral("status")).toString(),
             QStringLiteral("ok"));
    m_gw->update([](GatewayConfig &cfg) { cfg.auth.tokens.clear(); });
}

void TestWs::revokedTokenClosesConnection()
{
    const QByteArray secret = "named-ws-secret-revoked";
    m_gw->update([&](GatewayConfig &c) {
        NamedToken t;
        t.name = QStringLiteral("short-lived");
        t.sha256Hex = QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
        t.createdAt = QDateTime::currentDateTimeUtc();
        c.auth.tokens = {t};
    });
    WsClient named;
    QVERIFY(named.handshake(port(), wsTokenAuth(secret)));
    WsClient main;
    QVERIFY(main.handshake(port()));
    m_gw->update([](GatewayConfig &c) { c.auth.tokens.clear(); });
    QVERIFY(named.waitClosed());
    QCOMPARE(named.closeCode(), 1008);
    QCOMPARE(named.closeReason(), QStringLiteral("credentials no longer valid"));
    // The gateway token's connection is untouched.
    QCOMPARE(
        main.waitResponse(main.send(QStringLiteral("health"))).value(QStringLiteral("ok")).toBool(),
        true);
    QVERIFY(!main.isClosed());
}

void TestWs::health()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject res = c.waitResponse(c.send(QStringLiteral("health")));
    QCOMPARE(res.value(QStringLiteral("ok")).toBool(), true);
    const QJsonObject h = payloadOf(res);
    QCOMPARE(h.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(h.value(QStringLiteral("status")).toString(), QStringLiteral("live"));
    QCOMPARE(h.value(QStringLiteral("defaultAgentId")).toString(), QStringLiteral("main"));
    const QJsonArray agents = h.value(QStringLiteral("agents")).toArray();
    QCOMPARE(agents.size(), 3);
    QCOMPARE(agents.at(0).toObject(),
             (QJsonObject {{QStringLiteral("agentId"), QStringLiteral("main")},
                           {QStringLiteral("isDefault"), true}}));
}

void TestWs::status()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject s = payloadOf(c.waitResponse(c.send(QStringLiteral("status"))));
    QCOMPARE(s.value(QStringLiteral("version")).toString(), QStringLiteral(PASSERELLE_VERSION));
    QCOMPARE(s.value(QStringLiteral("authMode")).toString(), QStringLiteral("token"));
    QCOMPARE(s.value(QStringLiteral("chatCompletionsEnabled")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("defaultAgentId")).toString(), QStringLiteral("main"));
    QCOMPARE(s.value(QStringLiteral("agents")).toInt(), 3);
    QVERIFY(s.value(QStringLiteral("connections")).toInt() >= 1);
    QCOMPARE(s.value(QStringLiteral("activeRuns")).toInt(), 0);
    QVERIFY(s.value(QStringLiteral("uptimeMs")).toInteger() > 0);
}

void TestWs::agentsList()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject list = payloadOf(c.waitResponse(c.send(QStringLiteral("agents.list"))));
    QCOMPARE(list.value(QStringLiteral("defaultId")).toString(), QStringLiteral("main"));
    QCOMPARE(list.value(QStringLiteral("mainKey")).toString(), QStringLiteral("main"));
    const QJsonArray agents = list.value(QStringLiteral("agents")).toArray();
    QCOMPARE(agents.size(), 3);
    QStringList ids;
    for (const QJsonValue &a : agents)
        ids.append(a.toObject().value(QStringLiteral("id")).toString());
    QCOMPARE(
        ids,
        (QStringList {QStringLiteral("main"), QStringLiteral("beta"), QStringLiteral("slow")}));
    const QJsonObject beta = agents.at(1).toObject();
    QCOMPARE(beta.value(QStringLiteral("name")).toString(), QStringLiteral("Beta"));
    QCOMPARE(
        beta.value(QStringLiteral("identity")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Beta"));
    QCOMPARE(beta.value(QStringLiteral("default")).toBool(), false);
    QCOMPARE(
        beta.value(QStringLiteral("model")).toObject().value(QStringLiteral("primary")).toString(),
        QStringLiteral("echo/echo"));
    QCOMPARE(agents.at(0).toObject().value(QStringLiteral("default")).toBool(), true);
}

void TestWs::sessionsListAndHistory()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString key = QStringLiteral("agent:beta:ws-history");
    const QString id = c.send(QStringLiteral("chat.send"),
                              {{QStringLiteral("sessionKey"), key},
                               {QStringLiteral("message"), QStringLiteral("remember this")},
                               {QStringLiteral("idempotencyKey"), QStringLiteral("hist-1")}});
    QCOMPARE(payloadOf(c.waitResponse(id)).value(QStringLiteral("status")).toString(),
             QStringLiteral("started"));
    QVERIFY(c.waitFor([](const QJsonObject &f) {
        return WsClient::isEvent(f, "chat")
            && payloadOf(f).value(QStringLiteral("state")).toString() == QLatin1String("final");
    }));

    const QJsonObject list = payloadOf(c.waitResponse(c.send(QStringLiteral("sessions.list"))));
    QCOMPARE(list.value(QStringLiteral("defaults"))
                 .toObject()
                 .value(QStringLiteral("mainSessionKey"))
                 .toString(),
             QStringLiteral("agent:main:main"));
    const QJsonObject history = payloadOf(c.waitResponse(
        c.send(QStringLiteral("chat.history"), {{QStringLiteral("sessionKey"), key}})));
    QCOMPARE(history.value(QStringLiteral("sessionKey")).toString(), key);
    QCOMPARE(history.value(QStringLiteral("agentId")).toString(), QStringLiteral("beta"));

    const QJsonArray sessions = list.value(QStringLiteral("sessions")).toArray();
    const QJsonArray messages = history.value(QStringLiteral("messages")).toArray();
    QStringList keys;
    for (const QJsonValue &s : sessions)
        keys.append(s.toObject().value(QStringLiteral("key")).toString());
    QVERIFY2(keys.contains(key), qPrintable(keys.join(QLatin1Char(' '))));
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject(),
             (QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                           {QStringLiteral("content"),
                            QJsonArray {QJsonObject {
                                {QStringLiteral("type"), QStringLiteral("text")},
                                {QStringLiteral("text"), QStringLiteral("remember this")}}}}}));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("role")).toString(),
             QStringLiteral("assistant"));
    QCOMPARE(messages.at(1)
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             QStringLiteral("remember this"));
    // `limit` keeps the newest messages.
    const QJsonObject last = payloadOf(c.waitResponse(
        c.send(QStringLiteral("chat.history"),
               {{QStringLiteral("sessionKey"), key}, {QStringLiteral("limit"), 1}})));
    QCOMPARE(last.value(QStringLiteral("messages")).toArray().size(), 1);
    QCOMPARE(last.value(QStringLiteral("messages"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("role"))
                 .toString(),
             QStringLiteral("assistant"));
    // A per-agent filter.
    const QString other = QStringLiteral("agent:main:ws-history-other");
    c.send(QStringLiteral("chat.send"),
           {{QStringLiteral("sessionKey"), other},
            {QStringLiteral("message"), QStringLiteral("elsewhere")},
            {QStringLiteral("idempotencyKey"), QStringLiteral("hist-2")}});
    QVERIFY(c.waitFor([](const QJsonObject &f) {
        return WsClient::isEvent(f, "chat")
            && payloadOf(f).value(QStringLiteral("runId")).toString() == QLatin1String("hist-2")
            && payloadOf(f).value(QStringLiteral("state")).toString() == QLatin1String("final");
    }));
    const QJsonArray betaOnly
        = payloadOf(c.waitResponse(c.send(QStringLiteral("sessions.list"),
                                          {{QStringLiteral("agentId"), QStringLiteral("beta")}})))
              .value(QStringLiteral("sessions"))
              .toArray();
    QStringList betaKeys;
    for (const QJsonValue &s : betaOnly) {
        QCOMPARE(s.toObject().value(QStringLiteral("agentId")).toString(), QStringLiteral("beta"));
        betaKeys.append(s.toObject().value(QStringLiteral("key")).toString());
    }
    QVERIFY(betaKeys.contains(key));
    QVERIFY(!betaKeys.contains(other));
}

void TestWs::unknownMethodKeepsSocket()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject res
        = c.waitResponse(c.send(QStringLiteral("config.apply"), {}, QStringLiteral("u1")));
    QCOMPARE(
        compact(res),
        QStringLiteral(
            R"({"error":{"code":"INVALID_REQUEST","message":"unknown method: config.apply"},"id":"u1","ok":false,"type":"res"})"));
    // A malformed request with an id is answered; junk is ignored; the socket stays open.
    c.sendText(QStringLiteral(R"({"type":"req","id":"m1","params":{}})"));
    QCOMPARE(errorMessage(c.waitResponse(QStringLiteral("m1"))),
             QStringLiteral("invalid request frame: method must be a non-empty string"));
    c.sendText(QStringLiteral("not json at all"));
    c.sendText(compact(wsConnectParams(wsTokenAuth())));
    QCOMPARE(errorMessage(
                 c.waitResponse(c.send(QStringLiteral("connect"), wsConnectParams(wsTokenAuth())))),
             QStringLiteral("already connected"));
    QCOMPARE(c.waitResponse(c.send(QStringLiteral("health"))).value(QStringLiteral("ok")).toBool(),
             true);
    QVERIFY(!c.isClosed());
}

void TestWs::invalidRequests_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("message");
    const QString msg = QStringLiteral("message");
    QTest::newRow("agent without message")
        << QStringLiteral("agent") << QJsonObject {}
        << QStringLiteral("invalid agent params: message must be a non-empty string");
    QTest::newRow("agent blank message")
        << QStringLiteral("agent") << QJsonObject {{msg, QStringLiteral("   ")}}
        << QStringLiteral("Missing user message in `message`.");
    QTest::newRow("agent unknown agent")
        << QStringLiteral("agent")
        << QJsonObject {{msg, QStringLiteral("hi")},
                        {QStringLiteral("agentId"), QStringLiteral("nobody")}}
        << QStringLiteral("Unknown agent 'nobody'.");
    QTest::newRow("agent malformed agent id")
        << QStringLiteral("agent")
        << QJsonObject {{msg, QStringLiteral("hi")},
                        {QStringLiteral("agentId"), QStringLiteral("no way!")}}
        << QStringLiteral("invalid agentId 'no way!'");
    QTest::newRow("agent session of unknown agent")
        << QStringLiteral("agent")
        << QJsonObject {{msg, QStringLiteral("hi")},
                        {QStringLiteral("sessionKey"), QStringLiteral("agent:ghost:x")}}
        << QStringLiteral("Unknown agent 'ghost'.");
    QTest::newRow("agent reserved session")
        << QStringLiteral("agent")
        << QJsonObject {{msg, QStringLiteral("hi")},
                        {QStringLiteral("sessionKey"), QStringLiteral("cron:nightly")}}
        << QStringLiteral("`sessionKey` cannot use reserved internal session namespaces.");
    QTest::newRow("chat.send without session")
        << QStringLiteral("chat.send") << QJsonObject {{msg, QStringLiteral("hi")}}
        << QStringLiteral("invalid chat.send params: sessionKey must be a non-empty string");
    QTest::newRow("chat.send message not a string")
        << QStringLiteral("chat.send")
        << QJsonObject {{QStringLiteral("sessionKey"), QStringLiteral("s")}, {msg, 5}}
        << QStringLiteral("invalid chat.send params: message must be a string");
    QTest::newRow("chat.abort without target")
        << QStringLiteral("chat.abort") << QJsonObject {}
        << QStringLiteral("invalid chat.abort params: sessionKey or runId is required");
    QTest::newRow("chat.history without session")
        << QStringLiteral("chat.history") << QJsonObject {}
        << QStringLiteral("invalid chat.history params: sessionKey must be a non-empty string");
    QTest::newRow("chat.history limit too big")
        << QStringLiteral("chat.history")
        << QJsonObject {{QStringLiteral("sessionKey"), QStringLiteral("s")},
                        {QStringLiteral("limit"), 5000}}
        << QStringLiteral("invalid chat.history params: limit must be an integer from 1 to 1000");
    QTest::newRow("sessions.list bad limit")
        << QStringLiteral("sessions.list") << QJsonObject {{QStringLiteral("limit"), 0}}
        << QStringLiteral("invalid sessions.list params: limit must be an integer >= 1");
}

void TestWs::invalidRequests()
{
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    QFETCH(QString, message);
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject res = c.waitResponse(c.send(method, params));
    QCOMPARE(res.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(res.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("INVALID_REQUEST"));
    QCOMPARE(errorMessage(res), message);
    // No run started: the next answer is the next request's.
    const QString next = c.send(QStringLiteral("health"));
    QCOMPARE(c.frames().size(), 3); // challenge, hello-ok, the error
    QVERIFY(!c.waitResponse(next).isEmpty());
    QVERIFY(!c.isClosed());
}

void TestWs::agentRunEventOrder()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const int start = int(c.frames().size());
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), QStringLiteral("hello there world")},
                               {QStringLiteral("idempotencyKey"), QStringLiteral("run-order-1")}},
                              QStringLiteral("a1"));
    const QJsonObject final = c.waitResponse(id, 1);
    QVERIFY(!final.isEmpty());
    const QList<QJsonObject> frames
        = runFrames(c.frames().mid(start), QStringLiteral("run-order-1"), id);
    QStringList order;
    for (const QJsonObject &f : frames)
        order.append(describe(f));
    QCOMPARE(order,
             (QStringList {
                 QStringLiteral("res:ok:accepted"), QStringLiteral("agent:lifecycle:start"),
                 QStringLiteral("agent:assistant:hello "), QStringLiteral("agent:assistant:there "),
                 QStringLiteral("agent:assistant:world"), QStringLiteral("agent:lifecycle:end"),
                 QStringLiteral("res:ok:ok")}));
    QCOMPARE(int(frames.size()), int(c.frames().size()) - start); // nothing else was sent

    const QJsonObject accepted = payloadOf(frames.at(0));
    QCOMPARE(accepted.value(QStringLiteral("runId")).toString(), QStringLiteral("run-order-1"));
    QVERIFY(accepted.value(QStringLiteral("acceptedAt")).toInteger() > 0);

    // Events: frame seq strictly increasing; per-run seq 1..n; cumulative text with each delta.
    qint64 lastFrameSeq = 0;
    QStringList texts;
    for (int i = 1; i <= 5; ++i) {
        const QJsonObject f = frames.at(i);
        const qint64 seq = f.value(QStringLiteral("seq")).toInteger();
        QVERIFY2(seq > lastFrameSeq, qPrintable(compact(f)));
        lastFrameSeq = seq;
        const QJsonObject p = payloadOf(f);
        QCOMPARE(p.value(QStringLiteral("seq")).toInt(), i);
        QCOMPARE(p.value(QStringLiteral("sessionKey")).toString(),
                 QStringLiteral("agent:main:main"));
        QVERIFY(p.value(QStringLiteral("ts")).toInteger() > 0);
        if (p.value(QStringLiteral("stream")).toString() == QLatin1String("assistant"))
            texts.append(p.value(QStringLiteral("data"))
                             .toObject()
                             .value(QStringLiteral("text"))
                             .toString());
    }
    QCOMPARE(texts,
             (QStringList {QStringLiteral("hello "), QStringLiteral("hello there "),
                           QStringLiteral("hello there world")}));
    const QJsonObject end = payloadOf(frames.at(5)).value(QStringLiteral("data")).toObject();
    QCOMPARE(end.value(QStringLiteral("stopReason")).toString(), QStringLiteral("stop"));
    QVERIFY(end.value(QStringLiteral("endedAt")).toInteger()
            >= end.value(QStringLiteral("startedAt")).toInteger());

    const QJsonObject result = payloadOf(final);
    QCOMPARE(result.value(QStringLiteral("runId")).toString(), QStringLiteral("run-order-1"));
    QCOMPARE(result.value(QStringLiteral("summary")).toString(), QStringLiteral("completed"));
    const QJsonObject r = result.value(QStringLiteral("result")).toObject();
    QCOMPARE(
        r.value(QStringLiteral("payloads")).toArray(),
        (QJsonArray {QJsonObject {{QStringLiteral("text"), QStringLiteral("hello there world")}}}));
    const QJsonObject agentMeta
        = r.value(QStringLiteral("meta")).toObject().value(QStringLiteral("agentMeta")).toObject();
    QCOMPARE(agentMeta.value(QStringLiteral("agentId")).toString(), QStringLiteral("main"));
    QCOMPARE(agentMeta.value(QStringLiteral("usage")).toObject(),
             (QJsonObject {{QStringLiteral("input"), 3},
                           {QStringLiteral("output"), 3},
                           {QStringLiteral("total"), 6}}));
}

void TestWs::agentRunExtraSystemPrompt()
{
    // The agent's own system prompt and extraSystemPrompt both reach the backend: the echo model
    // counts their words as prompt tokens.
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString id
        = c.send(QStringLiteral("agent"),
                 {{QStringLiteral("message"), QStringLiteral("two words")},
                  {QStringLiteral("agentId"), QStringLiteral("BETA")},
                  {QStringLiteral("extraSystemPrompt"), QStringLiteral("Answer in French.")}});
    const QJsonObject final = payloadOf(c.waitResponse(id, 1));
    const QJsonObject meta
        = final.value(QStringLiteral("result")).toObject().value(QStringLiteral("meta")).toObject();
    const QJsonObject agentMeta = meta.value(QStringLiteral("agentMeta")).toObject();
    QCOMPARE(agentMeta.value(QStringLiteral("agentId")).toString(), QStringLiteral("beta"));
    QCOMPARE(agentMeta.value(QStringLiteral("sessionKey")).toString(),
             QStringLiteral("agent:beta:main"));
    // "Be brief." (2) + "Answer in French." (3) + "two words" (2)
    QCOMPARE(
        agentMeta.value(QStringLiteral("usage")).toObject().value(QStringLiteral("input")).toInt(),
        7);
}

void TestWs::chatSendEventOrder()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const int start = int(c.frames().size());
    const QString key = QStringLiteral("agent:main:ws-chat");
    const QString id = c.send(QStringLiteral("chat.send"),
                              {{QStringLiteral("sessionKey"), key},
                               {QStringLiteral("message"), QStringLiteral("one two")},
                               {QStringLiteral("idempotencyKey"), QStringLiteral("chat-order-1")}});
    QVERIFY(c.waitFor(
        [](const QJsonObject &f) {
            return WsClient::isEvent(f, "chat")
                && payloadOf(f).value(QStringLiteral("state")).toString() == QLatin1String("final");
        },
        start));
    const QList<QJsonObject> frames
        = runFrames(c.frames().mid(start), QStringLiteral("chat-order-1"), id);
    QStringList order;
    for (const QJsonObject &f : frames)
        order.append(describe(f));
    QCOMPARE(order,
             (QStringList {QStringLiteral("res:ok:started"), QStringLiteral("chat:delta:one "),
                           QStringLiteral("chat:delta:two"), QStringLiteral("chat:final")}));
    QCOMPARE(payloadOf(frames.at(0)).value(QStringLiteral("runId")).toString(),
             QStringLiteral("chat-order-1"));
    const QJsonObject delta = payloadOf(frames.at(2));
    QCOMPARE(delta.value(QStringLiteral("sessionKey")).toString(), key);
    QCOMPARE(delta.value(QStringLiteral("seq")).toInt(), 2);
    const QJsonObject message = delta.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value(QStringLiteral("content")).toArray(),
             (QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                       {QStringLiteral("text"), QStringLiteral("one two")}}}));
    const QJsonObject final = payloadOf(frames.at(3));
    QCOMPARE(final.value(QStringLiteral("seq")).toInt(), 3);
    QCOMPARE(final.value(QStringLiteral("stopReason")).toString(), QStringLiteral("stop"));
    QCOMPARE(final.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             QStringLiteral("one two"));
    QCOMPARE(
        final.value(QStringLiteral("usage")).toObject().value(QStringLiteral("output")).toInt(), 2);
}

void TestWs::chatAbortAgentRun()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString key = QStringLiteral("agent:slow:abort-me");
    const QString runId = QStringLiteral("abort-run-1");
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), words(200)},
                               {QStringLiteral("sessionKey"), key},
                               {QStringLiteral("idempotencyKey"), runId}});
    const int firstDelta = c.indexOf([](const QJsonObject &f) {
        return WsClient::isEvent(f, "agent")
            && payloadOf(f).value(QStringLiteral("stream")).toString()
            == QLatin1String("assistant");
    });
    QVERIFY(firstDelta > 0);
    QElapsedTimer clock;
    clock.start();
    const QString abortId
        = c.send(QStringLiteral("chat.abort"), {{QStringLiteral("sessionKey"), key}});
    const QJsonObject abortRes = c.waitResponse(abortId);
    QVERIFY(clock.elapsed() < 2000);
    QCOMPARE(payloadOf(abortRes),
             (QJsonObject {{QStringLiteral("ok"), true},
                           {QStringLiteral("aborted"), true},
                           {QStringLiteral("runIds"), QJsonArray {runId}}}));
    // The run reports its end before the abort is answered; nothing follows it.
    const int abortAt
        = c.indexOf([&](const QJsonObject &f) { return WsClient::isResponse(f, abortId); });
    QStringList tail;
    for (int i = firstDelta + 1; i < abortAt; ++i) {
        const QString d = describe(c.frames().at(i));
        if (!d.startsWith(QLatin1String("agent:assistant:")))
            tail.append(d);
    }
    QCOMPARE(
        tail,
        (QStringList {QStringLiteral("agent:lifecycle:end"), QStringLiteral("res:ok:aborted")}));
    const QJsonObject end = c.frames().at(abortAt - 2);
    QCOMPARE(payloadOf(end)
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("aborted"))
                 .toBool(),
             true);
    QCOMPARE(payloadOf(c.frames().at(abortAt - 1)),
             (QJsonObject {{QStringLiteral("runId"), runId},
                           {QStringLiteral("status"), QStringLiteral("aborted")},
                           {QStringLiteral("summary"), QStringLiteral("aborted")}}));
    Q_UNUSED(id);
    // The backend stopped: a later request is answered and no event of the run follows.
    const QString later = c.send(QStringLiteral("status"));
    const QJsonObject status = payloadOf(c.waitResponse(later));
    QCOMPARE(status.value(QStringLiteral("activeRuns")).toInt(), 0);
    QCOMPARE(int(c.frames().size()), abortAt + 2);
}

void TestWs::chatAbortByRunIdAsSessionKey()
{
    // openclaw-node aborts a chat started without a session key by passing its run id.
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), words(200)},
                               {QStringLiteral("agentId"), QStringLiteral("slow")},
                               {QStringLiteral("idempotencyKey"), QStringLiteral("by-run-id")}});
    QVERIFY(c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "agent"); }));
    const QJsonObject res
        = c.waitResponse(c.send(QStringLiteral("chat.abort"),
                                {{QStringLiteral("sessionKey"), QStringLiteral("by-run-id")}}));
    QCOMPARE(payloadOf(res).value(QStringLiteral("runIds")).toArray(),
             (QJsonArray {QStringLiteral("by-run-id")}));
    QCOMPARE(payloadOf(c.waitResponse(id, 1)).value(QStringLiteral("status")).toString(),
             QStringLiteral("aborted"));
}

void TestWs::chatAbortChatSendRun()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString key = QStringLiteral("agent:slow:chat-abort");
    c.send(QStringLiteral("chat.send"),
           {{QStringLiteral("sessionKey"), key},
            {QStringLiteral("message"), words(200)},
            {QStringLiteral("idempotencyKey"), QStringLiteral("chat-abort-1")}});
    QVERIFY(c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "chat"); }));
    // Only the given run id is aborted.
    const QJsonObject miss = c.waitResponse(c.send(
        QStringLiteral("chat.abort"),
        {{QStringLiteral("sessionKey"), key}, {QStringLiteral("runId"), QStringLiteral("other")}}));
    QCOMPARE(payloadOf(miss).value(QStringLiteral("aborted")).toBool(), false);
    const QString abortId = c.send(QStringLiteral("chat.abort"),
                                   {{QStringLiteral("sessionKey"), key},
                                    {QStringLiteral("runId"), QStringLiteral("chat-abort-1")}});
    const int abortAt
        = c.indexOf([&](const QJsonObject &f) { return WsClient::isResponse(f, abortId); });
    QVERIFY(abortAt > 0);
    const QJsonObject aborted = payloadOf(c.frames().at(abortAt - 1));
    QCOMPARE(aborted.value(QStringLiteral("state")).toString(), QStringLiteral("aborted"));
    QCOMPARE(aborted.value(QStringLiteral("runId")).toString(), QStringLiteral("chat-abort-1"));
    QCOMPARE(aborted.value(QStringLiteral("stopReason")).toString(), QStringLiteral("aborted"));
    QVERIFY(aborted.value(QStringLiteral("message"))
                .toObject()
                .value(QStringLiteral("content"))
                .toArray()
                .first()
                .toObject()
                .value(QStringLiteral("text"))
                .toString()
                .startsWith(QLatin1String("w1 ")));
}

void TestWs::chatAbortNothing()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject res = c.waitResponse(
        c.send(QStringLiteral("chat.abort"),
               {{QStringLiteral("sessionKey"), QStringLiteral("agent:main:idle")}}));
    QCOMPARE(payloadOf(res),
             (QJsonObject {{QStringLiteral("ok"), true},
                           {QStringLiteral("aborted"), false},
                           {QStringLiteral("runIds"), QJsonArray {}}}));
}

void TestWs::duplicateRunId()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QJsonObject params {{QStringLiteral("message"), words(200)},
                              {QStringLiteral("agentId"), QStringLiteral("slow")},
                              {QStringLiteral("idempotencyKey"), QStringLiteral("twice")}};
    const QString first = c.send(QStringLiteral("agent"), params);
    QCOMPARE(payloadOf(c.waitResponse(first)).value(QStringLiteral("status")).toString(),
             QStringLiteral("accepted"));
    QCOMPARE(errorMessage(c.waitResponse(c.send(QStringLiteral("agent"), params))),
             QStringLiteral("run 'twice' is already in progress"));
    c.waitResponse(
        c.send(QStringLiteral("chat.abort"), {{QStringLiteral("runId"), QStringLiteral("twice")}}));
}

void TestWs::socketCloseAbortsRun()
{
    QSignalSpy batches(&m_gw->controller(), &GatewayController::logBatch);
    WsClient c;
    QVERIFY(c.handshake(port()));
    c.send(QStringLiteral("agent"),
           {{QStringLiteral("message"), words(300)},
            {QStringLiteral("agentId"), QStringLiteral("slow")},
            {QStringLiteral("idempotencyKey"), QStringLiteral("gone-1")}});
    QVERIFY(c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "agent"); }));
    QElapsedTimer clock;
    clock.start();
    c.abort();
    // The run ends at once with 499 in the request log (300 words at 30 ms would take 9 s).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(batches)) {
                const LogBatch batch = args.first().value<LogBatch>();
                for (const RequestRecord &rec : batch.records) {
                    if (rec.finished && rec.transport == QLatin1String("ws")
                        && rec.requestBody.contains("gone-1"))
                        return rec.status == 499
                            && rec.error == QLatin1String("client closed the connection");
                }
            }
            return false;
        }(),
        5000);
    QVERIFY(clock.elapsed() < 4000);
    WsClient probe;
    QVERIFY(probe.handshake(port()));
    QTRY_COMPARE(payloadOf(probe.waitResponse(probe.send(QStringLiteral("status"))))
                     .value(QStringLiteral("activeRuns"))
                     .toInt(),
                 0);
}

void TestWs::runsInRequestLog()
{
    QSignalSpy batches(&m_gw->controller(), &GatewayController::logBatch);
    WsClient c;
    QVERIFY(c.handshake(port(), wsTokenAuth()));
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), QStringLiteral("log me please")},
                               {QStringLiteral("sessionKey"), QStringLiteral("agent:beta:logged")},
                               {QStringLiteral("idempotencyKey"), QStringLiteral("logged-1")}});
    QVERIFY(!c.waitResponse(id, 1).isEmpty());
    RequestRecord run, connect;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(batches)) {
                const LogBatch batch = args.first().value<LogBatch>();
                for (const RequestRecord &rec : batch.records) {
                    if (rec.transport != QLatin1String("ws") || !rec.finished)
                        continue;
                    if (rec.method == QLatin1String("agent")
                        && rec.sessionKey == QLatin1String("agent:beta:logged"))
                        run = rec;
                    else if (rec.method == QLatin1String("connect") && rec.status == 200)
                        connect = rec;
                }
            }
            return run.finished && connect.finished;
        }(),
        5000);
    QCOMPARE(run.status, 200);
    QCOMPARE(run.client, QStringLiteral("127.0.0.1"));
    QCOMPARE(run.path, QStringLiteral("/"));
    QCOMPARE(run.agentId, QStringLiteral("beta"));
    QCOMPARE(run.stream, true);
    QCOMPARE(run.responseBody, QByteArray("log me please"));
    QCOMPARE(run.usage.completionTokens, qint64(3));
    QVERIFY(run.durationMs >= 0 && run.ttfbMs >= 0);
    QVERIFY(run.requestBody.contains("logged-1"));
    QCOMPARE(connect.path, QStringLiteral("/"));
    // The secret of the connect request is nowhere in the log.
    for (const QList<QVariant> &args : std::as_const(batches)) {
        const LogBatch batch = args.first().value<LogBatch>();
        for (const RequestRecord &rec : batch.records) {
            QVERIFY(!rec.requestBody.contains(TestGateway::kToken));
            QVERIFY(!rec.error.contains(QLatin1String(TestGateway::kToken)));
        }
    }
}

void TestWs::httpUnaffectedDuringWsTraffic()
{
    WsClient c;
    QVERIFY(c.handshake(port()));
    const QString id = c.send(QStringLiteral("agent"),
                              {{QStringLiteral("message"), words(40)},
                               {QStringLiteral("agentId"), QStringLiteral("slow")}});
    QVERIFY(c.waitFor([](const QJsonObject &f) { return WsClient::isEvent(f, "agent"); }));
    // While the WebSocket run streams, HTTP on the same port answers as usual.
    const HttpResponse health = m_gw->client().request("GET", "/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArray(R"({"ok":true,"status":"live"})"));
    const HttpResponse chat = m_gw->client().post(
        "/v1/chat/completions",
        R"({"model":"openclaw","messages":[{"role":"user","content":"over http"}]})",
        TestGateway::kToken);
    QCOMPARE(chat.status, 200);
    QCOMPARE(chat.json()
                 .value(QStringLiteral("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toString(),
             QStringLiteral("over http"));
    QCOMPARE(m_gw->client().request("GET", "/nope").status, 404);
    const QJsonObject final = payloadOf(c.waitResponse(id, 1));
    QCOMPARE(final.value(QStringLiteral("result"))
                 .toObject()
                 .value(QStringLiteral("payloads"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             words(40));
}

void TestWs::ticksAndHandshakeTimeout()
{
    // A second gateway with short timings, from its config.
    TestGateway fast(TestGateway::configText(
        {}, "passerelle: { ws: { tickIntervalMs: 50, handshakeTimeoutMs: 300 } }"));
    QString error;
    QVERIFY2(fast.start(&error), qPrintable(error));

    WsClient silent;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(silent.open(fast.port()));
    QVERIFY(silent.waitClosed(5000));
    QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(silent.closeCode(), 1008);
    QCOMPARE(silent.closeReason(), QStringLiteral("handshake timeout"));
    QVERIFY(silent.ticks().isEmpty()); // no ticks before the handshake

    WsClient c;
    QVERIFY(c.open(fast.port()));
    const QJsonObject hello = c.connectWith(wsConnectParams(wsTokenAuth()));
    QCOMPARE(payloadOf(hello)
                 .value(QStringLiteral("policy"))
                 .toObject()
                 .value(QStringLiteral("tickIntervalMs"))
                 .toInt(),
             50);
    // Eight ticks take longer than the handshake timeout: an open connection outlives it.
    QTRY_VERIFY(c.ticks().size() >= 8);
    QVERIFY(!c.isClosed());
    qint64 last = 0;
    for (const QJsonObject &t : c.ticks()) {
        QVERIFY(t.value(QStringLiteral("seq")).toInteger() > last);
        last = t.value(QStringLiteral("seq")).toInteger();
        QVERIFY(payloadOf(t).value(QStringLiteral("ts")).toInteger() > 0);
    }
}

QTEST_GUILESS_MAIN(TestWs)
#include "tst_ws.moc"
