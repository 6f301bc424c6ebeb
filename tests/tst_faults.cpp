// Faults around the real binary (SPEC.md sections 4, 9, 12 and 14): an upstream that refuses,
// hangs, cuts or garbles its answer, or quotes the provider key in an error; clients that vanish at
// every stage of a run; a data directory that is read-only or full when a turn is written; a
// config replaced by garbage, truncated or deleted while running; kill -9 during streams. After
// each the gateway keeps serving, leaks no secret and its SQLite store stays whole.

#include "support/FakeUpstream.h"
#include "support/GatewayProcess.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kKey = "sk-fault-secret-424242";

QByteArray chatBody(const QByteArray &model, const QByteArray &content, bool stream,
                    const QByteArray &user = {})
{
    return "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]"
        + (user.isEmpty() ? QByteArray() : ",\"user\":\"" + user + "\"") + "}";
}

QByteArray streamRequest(const QByteArray &model, const QByteArray &content,
                         const QByteArray &user = {})
{
    return TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        chatBody(model, content, true, user), "127.0.0.1");
}

FakeUpstream::Reply helloReply(const QString &text = QStringLiteral("Hello from upstream"))
{
    return FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(text)),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::done(),
    });
}

// A stream that sends `first` and then waits for releaseHeld() before it ends.
FakeUpstream::Reply heldReply(const QByteArray &first)
{
    FakeUpstream::Reply reply = FakeUpstream::stream({first});
    reply.chunks.append({FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop")))
                             + FakeUpstream::done(),
                         0, true});
    return reply;
}

// The error message of a JSON error answer, or of a stream's error frame.
QString errorMessage(const HttpResponse &r)
{
    if (!r.chunked || r.header("content-type").startsWith("application/json"))
        return r.json()
            .value(QStringLiteral("error"))
            .toObject()
            .value(QStringLiteral("message"))
            .toString();
    for (const QByteArray &data : r.sseData()) {
        const QJsonObject frame = QJsonDocument::fromJson(data).object();
        if (frame.contains(QStringLiteral("error")))
            return frame.value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString();
    }
    return QString();
}

QStringList userMessages(const QJsonArray &messages)
{
    QStringList out;
    for (const QJsonValue &m : messages) {
        if (m.toObject().value(QStringLiteral("role")).toString() == QLatin1String("user"))
            out << m.toObject().value(QStringLiteral("content")).toString();
    }
    return out;
}

// Every file under `dir` holding `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            out << file.fileName();
    }
    return out;
}

// What the store holds, read with SQLite directly while no gateway runs.
struct StoreContents
{
    QString integrity; // PRAGMA integrity_check: "ok"
    QStringList userTexts; // in insertion order
    int assistantCount = -1;
};

StoreContents readStore(const QString &path)
{
    StoreContents out;
    const QString name = QStringLiteral("faults-inspect");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
                out.integrity = q.value(0).toString();
            if (q.exec(QStringLiteral(
                    "SELECT content FROM messages WHERE role = 'user' ORDER BY id"))) {
                while (q.next())
                    out.userTexts << q.value(0).toString();
            }
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM messages WHERE role = 'assistant'"))
                && q.next())
                out.assistantCount = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

// The built binary in a temporary HOME, with what it printed kept.
class Binary
{
public:
    explicit Binary(const QByteArray &config) : m_config(config)
    {
        m_configPath = m_home.filePath(QStringLiteral("passerelle.json"));
        writeConfig(m_config);
    }
    ~Binary()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Q_DISABLE_COPY_MOVE(Binary)

