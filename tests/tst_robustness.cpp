// SPEC.md section 14 as bad and slow clients meet it, over real sockets against a real gateway
// (in-process on port 0, or the built binary): pipelining, Connection: close, the header, body and
// idle deadlines, the connection caps and their refusal log, slow and silent readers with the
// per-connection and total buffer bounds, big requests beside a /health probe, log lines that
// cannot be forged, Host validation, the WebSocket upgrade rules, keep-alive timing, and the rules
// that already held (smuggling 411, 431, 413 before the body, no secret in a log). The config keys
// of section 14 keep every deadline short.

#include "support/GatewayProcess.h"
#include "support/LogCapture.h"
#include "support/RawPeer.h"
#include "support/TestGateway.h"
#include "support/ThreadedUpstream.h"
#include "support/WsClient.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kHealthBody = R"({"ok":true,"status":"live"})";
const QByteArray kWsKey = "dGhlIHNhbXBsZSBub25jZQ==";
const QByteArray kWsAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // RFC 6455 section 1.3

const QByteArray kAgents
    = "agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },"
      " { id: 'slow', model: 'slow/echo' }, { id: 'pause', model: 'pause/echo' } ] },"
      "models: { providers: { slow: { api: 'echo', chunkDelayMs: 40 },"
      " pause: { api: 'echo', chunkDelayMs: 5600 } } }";

std::unique_ptr<TestGateway> startGateway(const QByteArray &httpKeys,
                                          const QByteArray &providers = kAgents)
{
    auto gw = std::make_unique<TestGateway>(
        TestGateway::configText({}, providers + ", passerelle: { http: { " + httpKeys + " } }"));
    QString error;
    if (!gw->start(&error)) {
        qWarning("gateway did not start: %s", qPrintable(error));
        return nullptr;
    }
    return gw;
}

QByteArray words(int n)
{
    QByteArray out;
    out.reserve(n * 8);
    for (int i = 1; i <= n; ++i) {
        if (i > 1)
            out += ' ';
        out += 'w' + QByteArray::number(i);
    }
    return out;
}

QByteArray chatBody(const QByteArray &model, const QByteArray &content, bool stream)
{
    return "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
}

QByteArray post(const QByteArray &body, const TestHttpClient::Headers &extra = {})
{
    TestHttpClient::Headers headers {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)},
                                     {"Content-Type", "application/json"}};
    return TestHttpClient::buildRequest("POST", kChat, headers + extra, body, "127.0.0.1");
}

QByteArray get(const QByteArray &path, const TestHttpClient::Headers &extra = {})
{
    return TestHttpClient::buildRequest("GET", path, extra, {}, "127.0.0.1");
}

// Waits until `peer` has `n` complete responses.
bool readResponses(RawPeer &peer, int n, int timeoutMs = 10000, const QList<bool> &headOnly = {})
{
    return peer.readUntil(
        [n, &headOnly](const QByteArray &all) {
            return TestHttpClient::parseAll(all, headOnly).size() >= n;
        },
        timeoutMs);
}

const TestHttpClient::Headers kExpectContinue {{"Expect", "100-continue"}};

// Sends `request` (with Expect: 100-continue) but its last byte, once the gateway has accepted
// its head: the request is in flight on the gateway's side when this returns.
bool startBusyRequest(RawPeer &peer, const QByteArray &request)
{
    const qsizetype headEnd = request.indexOf("\r\n\r\n") + 4;
    return peer.send(request.left(headEnd)) && peer.readUntilContains("100 Continue")
        && peer.send(request.mid(headEnd, request.size() - headEnd - 1));
}

// The text of the content chunks of an SSE chat stream.
QByteArray streamedText(const HttpResponse &r)
{
    QByteArray out;
    const QList<QByteArray> data = r.sseData();
    for (const QByteArray &d : data) {
        const QJsonArray choices
            = QJsonDocument::fromJson(d).object().value(QStringLiteral("choices")).toArray();
        if (choices.isEmpty())
            continue;
        out += choices.first()
                   .toObject()
                   .value(QStringLiteral("delta"))
                   .toObject()
                   .value(QStringLiteral("content"))
                   .toString()
                   .toUtf8();
    }
    return out;
}

QList<RequestRecord> finishedRecords(const QSignalSpy &spy)
{
    QList<RequestRecord> out;
    for (const QList<QVariant> &args : spy) {
        const LogBatch batch = args.first().value<LogBatch>();
        for (const RequestRecord &r : batch.records) {
            if (r.finished)
                out.append(r);
        }
    }
    return out;
}

int countStatus(const QSignalSpy &spy, int status)
{
    int n = 0;
    const QList<RequestRecord> all = finishedRecords(spy);
    for (const RequestRecord &r : all)
        n += r.status == status ? 1 : 0;
    return n;
}

bool hasControlCharacter(const QString &s)
{
    for (const QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

// The server frames after a 101 head: (opcode, payload) pairs.
QList<QPair<int, QByteArray>> serverFrames(const QByteArray &afterHead)
{
    QList<QPair<int, QByteArray>> out;
    qsizetype pos = 0;
    while (afterHead.size() - pos >= 2) {
        const uchar b0 = uchar(afterHead[pos]);
        const uchar b1 = uchar(afterHead[pos + 1]);
        qsizetype header = 2;
        quint64 length = b1 & 0x7f;
        if (length == 126) {
            if (afterHead.size() - pos < 4)
                break;
            length = qFromBigEndian<quint16>(afterHead.constData() + pos + 2);
            header = 4;
        } else if (length == 127) {
            if (afterHead.size() - pos < 10)
                break;
            length = qFromBigEndian<quint64>(afterHead.constData() + pos + 2);
            header = 10;
        }
        if (quint64(afterHead.size() - pos - header) < length)
            break;
        out.append({b0 & 0x0f, afterHead.mid(pos + header, qsizetype(length))});
        pos += header + qsizetype(length);
    }
    return out;
}

QByteArray afterHead(const QByteArray &raw)
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : raw.mid(end + 4);
}

// A client frame (FIN set); masked with `mask` unless it is null.
QByteArray clientFrame(int opcode, const QByteArray &payload, const char *mask = "\x11\x22\x33\x44")
{
    QByteArray f;
    f += char(0x80 | opcode);
    const char maskBit = mask ? char(0x80) : char(0);
    if (payload.size() < 126) {
        f += char(maskBit | char(payload.size()));
    } else {
        f += char(maskBit | 126);
        f += char((payload.size() >> 8) & 0xff);
        f += char(payload.size() & 0xff);
    }
    if (!mask)
        return f + payload;
    f += QByteArray(mask, 4);
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ mask[i % 4]);
    return f + masked;
}

QByteArray upgradeRequest(const QByteArray &extraLines,
                          const QByteArray &requestLine = "GET / HTTP/1.1")
{
    return requestLine + "\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + extraLines + "\r\n";
}

// The resident memory of a process (kB), -1 if it cannot be read.
qint64 residentKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression vmRss(QStringLiteral("VmRSS:\\s+(\\d+) kB"));
    return vmRss.match(QString::fromLatin1(status.readAll())).captured(1).toLongLong();
}

} // namespace

