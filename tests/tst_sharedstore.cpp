// Gateways on the shared PostgreSQL store (passerelle.store kind "postgres"), through real
// sockets against real gateways and a real PostgreSQL server the test starts
// (support/PostgresServer): two gateways see one conversation and one stored-response chain; a
// lockout earned on one is refused on the other; while the database is down, runs that need it
// get 503 "session store unavailable", stateless runs are served, the status says so; once it is
// back everything recovers without a restart.

#include "support/PostgresServer.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {

constexpr int kWaitMs = 15000;
const QByteArray kStoreDown
    = R"({"error":{"message":"session store unavailable","type":"api_error"})"
      "}";

QByteArray chat(const QByteArray &content, const QByteArray &user = {}, bool stream = false)
{
    QJsonObject body {
        {QStringLiteral("model"), QStringLiteral("openclaw")},
        {QStringLiteral("messages"),
         QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                  {QStringLiteral("content"), QString::fromUtf8(content)}}}}};
    if (!user.isEmpty())
        body.insert(QStringLiteral("user"), QString::fromUtf8(user));
    if (stream)
        body.insert(QStringLiteral("stream"), true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// The contents of the messages the upstream was last sent, system prompt aside.
QStringList sentContents(ThreadedUpstream &upstream)
{
    QStringList out;
    const QJsonArray messages
        = upstream.requests().last().json.value(QLatin1String("messages")).toArray();
    for (const auto &m : messages) {
        if (m.toObject().value(QLatin1String("role")).toString() != QLatin1String("system"))
            out << m.toObject().value(QLatin1String("content")).toString();
    }
    return out;
}

} // namespace

class TestSharedStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void twoGatewaysShareConversationsAndChains();
    void lockoutEarnedOnOneIsRefusedOnTheOther();
    void databaseDownThenBack(); // last: stops and restarts the server

private:
    std::unique_ptr<TestGateway> gateway(const QByteArray &database);

    PostgresServer m_postgres;
    ThreadedUpstream m_upstream;
};

void TestSharedStore::initTestCase()
{
    QVERIFY(m_upstream.listening());
    m_upstream.setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("noted"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::done(),
    }));
    QString error;
    QVERIFY2(m_postgres.start(&error),
             qPrintable(QStringLiteral("these tests need a PostgreSQL server: ") + error));
    for (const char *db : {"conversation", "lockout", "outage"})
        QVERIFY2(m_postgres.createDatabase(QString::fromLatin1(db), &error), qPrintable(error));
}

std::unique_ptr<TestGateway> TestSharedStore::gateway(const QByteArray &database)
{
    const QByteArray store = "passerelle: { store: { kind: 'postgres', host: '127.0.0.1', port: "
        + QByteArray::number(m_postgres.port()) + ", database: '" + database
        + "', user: 'passerelle', passwordEnv: '" + PostgresServer::passwordEnv().toLatin1()
        + "', sslmode: 'disable', poolSize: 2 } },"
          "agents: { list: [{ id: 'main', default: true, model: 'up/m' }] },"
          "models: { providers: { up: { api: 'openai-completions', baseUrl: '"
        + m_upstream.baseUrl().toUtf8() + "', models: [{ id: 'm' }] } } },";
    auto gw = std::make_unique<TestGateway>(TestGateway::configText(
        "auth: { mode: 'token', token: '" + QByteArray(TestGateway::kToken)
            + "', rateLimit: { maxAttempts: 3, windowMs: 60000, lockoutMs: 90000,"
              " exemptLoopback: false } },",
        store));
    QString error;
    if (!gw->start(&error)) {
        qWarning("gateway did not start: %s", qPrintable(error));
        return nullptr;
    }
    return gw;
}