    bool writeConfig(const QByteArray &text)
    {
        QFile file(m_configPath);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(text) == text.size();
    }
    // Runs `modifier` in the child between fork and exec (privileges, limits).
    void setChildModifier(const std::function<void()> &modifier)
    {
        m_process.setChildProcessModifier(modifier);
    }
    bool start()
    {
        QString output;
        m_port = GatewayProcess::start(m_process,
                                       {QStringLiteral("--config"), m_configPath,
                                        QStringLiteral("--port"), QStringLiteral("0")},
                                       GatewayProcess::isolatedEnvironment(m_home.path()), &output);
        m_output += output;
        if (m_port == 0)
            qWarning("passerelle did not start: %s", qPrintable(m_output));
        return m_port != 0;
    }
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(10000);
        drain();
    }
    int stop()
    {
        const int code = GatewayProcess::stop(m_process);
        drain();
        return code;
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }
    quint16 port() const { return m_port; }
    TestHttpClient client() const { return TestHttpClient(m_port); }
    HttpResponse chat(const QByteArray &model, const QByteArray &content, bool stream,
                      const QByteArray &user = {}) const
    {
        return client().post(kChat, chatBody(model, content, stream, user), TestGateway::kToken);
    }
    int health() const { return client().request("GET", "/health").status; }

    // Everything printed so far (stdout and stderr).
    QString output()
    {
        drain();
        return m_output;
    }
    // Waits until the output holds `needle` (a log line is flushed within 100 ms).
    bool waitForOutput(const QString &needle, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!output().contains(needle)) {
            if (deadline.hasExpired() || !running())
                return output().contains(needle);
            m_process.waitForReadyRead(50);
        }
        return true;
    }
    QString home() const { return m_home.path(); }
    QString dataDir() const { return m_home.filePath(QStringLiteral("data")); }
    QString configPath() const { return m_configPath; }
    QString storePath() const
    {
        return QDir(dataDir()).filePath(QStringLiteral("passerelle/sessions.sqlite"));
    }

private:
    void drain()
    {
        m_process.waitForReadyRead(0);
        m_output += QString::fromUtf8(m_process.readAll());
    }

    QTemporaryDir m_home;
    QByteArray m_config;
    QString m_configPath;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_output;
};

} // namespace

Q_DECLARE_METATYPE(passerelle::test::FakeUpstream::Reply)

class TestFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void upstreamFaults_data();
    void upstreamFaults();
    void secretNeverLeaks();
    void clientVanishes_data();
    void clientVanishes();
    void dataDirectoryReadOnly();
    void diskFullWhenATurnIsWritten();
    void configBrokenWhileRunning_data();
    void configBrokenWhileRunning();
    void killDuringStreamsKeepsTheStoreWhole();

private:
    QByteArray config(const QByteArray &passerelleExtra = {}) const;
    void expectServing(Binary &binary, const char *where);

    std::unique_ptr<ThreadedUpstream> m_upstream;
    std::unique_ptr<Binary> m_shared;
    quint16 m_refused = 0;
};

QByteArray TestFaults::config(const QByteArray &passerelleExtra) const
{
    const QByteArray base = m_upstream->baseUrl().toUtf8();
    const QByteArray provider
        = "api: 'openai-completions', baseUrl: '" + base + "', apiKey: '" + kKey + "'";
    return TestGateway::configText({},
                                   "agents: { list: ["
                                   " { id: 'main', default: true, model: 'local/model-a' },"
                                   " { id: 'quick', model: 'quick/model-q' },"
                                   " { id: 'dead', model: 'dead/model-d' },"
                                   " { id: 'one', model: 'single/model-s' } ] },"
                                   "models: { providers: {"
                                   " local: { "
                                       + provider
                                       + " },"
                                         " quick: { "
                                       + provider
                                       + ", timeoutMs: 400, idleTimeoutMs: 400 },"
                                         " single: { "
                                       + provider
                                       + ", maxConcurrent: 1 },"
                                         " dead: { api: 'openai-completions', apiKey: '"
                                       + kKey + "', baseUrl: 'http://127.0.0.1:"
                                       + QByteArray::number(m_refused)
                                       + "/v1' } } },"
                                         "passerelle: { http: { keepAliveMs: 50 }"
                                       + passerelleExtra + " }");
}

