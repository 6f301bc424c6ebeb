// UpstreamExchange on its own against the in-process FakeUpstream: SSE split anywhere, JSON
// answers (typed or sniffed), error bodies and their bound, the three deadlines, connection
// failures without the secret, abort closing the connection and silencing the exchange, and
// pause/resume holding the upstream back without a deadline firing.

#include "providers/UpstreamExchange.h"
#include "support/FakeUpstream.h"

#include "providers/UpstreamPool.h"
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace passerelle;
using passerelle::test::FakeUpstream;

namespace {

const QString Secret = QStringLiteral("sk-upstream-secret-0987654321");

// Everything an exchange reported, in order.
struct Record
{
    QStringList
        log; // "event:<type>|<data>", "json:<body>", "http:<status>", "end:<cut>", "failed:"
    QList<QByteArray> data; // the data of each event
    QByteArray body; // json or error body
    int status = 0;
    std::optional<BackendError::Kind> failure;
    QString diagnostic;
    int ends = 0;

    void watch(UpstreamExchange *exchange)
    {
        QObject::connect(exchange, &UpstreamExchange::sseEvent, exchange,
                         [this](const SseParser::Item &e) {
                             data << e.data;
                             log << QStringLiteral("event:") + e.event + QLatin1Char('|')
                                     + QString::fromUtf8(e.data);
                         });
        QObject::connect(exchange, &UpstreamExchange::jsonReceived, exchange,
                         [this](const QByteArray &b) {
                             body = b;
                             ++ends;
                             log << QStringLiteral("json:") + QString::fromUtf8(b);
                         });
        QObject::connect(exchange, &UpstreamExchange::httpError, exchange,
                         [this](int s, const QByteArray &b) {
                             status = s;
                             body = b;
                             ++ends;
                             log << QStringLiteral("http:%1").arg(s);
                         });
        QObject::connect(exchange, &UpstreamExchange::streamEnded, exchange,
                         [this](const QString &cut) {
                             ++ends;
                             log << QStringLiteral("end:") + cut;
                         });
        QObject::connect(exchange, &UpstreamExchange::failed, exchange,
                         [this](BackendError::Kind kind, const QString &d) {
                             failure = kind;
                             diagnostic = d;
                             ++ends;
                             log << QStringLiteral("failed:") + d;
                         });
    }
};

QByteArray sseData(const QByteArray &data)
{
    return "data: " + data + "\n\n";
}

// n events of about `size` bytes each, numbered from `first`: "data: <n> xxxx...\n\n".
QByteArray numberedEvents(int first, int n, int size)
{
    QByteArray out;
    for (int i = first; i < first + n; ++i)
        out += sseData(QByteArray::number(i) + ' ' + QByteArray(size, 'x'));
    return out;
}

} // namespace

class TestUpstream final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sseSplitAnywhere_data();
    void sseSplitAnywhere();
    void jsonAnswer_data();
    void jsonAnswer();
    void errorBody_data();
    void errorBody();
    void cutStream();
    void emptyAnswer();
    void deadlines_data();
    void deadlines();
    void keepAlivesCountOnceStreaming();
    void connectionRefusedWithoutTheSecret();
    void requestHeaders();
    void abortClosesTheConnection();
    void abortFromASlotStopsTheRead();
    void pauseHoldsTheUpstreamBack();
    void pauseInsideASlotHoldsTheRestOfTheRead();
    void deadlinesWaitWhilePaused();

private:
    UpstreamRequest request(const QString &path = QStringLiteral("/chat/completions")) const;
    std::unique_ptr<UpstreamExchange> start(const UpstreamRequest &request, Record *record);

    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<UpstreamPool> m_network;
};

void TestUpstream::init()
{
    m_upstream = std::make_unique<FakeUpstream>();
    QVERIFY(m_upstream->listen());
    m_network = std::make_unique<UpstreamPool>();
}

void TestUpstream::cleanup()
{
    m_network.reset();
    m_upstream.reset();
}

UpstreamRequest TestUpstream::request(const QString &path) const
{
    UpstreamRequest r;
    r.url = QUrl(m_upstream->baseUrl() + path);
    r.body = R"({"stream":true})";
    r.headers = {{"Authorization", "Bearer " + Secret.toUtf8()}};
    r.secret = Secret;
    r.connectTimeoutMs = 5000;
    r.firstEventTimeoutMs = 5000;
    r.idleTimeoutMs = 5000;
    return r;
}