void TestSharedStore::twoGatewaysShareConversationsAndChains()
{
    const auto a = gateway("conversation");
    const auto b = gateway("conversation");
    QVERIFY(a && b);
    QTRY_COMPARE_WITH_TIMEOUT(b->controller().status().storeState, SessionStore::State::Available,
                              kWaitMs);
    QCOMPARE(a->controller().status().storeKind, QStringLiteral("postgres"));
    QCOMPARE(
        a->controller().status().storeLocation,
        QStringLiteral("postgres://passerelle@127.0.0.1:%1/conversation").arg(m_postgres.port()));
    const QByteArray token = TestGateway::kToken;
    QCOMPARE(a->client().post("/v1/chat/completions", chat("one", "ann"), token).status, 200);
    QCOMPARE(b->client().post("/v1/chat/completions", chat("two", "ann"), token).status, 200);
    // Turn 3 on A is sent upstream with turns 1 (A) and 2 (B).
    QCOMPARE(a->client().post("/v1/chat/completions", chat("three", "ann"), token).status, 200);
    QCOMPARE(sentContents(m_upstream),
             (QStringList {QStringLiteral("one"), QStringLiteral("noted"), QStringLiteral("two"),
                           QStringLiteral("noted"), QStringLiteral("three")}));

    const HttpResponse r1
        = a->client().post("/v1/responses", R"({"model":"openclaw","input":"alpha"})", token);
    QCOMPARE(r1.status, 200);
    const QByteArray id1
        = QJsonDocument::fromJson(r1.body).object().value(QLatin1String("id")).toString().toUtf8();
    const HttpResponse r2 = b->client().post(
        "/v1/responses",
        R"({"model":"openclaw","input":"beta","previous_response_id":")" + id1 + "\"}", token);
    QCOMPARE(r2.status, 200);
    QCOMPARE(
        sentContents(m_upstream),
        (QStringList {QStringLiteral("alpha"), QStringLiteral("noted"), QStringLiteral("beta")}));
    QCOMPARE(b->client()
                 .request("GET", "/v1/responses/" + id1, {{"authorization", "Bearer " + token}})
                 .status,
             200);
}

void TestSharedStore::lockoutEarnedOnOneIsRefusedOnTheOther()
{
    const auto a = gateway("lockout");
    const auto b = gateway("lockout");
    QVERIFY(a && b);
    QTRY_COMPARE_WITH_TIMEOUT(b->controller().status().storeState, SessionStore::State::Available,
                              kWaitMs);
    // One failure on A, two on B: three in all reach maxAttempts.
    QSignalSpy lockedOnB(&b->controller(), &GatewayController::ipLockedOut);
    QCOMPARE(a->client().post("/v1/chat/completions", chat("x"), "wrong").status, 401);
    QCOMPARE(b->client().post("/v1/chat/completions", chat("x"), "wrong").status, 401);
    QCOMPARE(b->client().post("/v1/chat/completions", chat("x"), "wrong").status, 401);
    // Each failure is counted in the database after its 401 went out; B hears the lockout from
    // its third. (A right secret before that would be a success, which starts the count again.)
    QTRY_VERIFY_WITH_TIMEOUT(!lockedOnB.isEmpty(), kWaitMs);
    // Both refuse the right secret now; A learns it from the database, asynchronously.
    QTRY_COMPARE_WITH_TIMEOUT(
        a->client().post("/v1/chat/completions", chat("x"), TestGateway::kToken).status, 429,
        kWaitMs);
    // B hears it from its own failure's result or the announcement, as asynchronously.
    QTRY_COMPARE_WITH_TIMEOUT(
        b->client().post("/v1/chat/completions", chat("x"), TestGateway::kToken).status, 429,
        kWaitMs);
    const HttpResponse refused
        = b->client().post("/v1/chat/completions", chat("x"), TestGateway::kToken);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.body,
             QByteArray(R"({"error":{"message":"Too many failed authentication attempts. Please )"
                        R"(try again later.","type":"rate_limited"}})"));
    QVERIFY(refused.header("retry-after").toInt() > 80);
}