class TestRobustness : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    // 1. pipelining
    void pipelinedChatThenHealthInOrder();
    void pipelinedStreamThenHealthInOrder();
    void pipelinedRequestsAnsweredInOrder();
    void nothingAnsweredAfterConnectionClose();
    // 2. Connection: close
    void connectionClose_data();
    void connectionClose();
    void streamWithConnectionClose();
    // 3. deadlines
    void headerDeadlineCannotBeExtended();
    void bodyMustKeepArriving();
    void idleKeepAliveConnectionClosed();
    void silentConnectionClosed();
    void headInPiecesWithinDeadlineServed();
    void streamLongerThanIdleTimeoutNotCut();
    // 3. connection caps
    void capClosesLongestIdle();
    void capRefusesWhenNoneIdle();
    void refusalsLoggedOnceASecond();
    void perAddressCap();
    void tenThousandClientsConnect();
    // 4-5. slow readers and buffers
    void slowReaderGetsWholeStream();
    void slowReaderPausesUpstream();
    void silentReaderDroppedAfterIdleTimeout();
    void silentReaderAbortsUpstream();
    void totalBufferBoundDropsLeastRecentReaders();
    // 6. big requests
    void bigRequestLeavesServerResponsive();
    void memoryReturnedAfterBurst();
    // 7. logs
    void logLinesEscapeClientText();
    void headlessStdoutCannotBeForged();
    // 10. Host
    void hostValidation_data();
    void hostValidation();
    void hostValidationOnUpgrade();
    // 9. WebSocket
    void webSocketUpgradeValidated_data();
    void webSocketUpgradeValidated();
    void webSocketAcceptKey();
    void unmaskedClientFrameClosed1002();
    void browserOriginRefusedOnUpgrade();
    // 8. keep-alive
    void keepAliveCommentsOnTime();
    // what already held
    void smugglingRefused_data();
    void smugglingRefused();
    void oversizedHeadRefused();
    void oversizedBodyRefusedBeforeReading();
    void noSecretInLogs();

private:
    std::unique_ptr<TestGateway> m_gw; // default deadlines (long), small stream buffers
    std::unique_ptr<TestGateway> m_fast; // short deadlines
};

void TestRobustness::initTestCase()
{
    m_gw = startGateway("maxBufferedBytes: 65536");
    QVERIFY(m_gw);
    m_fast = startGateway("headerTimeoutMs: 400, idleTimeoutMs: 1200, maxBufferedBytes: 65536");
    QVERIFY(m_fast);
}

void TestRobustness::cleanupTestCase()
{
    m_gw.reset();
    m_fast.reset();
}

// --- 1. pipelining ---

void TestRobustness::pipelinedChatThenHealthInOrder()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(post(chatBody("openclaw/slow", "one two three", false)) + get("/health")));
    QVERIFY(readResponses(c, 2));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 2);
    QCOMPARE(rs[0].status, 200);
    QCOMPARE(rs[0].chatContent(), QStringLiteral("one two three"));
    QCOMPARE(rs[1].status, 200);
    QCOMPARE(rs[1].body, kHealthBody);
}

void TestRobustness::pipelinedStreamThenHealthInOrder()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(post(chatBody("openclaw/slow", "one two three", true)) + get("/health")));
    QVERIFY(readResponses(c, 2));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 2);
    QVERIFY(rs[0].chunked);
    const QList<QByteArray> data = rs[0].sseData();
    QCOMPARE(data.size(), 6); // role, 3 words, finish, [DONE]
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(rs[0]), QByteArray("one two three"));
    // The /health response starts right after the stream's last chunk, nowhere inside it.
    QCOMPARE(c.data().count("HTTP/1.1 200"), 2);
    QVERIFY(c.data().indexOf("0\r\n\r\nHTTP/1.1 200") > 0);
    QCOMPARE(rs[1].body, kHealthBody);
}

void TestRobustness::pipelinedRequestsAnsweredInOrder()
{
    RawPeer c(m_gw->port());
    const QByteArray head = TestHttpClient::buildRequest("HEAD", "/health", {}, {}, "127.0.0.1");
    QVERIFY(c.send(get("/health") + get("/nope") + post(chatBody("openclaw", "a b", false)) + head
                   + get("/v1/models")));
    const QList<bool> headOnly {false, false, false, true, false};
    QVERIFY(readResponses(c, 5, 10000, headOnly));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data(), headOnly);
    QCOMPARE(rs.size(), 5);
    QCOMPARE(rs[0].body, kHealthBody);
    QCOMPARE(rs[1].status, 404);
    QCOMPARE(rs[2].chatContent(), QStringLiteral("a b"));
    QCOMPARE(rs[3].status, 200);
    QCOMPARE(rs[3].header("content-length"), QByteArray::number(kHealthBody.size()));
    QCOMPARE(rs[4].status, 401);
}

void TestRobustness::nothingAnsweredAfterConnectionClose()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(get("/health", {{"Connection", "close"}}) + get("/nope")));
    QVERIFY(c.waitClosed(5000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs[0].status, 200);
    QCOMPARE(rs[0].header("connection"), QByteArray("close"));
}

// --- 2. Connection: close ---

void TestRobustness::connectionClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<QByteArray>("connectionHeader");
    QTest::newRow("HTTP/1.1 close") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                  "Connection: close\r\n\r\n")
                                    << true << QByteArray("close");
    QTest::newRow("HTTP/1.1 close among tokens")
        << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: TE, Close\r\n\r\n")
        << true << QByteArray("close");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                              << true << QByteArray("close");
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        << false << QByteArray("keep-alive");
    QTest::newRow("HTTP/1.1 keep-alive")
        << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << false << QByteArray();
}

void TestRobustness::connectionClose()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    QFETCH(QByteArray, connectionHeader);
    RawPeer c(m_gw->port()); // idleTimeoutMs is 120 s here: a close comes from the request
    QVERIFY(c.send(request));
    QVERIFY(readResponses(c, 1));
    HttpResponse r = TestHttpClient::parseAll(c.data()).first();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("connection"), connectionHeader);
    if (closes) {
        QVERIFY(c.waitClosed(5000));
        return;
    }
    QVERIFY(c.send(request));
    QVERIFY(readResponses(c, 2));
    QVERIFY(c.isConnected());
}