std::unique_ptr<UpstreamExchange> TestUpstream::start(const UpstreamRequest &request,
                                                      Record *record)
{
    auto exchange = std::make_unique<UpstreamExchange>(m_network.get());
    record->watch(exchange.get());
    exchange->start(request);
    return exchange;
}

void TestUpstream::sseSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("piece");

    const QByteArray lf = "\xEF\xBB\xBF: opening comment\n\nevent: delta\nid: 7\ndata: Ça\ndata: "
                          "va €\n\n: keep-alive\n\ndata: {\"a\":1}\n\nretry: 5\ndata:last\n\n";
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    QByteArray cr = lf;
    cr.replace("\n", "\r");
    QTest::newRow("LF, 5 bytes") << lf << 5;
    QTest::newRow("CRLF, 3 bytes (CR and LF apart)") << crlf << 3;
    QTest::newRow("CR, 2 bytes") << cr << 2;
    QTest::newRow("CRLF, whole") << crlf << int(crlf.size());
}

void TestUpstream::sseSplitAnywhere()
{
    QFETCH(QByteArray, body);
    QFETCH(int, piece);
    // Each piece its own HTTP chunk and TCP write, 1 ms apart, so the reads split there.
    m_upstream->setDefaultReply(FakeUpstream::pieces(body, piece, 1));

    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 5000);
    QCOMPARE(
        record.log,
        (QStringList {QStringLiteral("event:delta|Ça\nva €"), QStringLiteral("event:|{\"a\":1}"),
                      QStringLiteral("event:|last"), QStringLiteral("end:")}));
    QCOMPARE(exchange->httpStatus(), 200);
    QVERIFY(!exchange->isActive());
}

void TestUpstream::jsonAnswer_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("framing");
    QTest::addColumn<int>("piece");

    using F = FakeUpstream::Framing;
    QTest::newRow("application/json, Content-Length")
        << QByteArray("application/json") << int(F::ContentLength) << 3;
    QTest::newRow("charset, chunked in pieces")
        << QByteArray("application/json; charset=utf-8") << int(F::Chunked) << 9;
    QTest::newRow("no Content-Type: sniffed, until close")
        << QByteArray() << int(F::UntilClose) << 5;
}

void TestUpstream::jsonAnswer()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, framing);
    QFETCH(int, piece);
    const QByteArray body = "  {\"choices\":[{\"message\":{\"content\":\"Bonjour €\"}}]}";
    FakeUpstream::Reply reply = FakeUpstream::pieces(body, piece, 1);
    reply.contentType = contentType;
    reply.framing = FakeUpstream::Framing(framing);
    m_upstream->setDefaultReply(reply);

    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 5000);
    QCOMPARE(record.log, QStringList {QStringLiteral("json:") + QString::fromUtf8(body)});
    QCOMPARE(record.body, body);
}

void TestUpstream::errorBody_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray small = R"({"error":{"message":"no such model"}})";
    QTest::newRow("404, small body") << 404 << small << small;
    QTest::newRow("503, no body") << 503 << QByteArray() << QByteArray();
    const QByteArray huge = QByteArray(UpstreamExchange::MaxErrorBodyBytes - 3, 'a')
        + QByteArray("<cut here>") + QByteArray(2 * 1024 * 1024, 'b');
    QTest::newRow("500, 3 MiB body: the first MiB")
        << 500 << huge << huge.left(UpstreamExchange::MaxErrorBodyBytes);
}

void TestUpstream::errorBody()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    // Several writes, so the bound is met in the middle of a read.
    FakeUpstream::Reply reply = FakeUpstream::pieces(body, 300 * 1024, 0);
    reply.status = status;
    reply.contentType = "application/json";
    m_upstream->setDefaultReply(reply);

    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 5000);
    QCOMPARE(record.log, QStringList {QStringLiteral("http:%1").arg(status)});
    QCOMPARE(record.status, status);
    QCOMPARE(record.body.size(), expected.size());
    QCOMPARE(record.body, expected);
    QCOMPARE(exchange->httpStatus(), status);
}