void TestFaults::expectServing(Binary &binary, const char *where)
{
    m_upstream->setDefaultReply(helloReply());
    QVERIFY2(binary.running(), where);
    QVERIFY2(binary.health() == 200, where);
    const HttpResponse r = binary.chat("openclaw", "still there?", false);
    QVERIFY2(r.status == 200, where);
    QCOMPARE(r.chatContent(), QStringLiteral("Hello from upstream"));
}

void TestFaults::initTestCase()
{
    m_upstream = std::make_unique<ThreadedUpstream>();
    QVERIFY(m_upstream->listening());
    m_refused = FakeUpstream::refusedPort();
    m_shared = std::make_unique<Binary>(config());
    QVERIFY(m_shared->start());
}

void TestFaults::cleanupTestCase()
{
    if (m_shared)
        QCOMPARE(m_shared->stop(), 0);
    m_shared.reset();
    m_upstream.reset();
}

void TestFaults::upstreamFaults_data()
{
    QTest::addColumn<QByteArray>("model");
    QTest::addColumn<FakeUpstream::Reply>("reply");
    QTest::addColumn<int>("status"); // of the non-streamed request
    QTest::addColumn<QString>("message"); // of its error, and of the stream's error frame

    const QString providerError = QStringLiteral("upstream provider error");
    const QString timeout = QStringLiteral("upstream provider timeout");
    const QByteArray partial
        = FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("half")));

    QTest::newRow("connection refused")
        << QByteArray("openclaw/dead") << FakeUpstream::Reply() << 502 << providerError;

    FakeUpstream::Reply silent;
    silent.answer = false;
    QTest::newRow("hang before headers")
        << QByteArray("openclaw/quick") << silent << 504 << timeout;

    FakeUpstream::Reply hangs = FakeUpstream::stream({partial});
    hangs.finish = false;
    QTest::newRow("hang mid-stream") << QByteArray("openclaw/quick") << hangs << 504 << timeout;

    QTest::newRow("malformed SSE")
        << QByteArray("openclaw")
        << FakeUpstream::stream({partial, "data: {\"choices\":[{\"delta\":{\"content\n\n"}) << 502
        << providerError;

    // Chunked framing by hand, cut in the middle of a chunk's bytes.
    FakeUpstream::Reply cut;
    cut.framing = FakeUpstream::Framing::UntilClose;
    cut.headers = {{"Transfer-Encoding", "chunked"}};
    cut.chunks = {{QByteArray::number(partial.size(), 16) + "\r\n" + partial + "\r\n", 0, false},
                  {"80\r\ndata: {\"choices\":[{\"del", 0, false}};
    QTest::newRow("close mid-chunk") << QByteArray("openclaw") << cut << 502 << providerError;

    const QJsonObject quoting {
        {QStringLiteral("error"),
         QJsonObject {{QStringLiteral("message"),
                       QStringLiteral("bad key %1 for this account").arg(QLatin1String(kKey))}}}};
    const auto errorReply = [&](int status) {
        FakeUpstream::Reply r = FakeUpstream::json(status, quoting);
        r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
        return r;
    };
    QTest::newRow("500 quoting the key")
        << QByteArray("openclaw") << errorReply(500) << 502 << providerError;
    QTest::newRow("429 quoting the key") << QByteArray("openclaw") << errorReply(429) << 429
                                         << QStringLiteral("upstream provider rate limit reached");
    QTest::newRow("503 quoting the key") << QByteArray("openclaw") << errorReply(503) << 503
                                         << QStringLiteral("upstream provider overloaded");
    // A 400 keeps the upstream's message, with the key masked.
    QTest::newRow("400 quoting the key") << QByteArray("openclaw") << errorReply(400) << 400
                                         << QStringLiteral("bad key *** for this account");
}