void TestRobustness::streamWithConnectionClose()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(post(chatBody("openclaw/slow", "a b c", true), {{"Connection", "close"}})));
    QVERIFY(c.waitClosed(10000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs[0].header("connection"), QByteArray("close"));
    QCOMPARE(rs[0].sseData().last(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(rs[0]), QByteArray("a b c"));
}

// --- 3. deadlines (m_fast: headerTimeoutMs 400, idleTimeoutMs 1200) ---

void TestRobustness::headerDeadlineCannotBeExtended()
{
    RawPeer c(m_fast->port());
    const QByteArray head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: "
        + QByteArray(300, 'a') + "\r\n\r\n";
    QElapsedTimer clock;
    clock.start();
    qsizetype sent = 0;
    // One byte every 50 ms, far inside idleTimeoutMs, for up to 15 s.
    while (c.isConnected() && c.data().isEmpty() && sent < head.size()) {
        QVERIFY(c.send(head.mid(sent++, 1)));
        c.readUntil([](const QByteArray &all) { return !all.isEmpty(); }, 50);
    }
    QVERIFY2(sent < head.size(), "the whole head trickled in without a 408");
    QVERIFY(c.waitClosed(5000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs[0].status, 408);
    QCOMPARE(rs[0].header("connection"), QByteArray("close"));
    qInfo("408 after %lld ms and %lld bytes", clock.elapsed(), qint64(sent));
}

void TestRobustness::bodyMustKeepArriving()
{
    RawPeer c(m_fast->port());
    const QByteArray request = post(QByteArray(100, ' '));
    QVERIFY(c.send(request.left(request.size() - 90))); // the head and 10 bytes of its body
    QVERIFY(c.waitClosed(8000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs[0].status, 408);
}

void TestRobustness::idleKeepAliveConnectionClosed()
{
    RawPeer c(m_fast->port());
    QVERIFY(c.send(get("/health")));
    QVERIFY(readResponses(c, 1));
    QElapsedTimer idle;
    idle.start();
    QVERIFY(c.waitClosed(8000));
    QVERIFY2(idle.elapsed() >= 900, qPrintable(QString::number(idle.elapsed())));
    QCOMPARE(TestHttpClient::parseAll(c.data()).size(), 1); // closed without another word
}

void TestRobustness::silentConnectionClosed()
{
    RawPeer c(m_fast->port());
    QVERIFY(c.isConnected());
    QVERIFY(c.waitClosed(8000));
    QVERIFY(c.data().isEmpty());
}

void TestRobustness::headInPiecesWithinDeadlineServed()
{
    RawPeer c(m_fast->port());
    const QByteArray request = get("/health");
    const qsizetype third = request.size() / 3;
    for (const QByteArray &piece :
         {request.left(third), request.mid(third, third), request.mid(2 * third)}) {
        QVERIFY(c.send(piece));
        c.readUntil([](const QByteArray &all) { return !all.isEmpty(); }, 80);
    }
    QVERIFY(readResponses(c, 1));
    QCOMPARE(TestHttpClient::parseAll(c.data()).first().body, kHealthBody);
}

void TestRobustness::streamLongerThanIdleTimeoutNotCut()
{
    // 40 words 40 ms apart: 1.6 s of stream, longer than idleTimeoutMs, to a client that reads.
    RawPeer c(m_fast->port());
    QVERIFY(c.send(post(chatBody("openclaw/slow", words(40), true))));
    QVERIFY(readResponses(c, 1, 10000));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).first();
    QCOMPARE(r.sseData().last(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(r), words(40));
}

// --- 3. connection caps ---

void TestRobustness::capClosesLongestIdle()
{
    auto gw = startGateway("maxConnections: 6");
    QVERIFY(gw);
    std::vector<std::unique_ptr<RawPeer>> peers;
    for (int i = 0; i < 6; ++i) {
        peers.push_back(std::make_unique<RawPeer>(gw->port()));
        QVERIFY(peers.back()->send(get("/health")));
        QVERIFY(readResponses(*peers.back(), 1));
    }
    // A seventh client: the one idle longest (the first) makes room for it.
    RawPeer extra(gw->port());
    QVERIFY(extra.send(get("/health")));
    QVERIFY(readResponses(extra, 1));
    QCOMPARE(TestHttpClient::parseAll(extra.data()).first().status, 200);
    QVERIFY(peers.front()->waitClosed(5000));
    for (int i = 1; i < 6; ++i) {
        QVERIFY2(peers[i]->isConnected(), qPrintable(QString::number(i)));
        QVERIFY(peers[i]->send(get("/health")));
        QVERIFY(readResponses(*peers[i], 2));
    }
}

void TestRobustness::capRefusesWhenNoneIdle()
{
    auto gw = startGateway("maxConnections: 6");
    QVERIFY(gw);
    // Six requests in flight: each has sent all of its body but the last byte, after the
    // gateway accepted its head (its 100 Continue says so).
    const QByteArray request = post(chatBody("openclaw", "busy", false), kExpectContinue);
    std::vector<std::unique_ptr<RawPeer>> busy;
    for (int i = 0; i < 6; ++i) {
        busy.push_back(std::make_unique<RawPeer>(gw->port()));
        QVERIFY(startBusyRequest(*busy.back(), request));
    }
    RawPeer refused(gw->port());
    QVERIFY(refused.waitClosed(5000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(refused.data());
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs[0].status, 503);
    QCOMPARE(rs[0].header("retry-after"), QByteArray("1"));
    // The requests in flight were left alone.
    for (auto &b : busy) {
        QVERIFY(b->send(request.right(1)));
        QVERIFY(readResponses(*b, 2)); // 100 Continue, then the answer
        QCOMPARE(TestHttpClient::parseAll(b->data()).last().chatContent(), QStringLiteral("busy"));
    }
}

void TestRobustness::refusalsLoggedOnceASecond()
{
    auto gw = startGateway("maxConnections: 4");
    QVERIFY(gw);
    const QByteArray request = post(chatBody("openclaw", "busy", false), kExpectContinue);
    std::vector<std::unique_ptr<RawPeer>> busy;
    for (int i = 0; i < 4; ++i) {
        busy.push_back(std::make_unique<RawPeer>(gw->port()));
        QVERIFY(startBusyRequest(*busy.back(), request));
    }
    LogCapture log;
    for (int i = 0; i < 25; ++i) {
        RawPeer refused(gw->port());
        QVERIFY(refused.waitClosed(5000));
        QCOMPARE(TestHttpClient::parseAll(refused.data()).value(0).status, 503);
    }
    static const QRegularExpression counted(QStringLiteral("refused (\\d+) connection"));
    const auto refusals = [&log] {
        int lines = 0, total = 0;
        const QStringList texts = log.texts(QStringLiteral("passerelle.http"));
        for (const QString &t : texts) {
            const QRegularExpressionMatch m = counted.match(t);
            if (m.hasMatch()) {
                ++lines;
                total += m.captured(1).toInt();
            }
        }
        return QPair<int, int>(lines, total);
    };
    QTRY_COMPARE_WITH_TIMEOUT(refusals().second, 25, 5000);
    QVERIFY2(refusals().first <= 3,
             qPrintable(log.texts(QStringLiteral("passerelle.http")).join(u'\n')));
}

void TestRobustness::perAddressCap()
{
    auto gw = startGateway("maxConnectionsPerAddress: 3");
    QVERIFY(gw);
    gw->update([](GatewayConfig &c) { c.auth.rateLimit.exemptLoopback = false; });
    std::vector<std::unique_ptr<RawPeer>> peers;
    for (int i = 0; i < 3; ++i) {
        peers.push_back(std::make_unique<RawPeer>(gw->port()));
        QVERIFY(peers.back()->send(get("/health")));
        QVERIFY(readResponses(*peers.back(), 1));
    }
    RawPeer fourth(gw->port());
    QVERIFY(fourth.waitClosed(5000));
    const HttpResponse refused = TestHttpClient::parseAll(fourth.data()).value(0);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("retry-after"), QByteArray("1"));
    // Another address is not affected.
    RawPeer other(gw->port(), RawPeer::Options {QHostAddress(QStringLiteral("127.0.0.2")), 0, 0});
    QVERIFY(other.isConnected());
    QVERIFY(other.send(get("/health")));
    QVERIFY(readResponses(other, 1));
    QCOMPARE(TestHttpClient::parseAll(other.data()).first().status, 200);
    // Loopback is exempt while the limiter exempts it.
    gw->update([](GatewayConfig &c) { c.auth.rateLimit.exemptLoopback = true; });
    RawPeer exempt(gw->port());
    QVERIFY(exempt.send(get("/health")));
    QVERIFY(readResponses(exempt, 1));
    QCOMPARE(TestHttpClient::parseAll(exempt.data()).first().status, 200);
}

void TestRobustness::tenThousandClientsConnect()
{
    // The binary starts with a soft descriptor limit of 1024; it raises it to the hard limit and
    // derives its cap from that, so many more clients than 1024 (or the old fixed 4096) connect.
    struct rlimit limit
    {
    };
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = limit.rlim_max;
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0); // this test's own clients need them too
    const int clients = int(qMin<rlim_t>(10000, limit.rlim_max - 512));
    QVERIFY2(clients > 4096, "the hard descriptor limit is too low for this test");
    qInfo("%d clients, hard descriptor limit %llu", clients, quint64(limit.rlim_max));

    QTemporaryDir home;
    QFile config(home.filePath(QStringLiteral("gateway.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(TestGateway::configText());
    config.close();
    QProcess process;
    process.setChildProcessModifier([] {
        struct rlimit low
        {
        };
        ::getrlimit(RLIMIT_NOFILE, &low);
        low.rlim_cur = 1024;
        ::setrlimit(RLIMIT_NOFILE, &low);
    });
    const quint16 port
        = GatewayProcess::start(process, {QStringLiteral("--config"), config.fileName()},
                                GatewayProcess::isolatedEnvironment(home.path()));
    QVERIFY(port);
    const qint64 idle = residentKb(process.processId());
    QVERIFY(idle > 0);

    sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::vector<int> fds;
    fds.reserve(size_t(clients));
    const auto closeAll = qScopeGuard([&fds] {
        for (int fd : fds)
            ::close(fd);
    });
    // Connect in batches the listen backlog holds, each batch established before the next.
    const QByteArray request = get("/health");
    for (int start = 0; start < clients; start += 500) {
        const int end = qMin(clients, start + 500);
        for (int i = start; i < end; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            QVERIFY(fd >= 0);
            fds.push_back(fd);
            const int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to);
            QVERIFY(rc == 0 || errno == EINPROGRESS);
        }
        std::vector<pollfd> pending;
        for (int i = start; i < end; ++i)
            pending.push_back({fds[size_t(i)], POLLOUT, 0});
        QDeadlineTimer deadline(20000);
        size_t done = 0;
        while (done < pending.size() && !deadline.hasExpired()) {
            std::vector<pollfd> wait;
            for (const pollfd &p : pending) {
                if (p.fd >= 0)
                    wait.push_back(p);
            }
            ::poll(wait.data(), nfds_t(wait.size()), 100);
            for (const pollfd &w : wait) {
                if (!(w.revents & (POLLOUT | POLLERR | POLLHUP)))
                    continue;
                int error = 0;
                socklen_t len = sizeof error;
                ::getsockopt(w.fd, SOL_SOCKET, SO_ERROR, &error, &len);
                QVERIFY2(error == 0, qPrintable(QString::fromLocal8Bit(strerror(error))));
                QCOMPARE(::write(w.fd, request.constData(), size_t(request.size())),
                         ssize_t(request.size()));
                for (pollfd &p : pending) {
                    if (p.fd == w.fd)
                        p.fd = -1;
                }
                ++done;
            }
        }
        QCOMPARE(done, pending.size());
    }
    // Every client gets its /health answer.
    std::vector<QByteArray> answers(fds.size());
    size_t answered = 0;
    QDeadlineTimer deadline(60000);
    while (answered < fds.size() && !deadline.hasExpired()) {
        std::vector<pollfd> wait;
        std::vector<size_t> index;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (!answers[i].contains(kHealthBody)) {
                wait.push_back({fds[i], POLLIN, 0});
                index.push_back(i);
            }
        }
        ::poll(wait.data(), nfds_t(wait.size()), 200);
        for (size_t k = 0; k < wait.size(); ++k) {
            if (!(wait[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buffer[1024];
            const ssize_t n = ::read(wait[k].fd, buffer, sizeof buffer);
            QVERIFY2(n > 0, "a client was closed before its answer");
            answers[index[k]].append(buffer, qsizetype(n));
            if (answers[index[k]].contains(kHealthBody)) {
                QVERIFY2(answers[index[k]].startsWith("HTTP/1.1 200"),
                         answers[index[k]].constData());
                ++answered;
            }
        }
    }
    QCOMPARE(answered, fds.size());
#if !defined(__SANITIZE_ADDRESS__) // ASan's quarantine keeps what is freed (see below)
    // And the memory they held goes back once they are gone (SPEC 13: under 2x idle within a
    // minute): the burst's end, not a big body, is what asks for the trim.
    const qint64 peak = residentKb(process.processId());
    for (int fd : fds)
        ::close(fd);
    fds.clear();
    QTRY_VERIFY2_WITH_TIMEOUT(
        residentKb(process.processId()) < 2 * idle,
        qPrintable(QStringLiteral("idle %1 kB, with the clients %2 kB, now %3 kB")
                       .arg(idle)
                       .arg(peak)
                       .arg(residentKb(process.processId()))),
        60000);
    qInfo("RSS idle %lld kB, with %d clients %lld kB, after %lld kB", idle, clients, peak,
          residentKb(process.processId()));
#endif
    QCOMPARE(GatewayProcess::stop(process), 0);
}

// --- 4-5. slow readers and buffers ---

void TestRobustness::slowReaderGetsWholeStream()
{
    // 60,000 words: about 11 MB of SSE to a client that takes 8 KB at a time.
    RawPeer c(m_fast->port(), RawPeer::Options {QHostAddress(QHostAddress::LocalHost), 8192, 8192});
    const QByteArray text = words(60000);
    QVERIFY(c.send(post(chatBody("openclaw", text, true))));
    QVERIFY(c.readUntil([](const QByteArray &all) { return all.endsWith("0\r\n\r\n"); }, 120000));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).value(0);
    QVERIFY(r.complete);
    const QList<QByteArray> data = r.sseData();
    QCOMPARE(data.size(), 60000 + 3);
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(r), text);
}

void TestRobustness::slowReaderPausesUpstream()
{
    ThreadedUpstream upstream;
    QVERIFY(upstream.listening());
    QList<QByteArray> events;
    const int deltas = 100000; // about 15 MB: far more than the sockets between them hold
    events.reserve(deltas + 2);
    for (int i = 0; i < deltas; ++i)
        events.append(FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("x "))));
    events.append(FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))));
    events.append(FakeUpstream::done());
    upstream.setDefaultReply(FakeUpstream::stream(events));
    auto gw = startGateway("maxBufferedBytes: 65536",
                           "agents: { list: [ { id: 'main', default: true, model: 'up/m' } ] },"
                           " models: { providers: { up: { api: 'openai-completions', baseUrl: '"
                               + upstream.baseUrl().toUtf8() + "' } } }");
    QVERIFY(gw);
    RawPeer c(gw->port(), RawPeer::Options {QHostAddress(QHostAddress::LocalHost), 4096, 4096});
    QVERIFY(c.send(post(chatBody("openclaw", "flood me", true))));
    QVERIFY(c.readUntilContains("\"role\":\"assistant\""));
    // The client stops reading: the gateway stops reading the upstream, whose bytes back up.
    QTRY_VERIFY_WITH_TIMEOUT(upstream.unsentBytes() > 4 * 1024 * 1024, 20000);
    // Then it reads, at full speed, and gets every delta.
    c.setReadChunk(0);
    QVERIFY(c.readUntil([](const QByteArray &all) { return all.endsWith("0\r\n\r\n"); }, 120000));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).value(0);
    QCOMPARE(r.sseData().size(), deltas + 3);
    QCOMPARE(r.sseData().last(), QByteArray("[DONE]"));
}

