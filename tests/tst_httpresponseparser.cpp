// HttpResponseParser on its own: every framing (Content-Length, chunked with extensions and
// trailers, until close, none), split at every byte, interim 1xx answers skipped, keep-alive
// rules of HTTP/1.1 and 1.0, bytes past the answer left alone, and broken answers refused.

#include "providers/HttpResponseParser.h"

#include <QTest>

using namespace passerelle;

namespace {

struct Parsed
{
    HttpResponseParser parser;
    QByteArray body;
    qsizetype used = 0;
};

// Feeds `wire` in pieces of `piece` bytes (the last may be shorter); stops at the end of the
// answer.
void feedInPieces(Parsed *p, const QByteArray &wire, qsizetype piece)
{
    for (qsizetype at = 0; at < wire.size(); at += piece) {
        const QByteArrayView part = QByteArrayView(wire).sliced(at, qMin(piece, wire.size() - at));
        const qsizetype used = p->parser.feed(part, &p->body);
        p->used += used;
        if (used < part.size())
            return;
    }
}

} // namespace

class TestHttpResponseParser final : public QObject
{
    Q_OBJECT

private slots:
    void framings_data();
    void framings();
    void untilClose();
    void truncated();
    void bytesPastTheAnswer();
    void broken_data();
    void broken();
    void headLimitWhereverTheReadsAreCut_data();
    void headLimitWhereverTheReadsAreCut();
};

void TestHttpResponseParser::framings_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      "7\r\n\r\n{\"a\":1}")
        << 200 << QByteArray("{\"a\":1}") << true;
    QTest::newRow("chunked, extension and trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n"
                      "1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n")
        << 200 << QByteArray("hello 0123456789") << true;
    QTest::newRow("connection close")
        << QByteArray("HTTP/1.1 429 Too Many\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno")
        << 429 << QByteArray("no") << false;
    QTest::newRow("HTTP/1.0 without keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") << 200 << QByteArray("ok")
        << false;
    QTest::newRow("HTTP/1.0 with keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok")
        << 200 << QByteArray("ok") << true;
    QTest::newRow("interim 100 and 103 skipped")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                      "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nz")
        << 201 << QByteArray("z") << true;
    QTest::newRow("204 has no body")
        << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << 204 << QByteArray() << true;
    QTest::newRow("empty length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                                  << 200 << QByteArray() << true;
}

void TestHttpResponseParser::framings()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    for (qsizetype piece : {qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(7), wire.size()}) {
        Parsed p;
        feedInPieces(&p, wire, piece);
        QVERIFY2(p.parser.state() == HttpResponseParser::State::Complete,
                 qPrintable(p.parser.errorString()));
        QCOMPARE(p.used, wire.size());
        QCOMPARE(p.parser.status(), status);
        QCOMPARE(p.body, body);
        QCOMPARE(p.parser.keepAlive(), keepAlive);
    }
}

void TestHttpResponseParser::untilClose()
{
    Parsed p;
    feedInPieces(&p, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n", 4);
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Body);
    QCOMPARE(p.parser.header("content-type"), QByteArray("text/event-stream"));
    p.parser.endOfInput();
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Complete);
    QCOMPARE(p.body, QByteArray("data: 1\n\n"));
    QVERIFY(!p.parser.keepAlive()); // the close was the framing
}

void TestHttpResponseParser::truncated()
{
    Parsed p;
    feedInPieces(&p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", 5);
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Body);
    p.parser.endOfInput();
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Error);
    QVERIFY(p.parser.headComplete());
    QCOMPARE(p.body, QByteArray("hel"));
    QCOMPARE(p.parser.errorString(), QStringLiteral("connection closed by the upstream"));

    Parsed none;
    none.parser.endOfInput();
    QCOMPARE(none.parser.state(), HttpResponseParser::State::Error);
    QVERIFY(!none.parser.headComplete());
}

void TestHttpResponseParser::bytesPastTheAnswer()
{
    const QByteArray wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200";
    Parsed p;
    p.used = p.parser.feed(wire, &p.body);
    QCOMPARE(p.used, wire.size() - 12);
    QCOMPARE(p.body, QByteArray("ok"));
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Complete);
}

void TestHttpResponseParser::broken_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n");
    QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n");
    QTest::newRow("bad header") << QByteArray("HTTP/1.1 200 OK\r\nno colon\r\n\r\n");
    QTest::newRow("bad length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n");
    QTest::newRow("bad chunk size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("bad chunk end")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n");
    QTest::newRow("head too large")
        << QByteArray("HTTP/1.1 200 OK\r\nX: " + QByteArray(HttpResponseParser::MaxHeadBytes, 'a'));
}

void TestHttpResponseParser::broken()
{
    QFETCH(QByteArray, wire);
    Parsed p;
    feedInPieces(&p, wire, 16);
    QCOMPARE(p.parser.state(), HttpResponseParser::State::Error);
    QVERIFY(!p.parser.errorString().isEmpty());
    QVERIFY(!p.parser.keepAlive());
}

void TestHttpResponseParser::headLimitWhereverTheReadsAreCut_data()
{
    // A head of MaxHeadBytes (its bytes before "\r\n\r\n") is read and one byte more refused,
    // whether it comes in one read or in many: the bound held only while the head was incomplete
    // (caught by fuzz_httpresponse's whole-versus-pieces check).
    QTest::addColumn<qsizetype>("extra");
    QTest::newRow("at the limit") << qsizetype(0);
    QTest::newRow("one byte over") << qsizetype(1);
}

void TestHttpResponseParser::headLimitWhereverTheReadsAreCut()
{
    QFETCH(qsizetype, extra);
    const QByteArray start = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX: ";
    const QByteArray head
        = start + QByteArray(HttpResponseParser::MaxHeadBytes + extra - start.size(), 'a');
    const QByteArray wire = head + "\r\n\r\nok";
    for (qsizetype piece :
         {qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(4096), wire.size()}) {
        Parsed p;
        feedInPieces(&p, wire, piece);
        if (extra == 0) {
            QVERIFY2(p.parser.state() == HttpResponseParser::State::Complete,
                     qPrintable(p.parser.errorString()));
            QCOMPARE(p.body, QByteArray("ok"));
        } else {
            QCOMPARE(p.parser.state(), HttpResponseParser::State::Error);
            QCOMPARE(p.parser.errorString(),
                     QStringLiteral("response head larger than 65536 bytes"));
        }
    }
}

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