void TestUpstream::cutStream()
{
    // A chunked stream whose connection closes before the last chunk: an SSE end with a cause.
    FakeUpstream::Reply reply = FakeUpstream::stream({sseData("one")});
    reply.finish = false;
    m_upstream->setDefaultReply(reply);
    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE(record.data.size(), 1);
    m_upstream.reset(); // the upstream goes away mid-stream
    QTRY_COMPARE(record.ends, 1);
    QCOMPARE(record.log.size(), 2);
    QVERIFY2(record.log.at(1).startsWith(QStringLiteral("end:")), qPrintable(record.log.at(1)));
    QVERIFY(record.log.at(1).size() > 4); // a reason is given
}

void TestUpstream::emptyAnswer()
{
    FakeUpstream::Reply reply;
    reply.contentType = "text/plain";
    reply.framing = FakeUpstream::Framing::ContentLength;
    m_upstream->setDefaultReply(reply);
    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE(record.ends, 1);
    QCOMPARE(record.failure, BackendError::Kind::Unreachable);
    QCOMPARE(record.diagnostic,
             m_upstream->baseUrl() + QStringLiteral("/chat/completions: empty answer"));
}

void TestUpstream::deadlines_data()
{
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<int>("events"); // reported before the deadline
    QTest::newRow("connect") << QStringLiteral("connect")
                             << QStringLiteral("no connection to %1 within 150 ms") << 0;
    QTest::newRow("first event, nothing sent")
        << QStringLiteral("first") << QStringLiteral("no answer from %1 within 150 ms") << 0;
    QTest::newRow("first event, only comments")
        << QStringLiteral("comments") << QStringLiteral("no answer from %1 within 150 ms") << 0;
    QTest::newRow("idle") << QStringLiteral("idle") << QStringLiteral("%1 silent for 150 ms") << 1;
}

void TestUpstream::deadlines()
{
    QFETCH(QString, which);
    QFETCH(QString, diagnostic);
    QFETCH(int, events);

    UpstreamRequest r = request();
    FakeUpstream::Reply reply;
    reply.finish = false;
    if (which == QLatin1String("connect")) {
        const quint16 port = m_upstream->stalledPort();
        QVERIFY(port != 0);
        r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(port));
        r.connectTimeoutMs = 150;
    } else if (which == QLatin1String("first")) {
        reply.answer = false;
        r.firstEventTimeoutMs = 150;
    } else if (which == QLatin1String("comments")) {
        for (int i = 0; i < 10; ++i)
            reply.chunks.append({": processing\n\n", 30, false});
        r.firstEventTimeoutMs = 150;
    } else {
        reply.chunks.append({sseData("first"), 0, false});
        r.idleTimeoutMs = 150;
    }
    m_upstream->setDefaultReply(reply);

    Record record;
    QElapsedTimer clock;
    clock.start();
    auto exchange = start(r, &record);
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 5000);
    QVERIFY2(clock.elapsed() >= 150, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(record.data.size(), events);
    QCOMPARE(record.failure, BackendError::Kind::Timeout);
    QCOMPARE(record.diagnostic, diagnostic.arg(r.url.toString()));
    if (which != QLatin1String("connect"))
        QTRY_COMPARE(m_upstream->clientClosedCount(), 1); // the deadline closed the connection
}

void TestUpstream::keepAlivesCountOnceStreaming()
{
    // 6 comments 40 ms apart after the first event: 280 ms without an event, never 150 ms
    // without a byte.
    FakeUpstream::Reply reply = FakeUpstream::stream({sseData("a")});
    for (int i = 0; i < 6; ++i)
        reply.chunks.append({": keep-alive\n\n", 40, false});
    reply.chunks.append({sseData("b"), 40, false});
    m_upstream->setDefaultReply(reply);
    UpstreamRequest r = request();
    r.idleTimeoutMs = 150;
    Record record;
    auto exchange = start(r, &record);
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 5000);
    QCOMPARE(record.log,
             (QStringList {QStringLiteral("event:|a"), QStringLiteral("event:|b"),
                           QStringLiteral("end:")}));
}

void TestUpstream::connectionRefusedWithoutTheSecret()
{
    const quint16 port = FakeUpstream::refusedPort();
    QVERIFY(port != 0);
    UpstreamRequest r = request();
    // A secret in the URL itself (some providers take the key as a path segment).
    r.url = QUrl(
        QStringLiteral("http://user:pw@127.0.0.1:%1/v1/%2/chat?key=%2").arg(port).arg(Secret));
    Record record;
    auto exchange = start(r, &record);
    QTRY_COMPARE(record.ends, 1);
    QCOMPARE(record.failure, BackendError::Kind::Unreachable);
    QCOMPARE(record.diagnostic,
             QStringLiteral("http://127.0.0.1:%1/v1/***/chat: connection refused").arg(port));
    QCOMPARE(exchange->httpStatus(), 0);
}