void TestRobustness::silentReaderDroppedAfterIdleTimeout()
{
    QSignalSpy batches(&m_fast->controller(), &GatewayController::logBatch);
    RawPeer c(m_fast->port(), RawPeer::Options {QHostAddress(QHostAddress::LocalHost), 4096, 4096});
    QVERIFY(c.send(post(chatBody("openclaw", words(60000), true))));
    QVERIFY(c.readUntilContains("\"role\":\"assistant\""));
    // Reads nothing more: dropped once idleTimeoutMs (1.2 s) passed without progress, logged 499.
    const auto dropped = [&batches] {
        const QList<RequestRecord> all = finishedRecords(batches);
        for (const RequestRecord &r : all) {
            if (r.status == 499 && r.stream)
                return r.durationMs;
        }
        return qint64(-1);
    };
    QTRY_VERIFY_WITH_TIMEOUT(dropped() >= 0, 10000);
    QVERIFY2(dropped() >= 1000, qPrintable(QString::number(dropped())));
    QVERIFY(c.waitClosed(10000));
    QVERIFY(!c.data().endsWith("0\r\n\r\n"));
}

void TestRobustness::silentReaderAbortsUpstream()
{
    ThreadedUpstream upstream;
    QVERIFY(upstream.listening());
    QList<QByteArray> events;
    for (int i = 0; i < 300000; ++i)
        events.append(FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("y "))));
    events.append(FakeUpstream::done());
    upstream.setDefaultReply(FakeUpstream::stream(events));
    auto gw = startGateway("idleTimeoutMs: 1200, maxBufferedBytes: 65536",
                           "agents: { list: [ { id: 'main', default: true, model: 'up/m' } ] },"
                           " models: { providers: { up: { api: 'openai-completions', baseUrl: '"
                               + upstream.baseUrl().toUtf8() + "' } } }");
    QVERIFY(gw);
    RawPeer c(gw->port(), RawPeer::Options {QHostAddress(QHostAddress::LocalHost), 4096, 4096});
    QVERIFY(c.send(post(chatBody("openclaw", "flood me", true))));
    QVERIFY(c.readUntilContains("\"role\":\"assistant\""));
    QCOMPARE(upstream.clientClosedCount(), 0);
    // The silent client is dropped and its upstream request closed with it.
    QTRY_COMPARE_WITH_TIMEOUT(upstream.clientClosedCount(), 1, 10000);
}

