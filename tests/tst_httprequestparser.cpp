// HttpRequestParser: requests out of a connection's bytes, however they are split, one at a time
// (pipelined ones wait), and the refusals (400, 431) of what RFC 9112 does not allow.

#include "http/HttpRequestParser.h"

#include <QTest>

using namespace passerelle;

namespace {

struct Parsed
{
    QByteArrayList targets;
    QByteArrayList bodies;
    HttpRequestParser::Event last = HttpRequestParser::Event::NeedMore;
};

// Feeds `chunks` in order, taking every event as it comes.
Parsed run(const QByteArrayList &chunks)
{
    Parsed p;
    HttpRequestParser parser;
    for (const QByteArray &chunk : chunks) {
        parser.append(chunk);
        while (true) {
            const HttpRequestParser::Event e = parser.next();
            if (e == HttpRequestParser::Event::NeedMore)
                break;
            p.last = e;
            if (e == HttpRequestParser::Event::Request) {
                p.targets.append(parser.head().target);
                p.bodies.append(parser.takeBody());
            } else if (e != HttpRequestParser::Event::Head) {
                return p;
            }
        }
    }
    return p;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void pipelinedRequestWaitsItsTurn();
    void refused_data();
    void refused();
    void headTooLarge();
    void headLimitWhereverTheReadsAreCut_data();
    void headLimitWhereverTheReadsAreCut();
    void connectionClose_data();
    void connectionClose();
    void upgradeKeepsTheFramesAfterIt();
};

void TestHttpRequestParser::splitAtEveryByte_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("targets");
    QTest::addColumn<QByteArrayList>("bodies");
    QTest::newRow("one GET") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                             << QByteArrayList {"/health"} << QByteArrayList {""};
    QTest::newRow("POST then GET, pipelined")
        << QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /q "
                      "HTTP/1.1\r\nHost: x\r\n\r\n")
        << QByteArrayList {"/p", "/q"} << QByteArrayList {"hello", ""};
    QTest::newRow("body with blank lines")
        << QByteArray("POST /p HTTP/1.1\r\nContent-Length: 8\r\n\r\n\r\n\r\nabcd")
        << QByteArrayList {"/p"} << QByteArrayList {"\r\n\r\nabcd"};
    QTest::newRow("bare LF, blank lines between requests")
        << QByteArray("GET /a HTTP/1.1\nHost: x\n\n\r\n\r\nGET /b HTTP/1.0\n\n")
        << QByteArrayList {"/a", "/b"} << QByteArrayList {"", ""};
}

void TestHttpRequestParser::splitAtEveryByte()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, targets);
    QFETCH(QByteArrayList, bodies);
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        const Parsed p = run({stream.left(split), stream.mid(split)});
        QCOMPARE(p.targets, targets);
        QCOMPARE(p.bodies, bodies);
    }
    QByteArrayList bytes;
    for (const char c : stream)
        bytes.append(QByteArray(1, c));
    const Parsed p = run(bytes);
    QCOMPARE(p.targets, targets);
    QCOMPARE(p.bodies, bodies);
}