void TestFaults::upstreamFaults()
{
    QFETCH(QByteArray, model);
    QFETCH(FakeUpstream::Reply, reply);
    QFETCH(int, status);
    QFETCH(QString, message);

    Binary &gw = *m_shared;
    m_upstream->setDefaultReply(reply);
    const HttpResponse plain = gw.chat(model, "fault, plain", false);
    QCOMPARE(plain.status, status);
    QCOMPARE(errorMessage(plain), message);
    QVERIFY(!plain.body.contains(kKey));

    m_upstream->setDefaultReply(reply);
    const HttpResponse streamed = gw.chat(model, "fault, streamed", true);
    QCOMPARE(streamed.status, 200);
    QVERIFY(streamed.complete);
    QCOMPARE(errorMessage(streamed), message);
    QCOMPARE(streamed.sseData().last(), QByteArray("[DONE]"));
    QVERIFY(!streamed.body.contains(kKey));

    expectServing(gw, "after the fault");
}

void TestFaults::secretNeverLeaks()
{
    // The rows above sent the key in upstream error bodies: none of it reached the log or the
    // data directory.
    Binary &gw = *m_shared;
    QVERIFY(gw.waitForOutput(QStringLiteral(" 429 ")));
    QVERIFY2(!gw.output().contains(QString::fromLatin1(kKey)), qPrintable(gw.output()));
    QCOMPARE(filesContaining(gw.home(), kKey), QStringList {gw.configPath()});
}

void TestFaults::clientVanishes_data()
{
    QTest::addColumn<QString>("stage");
    QTest::newRow("queued") << QStringLiteral("queued");
    QTest::newRow("before the first byte") << QStringLiteral("before the first byte");
    QTest::newRow("mid-stream") << QStringLiteral("mid-stream");
    QTest::newRow("during a tool call") << QStringLiteral("during a tool call");
}

void TestFaults::clientVanishes()
{
    QFETCH(QString, stage);
    Binary &gw = *m_shared;
    const int closedBefore = m_upstream->clientClosedCount();
    const int requestsBefore = int(m_upstream->requests().size());
    const int abortedBefore = int(gw.output().count(QStringLiteral(" 499 ")));

    if (stage == QLatin1String("queued")) {
        // 'one' runs one at a time: the first run holds the slot, the second waits in the queue.
        m_upstream->setDefaultReply(
            heldReply(FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("slot taken")))));
        TestHttpClient holder = gw.client();
        QVERIFY(holder.open(streamRequest("openclaw/one", "first")));
        QVERIFY(holder.waitForData("slot taken"));
        TestHttpClient queued = gw.client();
        QVERIFY(queued.open(streamRequest("openclaw/one", "second")));
        QVERIFY(queued.waitForData(": keep-alive")); // its stream is open while it waits
        queued.close();
        QTRY_VERIFY_WITH_TIMEOUT(gw.output().count(QStringLiteral(" 499 ")) > abortedBefore, 5000);
        m_upstream->releaseHeld();
        QVERIFY(holder.waitForData("[DONE]"));
        // The queued run never reached the upstream, and the slot is free again.
        QCOMPARE(int(m_upstream->requests().size()), requestsBefore + 1);
        m_upstream->setDefaultReply(helloReply());
        QCOMPARE(gw.chat("openclaw/one", "third", false).status, 200);
        QCOMPARE(int(m_upstream->requests().size()), requestsBefore + 2);
    } else {
        FakeUpstream::Reply reply;
        QByteArray seen; // what the client waits for before it goes
        if (stage == QLatin1String("before the first byte")) {
            reply.answer = false;
        } else if (stage == QLatin1String("mid-stream")) {
            reply
                = heldReply(FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("words"))));
            seen = "words";
        } else {
            reply = heldReply(FakeUpstream::sse(FakeUpstream::toolCallChunk(
                0, QStringLiteral("call_1"), QStringLiteral("lookup"), QStringLiteral("{\"q\":"))));
            seen = "call_1";
        }
        m_upstream->setDefaultReply(reply);
        TestHttpClient client = gw.client();
        QVERIFY(client.open(streamRequest("openclaw", "going away", "vanishing")));
        if (seen.isEmpty())
            QTRY_COMPARE(int(m_upstream->requests().size()), requestsBefore + 1);
        else
            QVERIFY(client.waitForData(seen));
        client.close();
        // The run and its upstream request end at once.
        QTRY_COMPARE_WITH_TIMEOUT(m_upstream->clientClosedCount(), closedBefore + 1, 5000);
        if (!seen.isEmpty())
            m_upstream->releaseHeld(); // nobody waits for it any more
    }
    QTRY_VERIFY_WITH_TIMEOUT(gw.output().count(QStringLiteral(" 499 ")) > abortedBefore, 5000);
    expectServing(gw, qPrintable(stage));
    // A vanished client's turn is not stored: the next one of that user starts afresh.
    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(gw.chat("openclaw", "after vanishing", false, "vanishing").status, 200);
    QCOMPARE(userMessages(m_upstream->lastMessages()).last(), QStringLiteral("after vanishing"));
    QVERIFY(!userMessages(m_upstream->lastMessages()).contains(QStringLiteral("going away")));
}