void TestRobustness::totalBufferBoundDropsLeastRecentReaders()
{
    // A stalled stream holds between half of maxBufferedBytes (its run resumes below that) and
    // all of it (its run pauses above), whatever the kernel's socket buffers took besides. Six
    // of them hold at least 6 x 64 KiB = 384 KiB, over the 300 KiB bound: connections must be
    // dropped; two hold at most 2 x 128 KiB, under it: never all of them.
    auto gw = startGateway("maxBufferedBytes: 131072, maxBufferedTotalBytes: 307200");
    QVERIFY(gw);
    QSignalSpy batches(&gw->controller(), &GatewayController::logBatch);
    const QByteArray text = words(30000);
    std::vector<std::unique_ptr<RawPeer>> peers;
    for (int i = 0; i < 6; ++i) {
        peers.push_back(std::make_unique<RawPeer>(
            gw->port(), RawPeer::Options {QHostAddress(QHostAddress::LocalHost), 4096, 4096}));
        QVERIFY(peers.back()->send(post(chatBody("openclaw", text, true))));
        QVERIFY(peers.back()->readUntilContains("\"role\":\"assistant\""));
    }
    // Which ones go depends on when the kernel last took bytes of each (their last read), so the
    // order is not asserted here; every one kept gets its whole stream.
    QTRY_VERIFY_WITH_TIMEOUT(countStatus(batches, 499) >= 1, 10000);
    int dropped = 0;
    for (int i = 0; i < 6; ++i) {
        RawPeer &p = *peers[size_t(i)];
        p.setReadChunk(0);
        const bool complete
            = p.readUntil([](const QByteArray &all) { return all.endsWith("0\r\n\r\n"); }, 60000);
        if (complete)
            QCOMPARE(streamedText(TestHttpClient::parseAll(p.data()).value(0)), text);
        else
            ++dropped;
    }
    QVERIFY2(dropped >= 1 && dropped <= 4, qPrintable(QString::number(dropped)));
    // Each drop is logged as a 499 (the request log reports in batches).
    QTRY_COMPARE(countStatus(batches, 499), dropped);
}

// --- 6. big requests ---

void TestRobustness::bigRequestLeavesServerResponsive()
{
    // A 15 MB prompt: while it is parsed and echoed, /health is answered at once.
    QByteArray prompt;
    prompt.reserve(15 * 1024 * 1024);
    while (prompt.size() < 15 * 1024 * 1024)
        prompt += "lorem ipsum dolor sit amet ";
    prompt = prompt.trimmed();
    RawPeer big(m_gw->port());
    QVERIFY(big.send(post(chatBody("openclaw", prompt, false))));
    RawPeer probe(m_gw->port());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(probe.send(get("/health")));
    QVERIFY(readResponses(probe, 1, 30000));
    const qint64 probeMs = clock.elapsed();
    QCOMPARE(TestHttpClient::parseAll(probe.data()).first().body, kHealthBody);
    // The big one was still being worked on when /health came back.
    QVERIFY2(!readResponses(big, 1, 1), qPrintable(QString::number(probeMs)));
    QVERIFY(readResponses(big, 1, 120000));
    const HttpResponse r = TestHttpClient::parseAll(big.data()).first();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.chatContent().size(), prompt.size());
    qInfo("/health answered in %lld ms beside a 15 MB request that took %lld ms", probeMs,
          clock.elapsed());
}

