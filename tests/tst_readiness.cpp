// The probes of SPEC.md sections 3 and 12 against a real gateway: /health and /healthz live at
// once; /ready and /readyz 200 {"ready":true} once listening with the session store open, 503
// {"ready":false,"reason":...} while the store is still opening ("starting", held here by a lock
// on its file), when it cannot open ("session store unavailable"), and while draining; the drain
// stops the listener, lets the streams in flight end (or gives up at its deadline) and then
// reports drained; `passerelle --headless` drains on SIGTERM and exits 0.

#include "support/GatewayProcess.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kReady = R"({"ready":true})";

QByteArray notReady(const char *reason)
{
    return R"({"ready":false,"reason":")" + QByteArray(reason) + R"("})";
}

// One keep-alive connection that asks GET <path> and reads one whole answer each time.
class ProbeConnection
{
public:
    explicit ProbeConnection(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    HttpResponse get(const QByteArray &path)
    {
        m_socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray raw;
        QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            if (!m_socket.bytesAvailable() && !m_socket.waitForReadyRead(50))
                continue;
            raw += m_socket.readAll();
            const qsizetype end = raw.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            const QByteArray head = raw.left(end).toLower();
            const qsizetype at = head.indexOf("content-length:");
            const qsizetype length = at < 0
                ? 0
                : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
            if (raw.size() >= end + 4 + length) {
                HttpResponse r;
                r.status = raw.mid(9, 3).toInt();
                r.body = raw.mid(end + 4, length);
                r.complete = true;
                return r;
            }
        }
        return {};
    }

private:
    QTcpSocket m_socket;
};

bool canConnect(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(2000))
        return false;
    // A socket of a listener that stopped accepting may still complete in the backlog; a
    // request tells.
    s.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return s.waitForReadyRead(1000);
}

FakeUpstream::Reply heldReply()
{
    return FakeUpstream::held(QStringLiteral("working"), QStringLiteral(" done"));
}

// The agent main relays to `upstream`.
QByteArray relayConfig(ThreadedUpstream &upstream)
{
    return TestGateway::configText(
        {},
        "agents: { list: [ { id: 'main', default: true, model: 'up/m' } ] },"
        "models: { providers: { up: { api: 'openai-completions', baseUrl: '"
            + upstream.baseUrl().toUtf8() + "', models: [{id: 'm'}] } } }");
}

QByteArray streamRequest(const QByteArray &model)
{
    return TestHttpClient::buildRequest(
        "POST", "/v1/chat/completions",
        {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        R"({"model":")" + model
            + R"(","stream":true,"messages":[{"role":"user","content":"one two three four five six"}]})",
        "127.0.0.1");
}

} // namespace

class TestReadiness : public QObject
{
    Q_OBJECT

private slots:
    void liveAndReadyWithoutCredential();
    void notReadyWhileTheStoreOpens();
    void notReadyWhileTheStoreIsUnavailable();
    void drainLetsTheStreamFinish();
    void drainGivesUpAtItsDeadline();
    void sigtermDrainsAndExitsZero();
};

void TestReadiness::liveAndReadyWithoutCredential()
{
    TestGateway gw;
    QString error;
    QVERIFY2(gw.start(&error), qPrintable(error));
    for (const char *path : {"/health", "/healthz"}) {
        const HttpResponse r = gw.client().request("GET", path);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray(R"({"ok":true,"status":"live"})"));
        QCOMPARE(r.header("cache-control"), QByteArray("no-store"));
    }
    for (const char *path : {"/ready", "/readyz"}) {
        QTRY_COMPARE(gw.client().request("GET", path).body, kReady);
        const HttpResponse r = gw.client().request("GET", path);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("cache-control"), QByteArray("no-store"));
        const HttpResponse head = gw.client().request("HEAD", path);
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QCOMPARE(gw.client().request("POST", path).status, 405);
    }
}

void TestReadiness::notReadyWhileTheStoreOpens()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    {
        // Another process holds the file (a rollback-journal database, exclusively locked): the
        // store's open waits on its busy timeout meanwhile.
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE held (x INTEGER)")));
        QVERIFY2(q.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(q.lastError().text()));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO held VALUES (1)")));

        TestGateway gw;
        gw.setSessionDatabase(path);
        QString error;
        QVERIFY2(gw.start(&error), qPrintable(error));
        QCOMPARE(gw.client().request("GET", "/health").status, 200); // live already
        const HttpResponse r = gw.client().request("GET", "/ready");
        QCOMPARE(r.status, 503);
        QCOMPARE(r.body, notReady("starting"));
        QCOMPARE(gw.client().request("GET", "/readyz").body, notReady("starting"));

        QVERIFY(q.exec(QStringLiteral("COMMIT")));
        q.finish();
        db.close();
        QTRY_COMPARE_WITH_TIMEOUT(gw.client().request("GET", "/ready").body, kReady, 8000);
        QCOMPARE(gw.client().request("GET", "/ready").status, 200);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("holder"));
}