void TestFaults::dataDirectoryReadOnly()
{
    // chmod stops writes only for a user that is not root: as root (CI), the gateway runs as
    // nobody over a home it owns.
    const bool root = ::geteuid() == 0;
    constexpr uid_t kNobody = 65534;
    Binary gw(config());
    const auto asNobody = [&gw] {
        const auto chownTree = [](const QString &dir) {
            QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                            QDirIterator::Subdirectories);
            QStringList paths {dir};
            while (it.hasNext())
                paths << it.next();
            for (const QString &p : paths)
                QVERIFY(::chown(QFile::encodeName(p).constData(), kNobody, kNobody) == 0);
        };
        chownTree(gw.home());
        gw.setChildModifier([] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)
                ::_exit(111);
        });
    };
    if (root) {
        asNobody();
        if (QTest::currentTestFailed())
            return;
    }
    // 1. A turn stored while the directory is writable.
    QVERIFY(gw.start());
    m_upstream->setDefaultReply(helloReply(QStringLiteral("stored answer")));
    QCOMPARE(gw.chat("openclaw", "stored question", false, "ro").status, 200);
    QCOMPARE(gw.stop(), 0);
    const QString store = gw.storePath();
    QVERIFY(QFileInfo::exists(store));

    // 2. The data directory and its files read-only: requests are still answered, the failure
    // is logged, and nothing is written.
    const QString dir = QFileInfo(store).absolutePath();
    QStringList files = QDir(dir).entryList(QDir::Files);
    for (const QString &f : files)
        QVERIFY(QFile::setPermissions(QDir(dir).filePath(f), QFile::ReadOwner | QFile::ReadGroup));
    QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
    const auto restore = [&] {
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        for (const QString &f : QDir(dir).entryList(QDir::Files))
            QFile::setPermissions(QDir(dir).filePath(f), QFile::ReadOwner | QFile::WriteOwner);
    };
    const auto restoreOnFailure = qScopeGuard(restore);
    const QDateTime modified = QFileInfo(store).lastModified();
    QVERIFY(gw.start());
    m_upstream->setDefaultReply(helloReply(QStringLiteral("unstored answer")));
    const HttpResponse r = gw.chat("openclaw", "unstored question", false, "ro");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.chatContent(), QStringLiteral("unstored answer"));
    m_upstream->setDefaultReply(helloReply());
    const HttpResponse s = gw.chat("openclaw", "streamed while read-only", true, "ro");
    QCOMPARE(s.status, 200);
    QCOMPARE(s.sseData().last(), QByteArray("[DONE]"));
    QVERIFY2(gw.waitForOutput(QStringLiteral("session store")), qPrintable(gw.output()));
    expectServing(gw, "read-only data directory");
    QCOMPARE(gw.stop(), 0);
    QCOMPARE(QDir(dir).entryList(QDir::Files), files);
    QCOMPARE(QFileInfo(store).lastModified(), modified);
    restore();

    // 3. Writable again: the first turn is whole, nothing of the others.
    const StoreContents contents = readStore(store);
    QCOMPARE(contents.integrity, QStringLiteral("ok"));
    QCOMPARE(contents.userTexts, QStringList {QStringLiteral("stored question")});
    QCOMPARE(contents.assistantCount, 1);
}