// Issue 9 item 4, SPEC section 13: after a burst of big requests the binary's RSS goes back
// under twice its idle figure within the minute the spec gives.
void TestRobustness::memoryReturnedAfterBurst()
{
#if defined(__SANITIZE_ADDRESS__)
    // ASan's allocator keeps freed memory in quarantine and malloc_trim does not reach it: this
    // would measure ASan, not the gateway. The Release suite runs it.
    QSKIP(
        "RSS after a burst is the sanitizer allocator's under ASan; checked in the Release suite");
#endif
    QTemporaryDir home;
    QFile config(home.filePath(QStringLiteral("gateway.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(TestGateway::configText());
    config.close();
    QProcess process;
    QString output;
    const quint16 port
        = GatewayProcess::start(process, {QStringLiteral("--config"), config.fileName()},
                                GatewayProcess::isolatedEnvironment(home.path()), &output);
    QVERIFY2(port, qPrintable(output));
    const auto rssKb = [&process] { return residentKb(process.processId()); };
    {
        RawPeer warm(port);
        QVERIFY(warm.send(post(chatBody("openclaw", "warm up", false))));
        QVERIFY(readResponses(warm, 1));
    }
    const qint64 idle = rssKb();
    QVERIFY(idle > 0);
    QByteArray prompt;
    while (prompt.size() < 8 * 1024 * 1024)
        prompt += "lorem ipsum dolor sit amet ";
    prompt = prompt.trimmed();
    qint64 peak = 0;
    {
        std::vector<std::unique_ptr<RawPeer>> burst;
        for (int i = 0; i < 4; ++i) {
            burst.push_back(std::make_unique<RawPeer>(port));
            QVERIFY(burst.back()->send(post(chatBody("openclaw", prompt, false))));
        }
        for (auto &b : burst) {
            QVERIFY(readResponses(*b, 1, 120000));
            QCOMPARE(TestHttpClient::parseAll(b->data()).first().status, 200);
            peak = qMax(peak, rssKb());
        }
    }
    QTRY_VERIFY2_WITH_TIMEOUT(
        rssKb() < 2 * idle,
        qPrintable(QStringLiteral("idle %1 kB, now %2 kB").arg(idle).arg(rssKb())), 60000);
    qInfo("RSS idle %lld kB, during the burst up to %lld kB, after %lld kB", idle, peak, rssKb());
    QCOMPARE(GatewayProcess::stop(process), 0);
}

// --- 7. logs ---

void TestRobustness::logLinesEscapeClientText()
{
    QSignalSpy batches(&m_gw->controller(), &GatewayController::logBatch);
    const QByteArray forged = "/nope%0D%0A2026-12-01T00:00:00.000Z%20127.0.0.9%20POST%20"
                              "/v1/chat/completions%20200%201ms%20agent=FORGED%1B[31m%00end";
    RawPeer c(m_gw->port());
    QVERIFY(c.send(get(forged)));
    QVERIFY(readResponses(c, 1));
    RawPeer longPath(m_gw->port());
    QVERIFY(longPath.send(get("/long-" + QByteArray(1000, 'x'))));
    QVERIFY(readResponses(longPath, 1));
    RawPeer model(m_gw->port());
    QVERIFY(model.send(post(R"({"model":"openclaw\n2026 FAKE\u001b","messages":[]})")));
    QVERIFY(readResponses(model, 1));
    const auto find = [&batches](const char *needle) {
        const QList<RequestRecord> all = finishedRecords(batches);
        for (const RequestRecord &r : all) {
            if (r.path.contains(QLatin1String(needle)) || r.model.contains(QLatin1String(needle)))
                return r;
        }
        return RequestRecord {};
    };
    QTRY_VERIFY(find("FORGED").id != 0 && find("long-").id != 0 && find("FAKE").id != 0);
    const RequestRecord r = find("FORGED");
    QVERIFY2(!hasControlCharacter(r.path), qPrintable(r.path));
    QVERIFY2(r.path.contains(QLatin1String("\\x0D\\x0A2026-12-01")), qPrintable(r.path));
    QVERIFY(r.path.contains(QLatin1String("\\x1B[31m\\x00end")));
    QVERIFY(find("long-").path.size() <= 200);
    QVERIFY(!hasControlCharacter(find("FAKE").model));
    QVERIFY(find("FAKE").model.contains(QLatin1String("openclaw\\x0A2026")));
}

void TestRobustness::headlessStdoutCannotBeForged()
{
    QTemporaryDir home;
    QFile config(home.filePath(QStringLiteral("gateway.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(TestGateway::configText());
    config.close();
    QProcess process;
    QString output;
    const quint16 port
        = GatewayProcess::start(process, {QStringLiteral("--config"), config.fileName()},
                                GatewayProcess::isolatedEnvironment(home.path()), &output);
    QVERIFY2(port, qPrintable(output));
    {
        RawPeer c(port);
        QVERIFY(c.send(get("/nope%0D%0A2026-12-01T00:00:00.000Z%20127.0.0.9%20POST%20"
                           "/v1/chat/completions%20200%201ms%20agent=FORGED%1B%00")));
        QVERIFY(readResponses(c, 1));
        RawPeer secret(port);
        QVERIFY(secret.send(
            post(R"({"messages":[{"role":"user","content":"hi"}],"api_key":"sk-hidden-7788"})")));
        QVERIFY(readResponses(secret, 1));
    }
    QDeadlineTimer deadline(10000);
    while (!output.contains(QLatin1String("FORGED")) && !deadline.hasExpired()) {
        process.waitForReadyRead(100);
        output += QString::fromUtf8(process.readAll());
    }
    QVERIFY2(output.contains(QLatin1String("FORGED")), qPrintable(output));
    process.waitForReadyRead(300);
    output += QString::fromUtf8(process.readAll());
    QCOMPARE(GatewayProcess::stop(process), 0);
    output += QString::fromUtf8(process.readAll());
    const QStringList lines = output.split(u'\n');
    int forgedLines = 0;
    for (const QString &line : lines) {
        QVERIFY2(!line.startsWith(QLatin1String("2026-12-01T00:00:00.000Z")), qPrintable(line));
        QVERIFY2(!hasControlCharacter(line), qPrintable(line));
        forgedLines += line.contains(QLatin1String("FORGED")) ? 1 : 0;
    }
    QCOMPARE(forgedLines, 1);
    // The token and the provider key never reach stdout nor any file of the data directory.
    QVERIFY(!output.contains(QLatin1String(TestGateway::kToken)));
    QVERIFY(!output.contains(QLatin1String("sk-hidden-7788")));
    QDirIterator files(home.path(), QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile f(files.next());
        if (f.fileName() == config.fileName() || !f.open(QIODevice::ReadOnly))
            continue;
        QVERIFY2(!f.readAll().contains("sk-hidden-7788"), qPrintable(f.fileName()));
    }
}

// --- 10. Host ---

void TestRobustness::hostValidation_data()
{
    QTest::addColumn<QByteArray>("hostLines");
    QTest::addColumn<int>("status");
    QTest::newRow("user info in the port") << QByteArray("Host: 127.0.0.1:80@evil.com\r\n") << 400;
    QTest::newRow("user info") << QByteArray("Host: user@127.0.0.1\r\n") << 400;
    QTest::newRow("two, the allowed one first")
        << QByteArray("Host: 127.0.0.1\r\nHost: evil.example\r\n") << 400;
    QTest::newRow("two identical") << QByteArray("Host: 127.0.0.1\r\nHost: 127.0.0.1\r\n") << 400;
    QTest::newRow("missing") << QByteArray() << 400;
    QTest::newRow("empty") << QByteArray("Host: \r\n") << 400;
    QTest::newRow("port not a number") << QByteArray("Host: 127.0.0.1:8o\r\n") << 400;
    QTest::newRow("port too large") << QByteArray("Host: 127.0.0.1:65536\r\n") << 400;
    QTest::newRow("space inside") << QByteArray("Host: 127.0.0.1 evil.example\r\n") << 400;
    QTest::newRow("unclosed bracket") << QByteArray("Host: [::1\r\n") << 400;
    QTest::newRow("a path") << QByteArray("Host: 127.0.0.1/x\r\n") << 400;
    QTest::newRow("plain") << QByteArray("Host: 127.0.0.1\r\n") << 200;
    QTest::newRow("with a port") << QByteArray("Host: 127.0.0.1:18789\r\n") << 200;
    QTest::newRow("IPv6 with a port") << QByteArray("Host: [::1]:8080\r\n") << 200;
    QTest::newRow("upper case") << QByteArray("Host: LOCALHOST\r\n") << 200;
    QTest::newRow("well formed, not allowed") << QByteArray("Host: evil.example\r\n") << 403;
}

void TestRobustness::hostValidation()
{
    QFETCH(QByteArray, hostLines);
    QFETCH(int, status);
    for (const QByteArray &path : {QByteArray("/health"), kChat}) {
        RawPeer c(m_gw->port());
        QVERIFY(c.send("GET " + path + " HTTP/1.1\r\n" + hostLines + "\r\n"));
        QVERIFY(readResponses(c, 1));
        const HttpResponse r = TestHttpClient::parseAll(c.data()).first();
        QCOMPARE(r.status, status == 200 && path == kChat ? 405 : status);
        if (status == 400)
            QCOMPARE(
                r.body,
                QByteArray(
                    R"({"error":{"message":"Invalid Host header","type":"invalid_request_error"}})"));
    }
}

void TestRobustness::hostValidationOnUpgrade()
{
    RawPeer c(m_gw->port());
    QVERIFY(
        c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: "
               + kWsKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    QVERIFY(c.waitClosed(5000));
    QCOMPARE(TestHttpClient::parseAll(c.data()).value(0).status, 400);
}

// --- 9. WebSocket ---

void TestRobustness::webSocketUpgradeValidated_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("versionHeader");
    const QByteArray version = "Sec-WebSocket-Version: 13\r\n";
    const QByteArray key = "Sec-WebSocket-Key: " + kWsKey + "\r\n";
    const auto keyOf = [](const QByteArray &raw) -> QByteArray {
        return "Sec-WebSocket-Key: " + raw.toBase64() + "\r\n";
    };
    QTest::newRow("valid") << upgradeRequest(key + version) << 101 << QByteArray();
    QTest::newRow("missing key") << upgradeRequest(version) << 400 << QByteArray();
    QTest::newRow("empty key") << upgradeRequest("Sec-WebSocket-Key: \r\n" + version) << 400
                               << QByteArray();
    QTest::newRow("key not base64")
        << upgradeRequest("Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n" + version) << 400
        << QByteArray();
    QTest::newRow("3-byte key") << upgradeRequest(keyOf("abc") + version) << 400 << QByteArray();
    QTest::newRow("17-byte key") << upgradeRequest(keyOf(QByteArray(17, 'k')) + version) << 400
                                 << QByteArray();
    QTest::newRow("1 KB key") << upgradeRequest(keyOf(QByteArray(768, 'k')) + version) << 400
                              << QByteArray();
    QTest::newRow("missing version") << upgradeRequest(key) << 400 << QByteArray("13");
    QTest::newRow("version 8") << upgradeRequest(key + "Sec-WebSocket-Version: 8\r\n") << 400
                               << QByteArray("13");
    QTest::newRow("POST") << upgradeRequest(key + version, "POST / HTTP/1.1") << 400
                          << QByteArray();
    QTest::newRow("HTTP/1.0") << upgradeRequest(key + version, "GET / HTTP/1.0") << 400
                              << QByteArray();
    QTest::newRow("Connection without upgrade")
        << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: "
                      "keep-alive\r\n"
                      + key + version + "\r\n")
        << 400 << QByteArray();
}

void TestRobustness::webSocketUpgradeValidated()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, versionHeader);
    RawPeer c(m_gw->port());
    QVERIFY(c.send(request));
    QVERIFY(readResponses(c, 1));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).first();
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("sec-websocket-version"), versionHeader);
    if (status != 101)
        QVERIFY(c.waitClosed(5000));
}

void TestRobustness::webSocketAcceptKey()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(
        upgradeRequest("Sec-WebSocket-Key: " + kWsKey + "\r\nSec-WebSocket-Version: 13\r\n")));
    QVERIFY(
        c.readUntil([](const QByteArray &all) { return !serverFrames(afterHead(all)).isEmpty(); }));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).first();
    QCOMPARE(r.status, 101);
    QCOMPARE(r.header("upgrade").toLower(), QByteArray("websocket"));
    QCOMPARE(r.header("connection").toLower(), QByteArray("upgrade"));
    QCOMPARE(r.header("sec-websocket-accept"), kWsAccept);
    const auto frames = serverFrames(afterHead(c.data()));
    QCOMPARE(frames.first().first, 1); // text
    QVERIFY(frames.first().second.contains("connect.challenge"));
}

