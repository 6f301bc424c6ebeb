// RequestHeadScanner sees every request head of a connection, whatever the split of the bytes.

#include "http/RequestHeadScanner.h"

#include <QTest>

using namespace passerelle;

class TestRequestHeadScanner : public QObject
{
    Q_OBJECT

private slots:
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void oversizedHead();
    void malformed_data();
    void malformed();
    void rejectStops();
};

void TestRequestHeadScanner::splitAtEveryByte_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("targets");
    QTest::addColumn<QList<qint64>>("lengths");
    QTest::newRow("one GET") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                             << QByteArrayList {"/health"} << QList<qint64> {-1};
    QTest::newRow("POST with body then GET (pipelined)")
        << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET "
                      "/a?b=1 HTTP/1.1\r\n\r\n")
        << QByteArrayList {"/v1/chat/completions", "/a?b=1"} << QList<qint64> {5, -1};
    QTest::newRow("bare LF line ends") << QByteArray("GET /x HTTP/1.1\nHost: y\n\n")
                                       << QByteArrayList {"/x"} << QList<qint64> {-1};
    QTest::newRow("body containing a blank line")
        << QByteArray(
               "POST /p HTTP/1.1\r\nContent-Length: 8\r\n\r\n\r\n\r\nabcdGET /q HTTP/1.1\r\n\r\n")
        << QByteArrayList {"/p", "/q"} << QList<qint64> {8, -1};
    // The head ends at its first empty line, also when a CRLF one follows (fuzz_requesthead's
    // whole-versus-split check fails on these without it): taking the later one read the next
    // request's headers (its Content-Length) as this one's, so the screen and QtHttpServer
    // disagreed on where requests start.
    QTest::newRow("LF head, then a CRLF head (pipelined)")
        << QByteArray(
               "GET /a HTTP/1.1\nHost: y\n\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        << QByteArrayList {"/a", "/b"} << QList<qint64> {-1, 3};
    QTest::newRow("CRLF lines ended by a bare LF")
        << QByteArray("GET /c HTTP/1.1\r\nHost: y\r\n\nGET /d HTTP/1.1\r\n\r\n")
        << QByteArrayList {"/c", "/d"} << QList<qint64> {-1, -1};
}

void TestRequestHeadScanner::splitAtEveryByte()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, targets);
    QFETCH(QList<qint64>, lengths);
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        QByteArrayList seen;
        QList<qint64> seenLengths;
        RequestHeadScanner scanner([&](const RequestHead &head) {
            seen.append(head.target);
            seenLengths.append(head.contentLength);
            return RequestHeadScanner::Verdict::Continue;
        });
        scanner.feed(stream.left(split));
        scanner.feed(stream.mid(split));
        QCOMPARE(seen, targets);
        QCOMPARE(seenLengths, lengths);
        QCOMPARE(scanner.state(), RequestHeadScanner::State::Head);
    }
    // One byte at a time.
    QByteArrayList seen;
    RequestHeadScanner scanner([&](const RequestHead &head) {
        seen.append(head.target);
        return RequestHeadScanner::Verdict::Continue;
    });
    for (const char c : stream)
        scanner.feed(QByteArray(1, c));
    QCOMPARE(seen, targets);
}

void TestRequestHeadScanner::oversizedHead()
{
    RequestHeadScanner scanner({});
    const QByteArray head
        = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(RequestHeadScanner::kMaxHeadBytes, 'a');
    QCOMPARE(scanner.feed(head), RequestHeadScanner::State::HeadTooLarge);
}

void TestRequestHeadScanner::malformed_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n");
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nnocolon\r\n\r\n");
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n");
    QTest::newRow("conflicting lengths")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n");
}

void TestRequestHeadScanner::malformed()
{
    QFETCH(QByteArray, stream);
    RequestHeadScanner scanner({});
    QCOMPARE(scanner.feed(stream), RequestHeadScanner::State::Malformed);
}

void TestRequestHeadScanner::rejectStops()
{
    int calls = 0;
    RequestHeadScanner scanner([&](const RequestHead &head) {
        ++calls;
        return head.contentLength > 10 ? RequestHeadScanner::Verdict::Reject
                                       : RequestHeadScanner::Verdict::Continue;
    });
    const auto state
        = scanner.feed("POST / HTTP/1.1\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"
                       "GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(state, RequestHeadScanner::State::Stopped);
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(TestRequestHeadScanner)
#include "tst_requestheadscanner.moc"