void TestFaults::diskFullWhenATurnIsWritten()
{
    Binary gw(config());
    QVERIFY(gw.start());
    m_upstream->setDefaultReply(helloReply(QStringLiteral("answer one")));
    QCOMPARE(gw.chat("openclaw", "turn one", false, "full").status, 200);

    // The disk fills: no file of the gateway may grow any more (RLIMIT_FSIZE set on the running
    // process; writes past it fail with EFBIG, as with ENOSPC on a full disk).
    const QString store = gw.storePath();
    QFileInfo wal(store + QStringLiteral("-wal"));
    QVERIFY(wal.exists());
    rlimit full {rlim_t(wal.size()), RLIM_INFINITY};
    QVERIFY(::prlimit(pid_t(gw.pid()), RLIMIT_FSIZE, &full, nullptr) == 0);

    m_upstream->setDefaultReply(helloReply(QStringLiteral("answer two")));
    const HttpResponse plain = gw.chat("openclaw", "turn two", false, "full");
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.chatContent(), QStringLiteral("answer two"));
    m_upstream->setDefaultReply(helloReply(QStringLiteral("answer three")));
    const HttpResponse streamed = gw.chat("openclaw", "turn three", true, "full");
    QCOMPARE(streamed.status, 200);
    QCOMPARE(streamed.sseData().last(), QByteArray("[DONE]"));
    QVERIFY2(gw.waitForOutput(QStringLiteral("could not store a turn")), qPrintable(gw.output()));
    QVERIFY(gw.running());

    // Space again: the store works on, with the turns it could not write simply absent.
    rlimit free {RLIM_INFINITY, RLIM_INFINITY};
    QVERIFY(::prlimit(pid_t(gw.pid()), RLIMIT_FSIZE, &free, nullptr) == 0);
    m_upstream->setDefaultReply(helloReply(QStringLiteral("answer four")));
    QCOMPARE(gw.chat("openclaw", "turn four", false, "full").status, 200);
    QCOMPARE(userMessages(m_upstream->lastMessages()),
             (QStringList {QStringLiteral("turn one"), QStringLiteral("turn four")}));
    gw.kill();
    const StoreContents contents = readStore(store);
    QCOMPARE(contents.integrity, QStringLiteral("ok"));
    QCOMPARE(contents.userTexts,
             (QStringList {QStringLiteral("turn one"), QStringLiteral("turn four")}));
    QCOMPARE(contents.assistantCount, 2);
}

void TestFaults::configBrokenWhileRunning_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("garbage") << QStringLiteral("garbage");
    QTest::newRow("truncated") << QStringLiteral("truncated");
    QTest::newRow("empty") << QStringLiteral("empty");
    QTest::newRow("deleted") << QStringLiteral("deleted");
}