void TestRobustness::unmaskedClientFrameClosed1002()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send(
        upgradeRequest("Sec-WebSocket-Key: " + kWsKey + "\r\nSec-WebSocket-Version: 13\r\n")));
    QVERIFY(
        c.readUntil([](const QByteArray &all) { return !serverFrames(afterHead(all)).isEmpty(); }));
    const QByteArray connect
        = QJsonDocument(QJsonObject {{QStringLiteral("type"), QStringLiteral("req")},
                                     {QStringLiteral("id"), QStringLiteral("1")},
                                     {QStringLiteral("method"), QStringLiteral("connect")},
                                     {QStringLiteral("params"), wsConnectParams(wsTokenAuth())}})
              .toJson(QJsonDocument::Compact);
    QVERIFY(c.send(clientFrame(1, connect, nullptr)));
    QVERIFY(c.waitClosed(5000));
    const auto frames = serverFrames(afterHead(c.data()));
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().first, 8); // close
    QCOMPARE(int(qFromBigEndian<quint16>(frames.last().second.constData())), 1002);
    for (const auto &f : frames)
        QVERIFY2(!f.second.contains("hello-ok"), "the unmasked connect was answered");
}

void TestRobustness::browserOriginRefusedOnUpgrade()
{
    const QByteArray request = "Sec-WebSocket-Key: " + kWsKey + "\r\nSec-WebSocket-Version: 13\r\n";
    const auto statusWith = [&](const QByteArray &originLine) {
        RawPeer c(m_gw->port());
        c.send(upgradeRequest(request + originLine));
        readResponses(c, 1);
        return TestHttpClient::parseAll(c.data()).value(0);
    };
    // No CORS origin listed: any browser Origin is refused; a client sending none is not.
    HttpResponse r = statusWith("Origin: http://evil.example\r\n");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body,
             QByteArray(R"({"error":{"message":"Origin not allowed","type":"forbidden"}})"));
    QCOMPARE(statusWith({}).status, 101);
    m_gw->update(
        [](GatewayConfig &c) { c.corsOrigins = {QStringLiteral("http://app.local:3000")}; });
    QCOMPARE(statusWith("Origin: http://app.local:3000\r\n").status, 101);
    QCOMPARE(statusWith("Origin: http://evil.example\r\n").status, 403);
    QCOMPARE(statusWith("Origin: http://app.local:3001\r\n").status, 403);
    m_gw->update([](GatewayConfig &c) { c.corsOrigins.clear(); });
}