void TestReadiness::notReadyWhileTheStoreIsUnavailable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile plain(dir.filePath(QStringLiteral("plain-file")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    TestGateway gw;
    gw.setSessionDatabase(dir.filePath(QStringLiteral("plain-file/sessions.sqlite")));
    QString error;
    QVERIFY2(gw.start(&error), qPrintable(error));
    QTRY_COMPARE(gw.client().request("GET", "/ready").body, notReady("session store unavailable"));
    QCOMPARE(gw.client().request("GET", "/ready").status, 503);
    QCOMPARE(gw.client().request("GET", "/readyz").status, 503);
    QCOMPARE(gw.client().request("GET", "/healthz").status, 200);
    // The gateway keeps serving without transcripts.
    QCOMPARE(gw.client()
                 .post("/v1/chat/completions",
                       R"({"model":"openclaw","messages":[{"role":"user","content":"hi"}]})",
                       TestGateway::kToken)
                 .status,
             200);
}

void TestReadiness::drainLetsTheStreamFinish()
{
    ThreadedUpstream upstream;
    QVERIFY(upstream.listening());
    upstream.setDefaultReply(heldReply());
    TestGateway gw(relayConfig(upstream));
    QString error;
    QVERIFY2(gw.start(&error), qPrintable(error));
    const quint16 port = gw.port();
    QTRY_COMPARE(gw.client().request("GET", "/ready").body, kReady);
    ProbeConnection probe(port);
    QCOMPARE(probe.get("/ready").body, kReady);
    TestHttpClient stream(port);
    QVERIFY(stream.open(streamRequest("openclaw")));
    QVERIFY(stream.waitForData("working"));

    QSignalSpy drained(&gw.controller(), &GatewayController::drained);
    gw.controller().drain(10000);
    // Ready no more, on a connection that was already open; no new connection is taken.
    QTRY_COMPARE(probe.get("/ready").body, notReady("draining"));
    QCOMPARE(probe.get("/readyz").status, 503);
    QCOMPARE(probe.get("/health").status, 200);
    QTRY_VERIFY(!canConnect(port));
    QCOMPARE(drained.count(), 0); // the stream is still going

    upstream.releaseHeld();
    QVERIFY(stream.waitForData("data: [DONE]"));
    QTRY_COMPARE(drained.count(), 1);
    const HttpResponse r = stream.current();
    QVERIFY2(r.body.contains("working") && r.body.contains(" done"), r.body.constData());
}

void TestReadiness::drainGivesUpAtItsDeadline()
{
    ThreadedUpstream upstream;
    QVERIFY(upstream.listening());
    upstream.setDefaultReply(heldReply());
    TestGateway gw(relayConfig(upstream));
    QString error;
    QVERIFY2(gw.start(&error), qPrintable(error));
    TestHttpClient stream(gw.port());
    QVERIFY(stream.open(streamRequest("openclaw")));
    QVERIFY(stream.waitForData("working"));
    QSignalSpy drained(&gw.controller(), &GatewayController::drained);
    QElapsedTimer clock;
    clock.start();
    gw.controller().drain(300);
    QTRY_COMPARE(drained.count(), 1);
    QVERIFY(clock.elapsed() >= 300);
    QVERIFY(!stream.current().body.contains("[DONE]")); // it never ended
    gw.controller().stop(); // what the roots do next: the stream is cut
    QVERIFY(stream.waitForServerClose());
}

void TestReadiness::sigtermDrainsAndExitsZero()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString config = home.filePath(QStringLiteral("passerelle.json"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Six words, 150 ms apart: a stream of about a second.
    file.write(TestGateway::configText(
        {},
        "agents: { list: [ { id: 'main', default: true, model: 'slow/echo' } ] },"
        "models: { providers: { slow: { api: 'echo', chunkDelayMs: 150 } } }"));
    file.close();
    QProcess process;
    QString output;
    const quint16 port
        = GatewayProcess::start(process, {QStringLiteral("--config"), config},
                                GatewayProcess::isolatedEnvironment(home.path()), &output);
    QVERIFY2(port != 0, qPrintable(output));
    TestHttpClient stream(port);
    QVERIFY(stream.open(streamRequest("openclaw")));
    QVERIFY(stream.waitForData("one"));
    ::kill(pid_t(process.processId()), SIGTERM);
    QTRY_VERIFY(!canConnect(port)); // the listener is closed at once
    QVERIFY(stream.waitForData("data: [DONE]"));
    const HttpResponse r = stream.current();
    QVERIFY2(r.body.contains("six"), r.body.constData()); // the stream was not cut
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    output += QString::fromUtf8(process.readAll());
    QVERIFY2(output.contains(QLatin1String("Draining")), qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("Stopping Passerelle.")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestReadiness)
#include "tst_readiness.moc"