void TestFaults::configBrokenWhileRunning()
{
    QFETCH(QString, fault);
    const QByteArray good = config();
    Binary gw(good);
    QVERIFY(gw.start());
    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(gw.chat("openclaw", "before", false).status, 200);

    if (fault == QLatin1String("garbage"))
        QVERIFY(gw.writeConfig(QByteArray("\x00\xff{{ not: json5 ]]\x1b[2J", 22)));
    else if (fault == QLatin1String("truncated"))
        QVERIFY(gw.writeConfig(good.left(good.size() / 2)));
    else if (fault == QLatin1String("empty"))
        QVERIFY(gw.writeConfig(QByteArray()));
    else
        QVERIFY(QFile::remove(gw.configPath()));
    if (fault != QLatin1String("deleted"))
        QVERIFY2(gw.waitForOutput(QStringLiteral("config not applied, previous settings kept")),
                 qPrintable(gw.output()));
    // The previous settings keep serving: the token, the agents, the upstream.
    expectServing(gw, qPrintable(fault));
    QCOMPARE(gw.client().post(kChat, chatBody("openclaw", "x", false), "wrong-token").status, 401);

    // A good file again applies at once: here it turns the endpoint off.
    QVERIFY(gw.writeConfig(QByteArray(good).replace("chatCompletions: { enabled: true }",
                                                    "chatCompletions: { enabled: false }")));
    QVERIFY2(gw.waitForOutput(QStringLiteral("chat completions endpoint disabled")),
             qPrintable(gw.output()));
    QTRY_COMPARE(gw.chat("openclaw", "after", false).status, 404);
    QCOMPARE(gw.health(), 200);
    QCOMPARE(gw.stop(), 0);
}

void TestFaults::killDuringStreamsKeepsTheStoreWhole()
{
    Binary gw(config());
    QStringList completed; // user texts whose answer arrived whole
    constexpr int kWriters = 6;
    for (int round = 0; round < 2; ++round) {
        QVERIFY(gw.start());
        // Complete turns from several writers at once: all streams open, then all read.
        m_upstream->setDefaultReply(helloReply());
        for (int batch = 0; batch < 3; ++batch) {
            std::vector<std::unique_ptr<TestHttpClient>> clients;
            QStringList texts;
            for (int w = 0; w < kWriters; ++w) {
                const QByteArray text = "round " + QByteArray::number(round) + " batch "
                    + QByteArray::number(batch) + " writer " + QByteArray::number(w);
                clients.push_back(std::make_unique<TestHttpClient>(gw.port()));
                QVERIFY(clients.back()->open(
                    streamRequest("openclaw", text, "writer" + QByteArray::number(w))));
                texts << QString::fromUtf8(text);
            }
            for (int w = 0; w < kWriters; ++w) {
                QVERIFY(clients[size_t(w)]->waitForData("[DONE]"));
                completed << texts.at(w);
            }
        }
        // Streams in flight when the process is killed: never completed, never stored.
        m_upstream->setDefaultReply(
            heldReply(FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("cut here")))));
        std::vector<std::unique_ptr<TestHttpClient>> inFlight;
        for (int w = 0; w < kWriters; ++w) {
            inFlight.push_back(std::make_unique<TestHttpClient>(gw.port()));
            QVERIFY(inFlight.back()->open(streamRequest("openclaw",
                                                        "in flight " + QByteArray::number(w),
                                                        "writer" + QByteArray::number(w))));
        }
        for (auto &client : inFlight)
            QVERIFY(client->waitForData("cut here"));
        gw.kill();
        while (m_upstream->heldCount() > 0)
            m_upstream->releaseHeld();

        const StoreContents contents = readStore(gw.storePath());
        QCOMPARE(contents.integrity, QStringLiteral("ok"));
        QStringList stored = contents.userTexts;
        std::sort(stored.begin(), stored.end());
        QStringList expected = completed;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(stored, expected);
        QCOMPARE(contents.assistantCount, int(completed.size()));
    }
    // Restarted after the second kill: history continues from the stored turns.
    QVERIFY(gw.start());
    m_upstream->setDefaultReply(helloReply());
    QCOMPARE(gw.chat("openclaw", "after two kills", false, "writer0").status, 200);
    const QStringList history = userMessages(m_upstream->lastMessages());
    QVERIFY(history.contains(QStringLiteral("round 1 batch 2 writer 0")));
    QVERIFY(!history.contains(QStringLiteral("in flight 0")));
    QCOMPARE(gw.stop(), 0);
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