void TestHttpRequestParser::pipelinedRequestWaitsItsTurn()
{
    HttpRequestParser parser;
    parser.append("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(parser.next(), HttpRequestParser::Event::Head);
    QCOMPARE(parser.next(), HttpRequestParser::Event::Request);
    QCOMPARE(parser.head().target, QByteArray("/one"));
    // The second request stays unparsed bytes until the caller asks for it.
    QVERIFY(parser.unparsedSize() > 0);
    QCOMPARE(parser.head().target, QByteArray("/one"));
    QCOMPARE(parser.next(), HttpRequestParser::Event::Head);
    QCOMPARE(parser.head().target, QByteArray("/two"));
    QCOMPARE(parser.next(), HttpRequestParser::Event::Request);
    QCOMPARE(parser.next(), HttpRequestParser::Event::NeedMore);
    QVERIFY(!parser.requestStarted());
}

void TestHttpRequestParser::refused_data()
{
    QTest::addColumn<QByteArray>("head");
    const QByteArray end = "\r\n\r\n";
    QTest::newRow("two spaces") << "GET  / HTTP/1.1\r\nHost: x" + end;
    QTest::newRow("no version") << "GET /" + end;
    QTest::newRow("HTTP/2.0") << "GET / HTTP/2.0\r\nHost: x" + end;
    QTest::newRow("method not a token") << "G(T / HTTP/1.1\r\nHost: x" + end;
    QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : x" + end;
    QTest::newRow("folded line") << "GET / HTTP/1.1\r\nX-A: a\r\n b" + end;
    QTest::newRow("no colon") << "GET / HTTP/1.1\r\nHost" + end;
    QTest::newRow("control in value") << "GET / HTTP/1.1\r\nX-A: a\x01z" + end;
    QTest::newRow("NUL in target") << QByteArray("GET /a\0b HTTP/1.1\r\nHost: x", 26) + end;
    QTest::newRow("Content-Length not digits") << "POST / HTTP/1.1\r\nContent-Length: +5" + end;
    QTest::newRow("Content-Length negative") << "POST / HTTP/1.1\r\nContent-Length: -1" + end;
    QTest::newRow("two Content-Lengths")
        << "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6" + end;
    QTest::newRow("Content-Length list") << "POST / HTTP/1.1\r\nContent-Length: 5, 5" + end;
}

void TestHttpRequestParser::refused()
{
    QFETCH(QByteArray, head);
    QCOMPARE(run({head}).last, HttpRequestParser::Event::Malformed);
    // Once refused, nothing more is read.
    HttpRequestParser parser;
    parser.append(head + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(parser.next(), HttpRequestParser::Event::Malformed);
    QCOMPARE(parser.next(), HttpRequestParser::Event::NeedMore);
}

void TestHttpRequestParser::headTooLarge()
{
    const QByteArray big
        = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(HttpRequestParser::kMaxHeadBytes, 'a');
    // Complete or not, a head over the limit is refused without waiting for its end.
    QCOMPARE(run({big}).last, HttpRequestParser::Event::HeadTooLarge);
    QCOMPARE(run({big + "\r\n\r\n"}).last, HttpRequestParser::Event::HeadTooLarge);
    const QByteArray fits = "GET / HTTP/1.1\r\nX-A: " + QByteArray(1000, 'a') + "\r\n\r\n";
    QCOMPARE(run({fits}).targets, QByteArrayList {"/"});
}

void TestHttpRequestParser::headLimitWhereverTheReadsAreCut_data()
{
    // A head of exactly kMaxHeadBytes (its bytes before the blank line's "\n") is read, one byte
    // more is refused, whether it arrives whole or cut anywhere in its end: a read ending in the
    // blank line's first bytes does not make the head too large (caught by
    // fuzz_httprequest's whole-versus-pieces check).
    QTest::addColumn<QByteArray>("separator");
    QTest::addColumn<qsizetype>("extra");
    QTest::newRow("CRLF, at the limit") << QByteArray("\n\r\n") << qsizetype(0);
    QTest::newRow("LF, at the limit") << QByteArray("\n\n") << qsizetype(0);
    QTest::newRow("CRLF, one byte over") << QByteArray("\n\r\n") << qsizetype(1);
    QTest::newRow("LF, one byte over") << QByteArray("\n\n") << qsizetype(1);
}

void TestHttpRequestParser::headLimitWhereverTheReadsAreCut()
{
    QFETCH(QByteArray, separator);
    QFETCH(qsizetype, extra);
    const QByteArray start = "GET /big HTTP/1.1\r\nX-Big: ";
    const QByteArray head = start
        + QByteArray(HttpRequestParser::kMaxHeadBytes + extra - start.size() - 1, 'a')
        + (separator.size() == 3 ? "\r" : "a");
    QCOMPARE(head.size(), HttpRequestParser::kMaxHeadBytes + extra);
    const QByteArray stream = head + separator;
    const HttpRequestParser::Event expected
        = extra == 0 ? HttpRequestParser::Event::Request : HttpRequestParser::Event::HeadTooLarge;
    for (qsizetype split = head.size() - 2; split <= stream.size(); ++split) {
        const Parsed p = run({stream.left(split), stream.mid(split)});
        QCOMPARE(p.last, expected);
        QCOMPARE(p.targets, extra == 0 ? QByteArrayList {"/big"} : QByteArrayList {});
    }
    QByteArrayList tail {head.left(head.size() - 1)};
    for (qsizetype i = head.size() - 1; i < stream.size(); ++i)
        tail.append(stream.mid(i, 1));
    QCOMPARE(run(tail).last, expected);
}

void TestHttpRequestParser::connectionClose_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("close");
    QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << false;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << true;
    QTest::newRow("1.1 close among tokens")
        << QByteArray("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n") << true;
    QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << false;
}

void TestHttpRequestParser::connectionClose()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, close);
    HttpRequestParser parser;
    parser.append(head);
    QCOMPARE(parser.next(), HttpRequestParser::Event::Head);
    QCOMPARE(parser.head().wantsClose(), close);
}

void TestHttpRequestParser::upgradeKeepsTheFramesAfterIt()
{
    HttpRequestParser parser;
    parser.append("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                  "\x81\x80"
                  "frame");
    QCOMPARE(parser.next(), HttpRequestParser::Event::Head);
    QVERIFY(parser.head().upgrade);
    QCOMPARE(parser.takeUnparsed(),
             QByteArray("\x81\x80"
                        "frame"));
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