// --- 8. keep-alive ---

void TestRobustness::keepAliveCommentsOnTime()
{
    // The `pause` echo waits 5.6 s after its one word: keep-alives every 2 s (within a second),
    // so exactly two of them before the end.
    auto gw = startGateway("keepAliveMs: 2000");
    QVERIFY(gw);
    RawPeer c(gw->port());
    QVERIFY(c.send(post(chatBody("openclaw/pause", "a", true))));
    QElapsedTimer clock;
    clock.start();
    QList<QPair<qint64, QByteArray>> frames; // arrival time, frame
    QVERIFY(c.readUntil(
        [&](const QByteArray &all) {
            const QByteArray body = afterHead(all); // chunk framing around each frame
            qsizetype from = 0;
            qsizetype end;
            int index = 0;
            while ((end = body.indexOf("\n\n", from)) >= 0) {
                if (index++ >= frames.size()) {
                    QByteArray frame = body.mid(from, end - from);
                    const qsizetype nl = frame.lastIndexOf("\r\n");
                    frames.append({clock.elapsed(), nl >= 0 ? frame.mid(nl + 2) : frame});
                }
                from = end + 2;
            }
            return all.endsWith("0\r\n\r\n");
        },
        20000));
    // What arrived when, for the failure messages.
    QString arrivals;
    for (const auto &f : frames)
        arrivals += QStringLiteral("\n  %1 ms %2")
                        .arg(f.first)
                        .arg(QString::fromUtf8(f.second.left(60)));
    qint64 previous = -1;
    int comments = 0;
    for (const auto &f : frames) {
        if (f.second.startsWith(": keep-alive")) {
            ++comments;
            const qint64 gap = f.first - previous;
            QVERIFY2(gap >= 1000 && gap <= 3000,
                     qPrintable(QStringLiteral("gap %1 ms:").arg(gap) + arrivals));
        }
        previous = f.first;
    }
    QVERIFY2(comments == 2, qPrintable(QStringLiteral("%1 keep-alives:").arg(comments) + arrivals));
}

// --- what already held ---

void TestRobustness::smugglingRefused_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::newRow("chunked") << QByteArray("Transfer-Encoding: chunked\r\n") << 411;
    QTest::newRow("chunked and a length")
        << QByteArray("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") << 411;
    QTest::newRow("chunked last in a list")
        << QByteArray("Transfer-Encoding: gzip, chunked\r\n") << 411;
    QTest::newRow("chunked mixed case") << QByteArray("transfer-encoding: ChUnKeD\r\n") << 411;
    QTest::newRow("two lengths") << QByteArray("Content-Length: 5\r\nContent-Length: 6\r\n") << 400;
    QTest::newRow("signed length") << QByteArray("Content-Length: +5\r\n") << 400;
    QTest::newRow("length list") << QByteArray("Content-Length: 5, 5\r\n") << 400;
    QTest::newRow("space before the colon") << QByteArray("Content-Length : 5\r\n") << 400;
    QTest::newRow("folded line") << QByteArray("X-Folded: a\r\n b\r\n") << 400;
    QTest::newRow("control character") << QByteArray("X-Bad: a\x01z\r\n") << 400;
}

void TestRobustness::smugglingRefused()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    RawPeer c(m_gw->port());
    QVERIFY(c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                   + QByteArray(TestGateway::kToken) + "\r\n" + headers
                   + "\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    QVERIFY(c.waitClosed(5000));
    const QList<HttpResponse> rs = TestHttpClient::parseAll(c.data());
    QCOMPARE(rs.size(), 1); // the smuggled request behind it is never answered
    QCOMPARE(rs[0].status, status);
}

void TestRobustness::oversizedHeadRefused()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(70 * 1024, 'h')
                   + "\r\n\r\n"));
    QVERIFY(c.waitClosed(5000));
    QCOMPARE(TestHttpClient::parseAll(c.data()).value(0).status, 431);
}

void TestRobustness::oversizedBodyRefusedBeforeReading()
{
    RawPeer c(m_gw->port());
    QVERIFY(c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                   + QByteArray(TestGateway::kToken) + "\r\nContent-Length: 1000000000\r\n\r\n{"));
    QVERIFY(c.waitClosed(5000));
    const HttpResponse r = TestHttpClient::parseAll(c.data()).value(0);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.header("connection"), QByteArray("close"));
}

void TestRobustness::noSecretInLogs()
{
    m_gw->controller().setCaptureFrames(true);
    QSignalSpy batches(&m_gw->controller(), &GatewayController::logBatch);
    LogCapture log;
    RawPeer c(m_gw->port());
    QVERIFY(c.send(post(
        R"({"stream":true,"messages":[{"role":"user","content":"hi"}],"api_key":"sk-hidden-4242","password":"pw-hidden-4242"})")));
    QVERIFY(readResponses(c, 1));
    RawPeer wrong(m_gw->port());
    QVERIFY(wrong.send(TestHttpClient::buildRequest(
        "POST", kChat, {{"Authorization", "Bearer wrong-secret-4242"}}, "{}", "127.0.0.1")));
    QVERIFY(readResponses(wrong, 1));
    QTRY_VERIFY(finishedRecords(batches).size() >= 2);
    m_gw->controller().setCaptureFrames(false);
    const QList<RequestRecord> all = finishedRecords(batches);
    for (const RequestRecord &r : all) {
        const QString text = r.path + r.error + r.model + r.sessionKey
            + QString::fromUtf8(r.requestBody + r.responseBody);
        for (const char *secret :
             {TestGateway::kToken, "sk-hidden-4242", "pw-hidden-4242", "wrong-secret-4242"})
            QVERIFY2(!text.contains(QLatin1String(secret)), secret);
    }
    for (const LogCapture::Line &line : log.lines()) {
        for (const char *secret : {TestGateway::kToken, "sk-hidden-4242", "wrong-secret-4242"})
            QVERIFY2(!line.text.contains(QLatin1String(secret)), qPrintable(line.text));
    }
}

QTEST_GUILESS_MAIN(TestRobustness)
#include "tst_robustness.moc"