void TestSharedStore::databaseDownThenBack()
{
    const auto gw = gateway("outage");
    QVERIFY(gw);
    QTRY_COMPARE_WITH_TIMEOUT(gw->controller().status().storeState, SessionStore::State::Available,
                              kWaitMs);
    const QByteArray token = TestGateway::kToken;
    QCOMPARE(gw->client().post("/v1/chat/completions", chat("before", "bob"), token).status, 200);
    const HttpResponse stored
        = gw->client().post("/v1/responses", R"({"model":"openclaw","input":"kept"})", token);
    QCOMPARE(stored.status, 200);
    const QByteArray id = QJsonDocument::fromJson(stored.body)
                              .object()
                              .value(QLatin1String("id"))
                              .toString()
                              .toUtf8();

    QString error;
    QVERIFY2(m_postgres.stop(&error), qPrintable(error));
    // Whether the gateway has noticed yet or finds out now, a stateful run gets the 503.
    const HttpResponse down
        = gw->client().post("/v1/chat/completions", chat("lost?", "bob"), token);
    QCOMPARE(down.status, 503);
    QCOMPARE(down.body, kStoreDown);
    QTRY_COMPARE_WITH_TIMEOUT(gw->controller().status().storeState,
                              SessionStore::State::Unavailable, kWaitMs);
    QVERIFY(!gw->controller().status().storeError.isEmpty());
    QVERIFY(!gw->controller().status().storeError.contains(PostgresServer::password()));
    const auto metrics = [&] {
        return gw->client().request("GET", "/metrics", {{"authorization", "Bearer " + token}}).body;
    };
    QVERIFY2(metrics().contains("\npasserelle_session_store_up{kind=\"postgres\"} 0\n"),
             metrics().constData());
    // A stream that needs the store is refused before its headers.
    const HttpResponse streamed
        = gw->client().post("/v1/chat/completions", chat("lost?", "bob", true), token);
    QCOMPARE(streamed.status, 503);
    QCOMPARE(streamed.body, kStoreDown);
    const HttpResponse chained = gw->client().post(
        "/v1/responses",
        R"({"model":"openclaw","input":"more","previous_response_id":")" + id + "\"}", token);
    QCOMPARE(chained.status, 503);
    QCOMPARE(chained.body, kStoreDown);
    const HttpResponse fetched = gw->client().request("GET", "/v1/responses/" + id,
                                                      {{"authorization", "Bearer " + token}});
    QCOMPARE(fetched.status, 503);
    QCOMPARE(fetched.body, kStoreDown);
    // Stateless runs need no store.
    const HttpResponse stateless = gw->client().post("/v1/chat/completions", chat("hello"), token);
    QCOMPARE(stateless.status, 200);
    QCOMPARE(stateless.chatContent(), QStringLiteral("noted"));
    QCOMPARE(gw->client()
                 .post("/v1/responses", R"({"model":"openclaw","input":"hi","store":false})", token)
                 .status,
             200);

    QVERIFY2(m_postgres.start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(gw->controller().status().storeState, SessionStore::State::Available,
                              kWaitMs);
    QVERIFY(metrics().contains("\npasserelle_session_store_up{kind=\"postgres\"} 1\n"));
    const HttpResponse back
        = gw->client().post("/v1/chat/completions", chat("after", "bob"), token);
    QCOMPARE(back.status, 200);
    // The conversation from before the outage, and nothing of what was refused.
    QCOMPARE(
        sentContents(m_upstream),
        (QStringList {QStringLiteral("before"), QStringLiteral("noted"), QStringLiteral("after")}));
    QCOMPARE(gw->client()
                 .request("GET", "/v1/responses/" + id, {{"authorization", "Bearer " + token}})
                 .status,
             200);
}

QTEST_GUILESS_MAIN(TestSharedStore)
#include "tst_sharedstore.moc"