void TestUpstream::requestHeaders()
{
    m_upstream->setDefaultReply(FakeUpstream::stream({sseData("[DONE]")}));
    UpstreamRequest r = request();
    r.headers.append(qMakePair(QByteArray("X-Title"), QByteArray("first")));
    r.headers.append(qMakePair(QByteArray(" X-Title "),
                               QByteArray("second"))); // a later one replaces an earlier one
    r.headers.append(qMakePair(QByteArray("X-Bad\r\nInjected"), QByteArray("1")));
    r.headers.append(qMakePair(QByteArray("X-Value"), QByteArray("a\r\nInjected: 1")));
    Record record;
    auto exchange = start(r, &record);
    QTRY_COMPARE(record.ends, 1);
    const FakeUpstream::Request sent = m_upstream->requests().at(0);
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(sent.body, QByteArray(R"({"stream":true})"));
    QCOMPARE(sent.headers.value("authorization"), "Bearer " + Secret.toUtf8());
    QCOMPARE(sent.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(sent.headers.value("accept"), QByteArray("text/event-stream, application/json"));
    QCOMPARE(sent.headers.value("accept-encoding"), QByteArray("identity"));
    QCOMPARE(sent.headers.value("x-title"), QByteArray("second"));
    QVERIFY(!sent.headers.contains("injected"));
    QVERIFY(!sent.headers.contains("x-value"));
}

void TestUpstream::abortClosesTheConnection()
{
    FakeUpstream::Reply reply = FakeUpstream::stream({sseData("one")});
    reply.chunks.append({sseData("two"), 0, true});
    m_upstream->setDefaultReply(reply);
    Record record;
    auto exchange = start(request(), &record);
    QTRY_COMPARE(record.data.size(), 1);
    QCOMPARE(m_upstream->openConnections(), 1);
    exchange->abort();
    QVERIFY(!exchange->isActive());
    QTRY_COMPARE(m_upstream->clientClosedCount(), 1);
    QCOMPARE(m_upstream->openConnections(), 0);
    m_upstream->releaseHeld(); // the upstream would go on: nothing reaches the exchange any more
    QCoreApplication::processEvents();
    QCOMPARE(record.log, QStringList {QStringLiteral("event:|one")});
    exchange->abort(); // twice is harmless
}

void TestUpstream::abortFromASlotStopsTheRead()
{
    // Three events in one write (one read): the slot aborts on the first; the others, and the
    // end of the body, are never reported - and deleting the exchange there is safe too.
    m_upstream->setDefaultReply(
        FakeUpstream::stream({sseData("one") + sseData("two") + sseData("three")}));
    for (const bool destroy : {false, true}) {
        Record record;
        auto exchange = start(request(), &record);
        UpstreamExchange *raw = exchange.get();
        connect(raw, &UpstreamExchange::sseEvent, raw, [&exchange, raw, destroy] {
            if (destroy)
                exchange.reset();
            else
                raw->abort();
        });
        QTRY_COMPARE(record.data.size(), 1);
        QTRY_COMPARE(m_upstream->openConnections(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(record.log, QStringList {QStringLiteral("event:|one")});
        QCOMPARE(exchange == nullptr, destroy);
    }
}

void TestUpstream::pauseHoldsTheUpstreamBack()
{
    // After the first event the upstream writes 12 MiB more, 16 KiB events each in its own HTTP
    // chunk, far more than the exchange's read buffer and the kernel's socket buffers hold
    // (about 4 MiB here).
    constexpr int Events = 768;
    FakeUpstream::Reply reply = FakeUpstream::stream({numberedEvents(0, 1, 10)});
    reply.chunks.append({numberedEvents(1, 1, 16 * 1024), 0, true});
    for (int i = 2; i <= Events; ++i)
        reply.chunks.append({numberedEvents(i, 1, 16 * 1024), 0, false});
    m_upstream->setDefaultReply(reply);
    UpstreamRequest r = request();
    r.idleTimeoutMs = 100;
    Record record;
    auto exchange = start(r, &record);
    QTRY_COMPARE(record.data.size(), 1);

    exchange->setPaused(true);
    QVERIFY(exchange->isPaused());
    QCOMPARE(m_upstream->heldCount(), 1);
    m_upstream->releaseHeld();
    QVERIFY(m_upstream->unsentBytes() > 0);
    // Four idle deadlines long: nothing is reported, no deadline fires, and the upstream still
    // holds bytes it could not send: its socket is no longer read.
    QTest::qWait(4 * r.idleTimeoutMs);
    QCOMPARE(record.log.size(), 1);
    QVERIFY2(m_upstream->unsentBytes() > 4 * 1024 * 1024,
             qPrintable(QString::number(m_upstream->unsentBytes())));
    QVERIFY(exchange->isActive());

    exchange->setPaused(false);
    QCOMPARE(record.data.size(), 1); // resumes from the event loop, never inside setPaused()
    QTRY_COMPARE_WITH_TIMEOUT(record.ends, 1, 8000);
    QCOMPARE(record.log.last(), QStringLiteral("end:"));
    QCOMPARE(record.data.size(), Events + 1);
    for (int i = 0; i <= Events; ++i) {
        const QByteArray &d = record.data.at(i);
        QCOMPARE(d.left(d.indexOf(' ')).toInt(), i);
    }
}

void TestUpstream::pauseInsideASlotHoldsTheRestOfTheRead()
{
    // Five events in one write and the end of the body right after: pausing in the slot of the
    // first keeps the other four, and the end, until resumed.
    m_upstream->setDefaultReply(FakeUpstream::stream({numberedEvents(0, 5, 3)}));
    UpstreamRequest r = request();
    r.idleTimeoutMs = 100;
    Record record;
    auto exchange = start(r, &record);
    UpstreamExchange *raw = exchange.get();
    connect(raw, &UpstreamExchange::sseEvent, raw, [raw] { raw->setPaused(true); });
    QTRY_COMPARE(record.data.size(), 1);
    QTRY_COMPARE(m_upstream->openConnections(), 0); // the upstream has sent everything
    QTest::qWait(3 * r.idleTimeoutMs);
    QCOMPARE(record.log.size(), 1);

    for (int i = 1; i < 5; ++i) {
        exchange->setPaused(false); // the slot pauses again at every event
        QTRY_COMPARE(record.data.size(), i + 1);
        QCOMPARE(record.data.at(i).left(1).toInt(), i);
        QCOMPARE(record.ends, 0);
    }
    exchange->setPaused(false);
    QTRY_COMPARE(record.ends, 1);
    QCOMPARE(record.log.last(), QStringLiteral("end:"));
}

void TestUpstream::deadlinesWaitWhilePaused()
{
    // Paused before the first event: the first-event deadline waits. Resumed, it runs again in
    // full; then the idle deadline, paused, waits too, and once resumed fires on silence.
    FakeUpstream::Reply reply;
    reply.finish = false;
    reply.chunks.append({sseData("first"), 0, true});
    m_upstream->setDefaultReply(reply);
    UpstreamRequest r = request();
    r.firstEventTimeoutMs = 100;
    r.idleTimeoutMs = 100;
    Record record;
    auto exchange = std::make_unique<UpstreamExchange>(m_network.get());
    record.watch(exchange.get());
    exchange->setPaused(true); // before start: the connect deadline alone runs
    exchange->start(r);
    QTRY_COMPARE(m_upstream->heldCount(), 1); // the upstream answered its headers
    QTest::qWait(3 * r.firstEventTimeoutMs);
    QCOMPARE(record.ends, 0);

    exchange->setPaused(false);
    m_upstream->releaseHeld();
    QTRY_COMPARE(record.data.size(), 1);
    exchange->setPaused(true);
    QTest::qWait(3 * r.idleTimeoutMs);
    QCOMPARE(record.ends, 0);

    QElapsedTimer clock;
    clock.start();
    exchange->setPaused(false);
    QTRY_COMPARE(record.ends, 1);
    QVERIFY(clock.elapsed() >= 100);
    QCOMPARE(record.failure, BackendError::Kind::Timeout);
    QCOMPARE(record.diagnostic, QStringLiteral("%1 silent for 100 ms").arg(r.url.toString()));
}

QTEST_GUILESS_MAIN(TestUpstream)
#include "tst_upstream.moc"
