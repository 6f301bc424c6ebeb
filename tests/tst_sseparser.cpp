// SseParser: every payload parsed whole, split in two at every byte position, and fed one byte at
// a time must give the same events; each payload runs with LF, CRLF and CR line ends.

#include "providers/SseParser.h"

#include <QTest>

using passerelle::SseParser;

namespace {

using Item = SseParser::Item;

Item sseEvent(const QByteArray &data, const QString &type = QString(),
              const QString &id = QString())
{
    Item item;
    item.kind = Item::Kind::Event;
    item.data = data;
    item.event = type;
    item.id = id;
    return item;
}

Item sseComment(const QByteArray &text, const QString &id = QString())
{
    Item item;
    item.kind = Item::Kind::Comment;
    item.comment = text;
    item.id = id;
    return item;
}

// A readable rendering so a failure shows what differs.
QStringList render(const QList<Item> &items)
{
    QStringList out;
    for (const Item &item : items) {
        if (item.kind == Item::Kind::Comment) {
            out << QStringLiteral("comment[%1] id=%2")
                       .arg(QString::fromUtf8(item.comment.toPercentEncoding(" :{}\",[]")),
                            item.id);
        } else {
            out << QStringLiteral("event[%1] type=%2 id=%3")
                       .arg(QString::fromUtf8(item.data.toPercentEncoding(" :{}\",[]")), item.event,
                            item.id);
        }
    }
    return out;
}

QList<Item> parseWhole(const QByteArray &bytes)
{
    SseParser parser;
    return parser.feed(bytes);
}

} // namespace

class TestSseParser final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void oversizedEventIsAnError();
    void longLineIsAnErrorHoweverItArrives_data();
    void longLineIsAnErrorHoweverItArrives();
    void manySmallEventsStayWithinTheBound();
    void partialEventIsReported();
    void crlfSplitBetweenFeedsIsOneLineEnd();
};

void TestSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QList<Item>>("expected");

    struct Row
    {
        const char *name;
        QByteArray payload; // written with '\n'; CRLF and CR variants are derived
        QList<Item> expected;
    };
    const QList<Row> rows = {
        {"one event", "data: hello\n\n", {sseEvent("hello")}},
        {"two events", "data: a\n\ndata: b\n\n", {sseEvent("a"), sseEvent("b")}},
        {"multi-line data", "data: a\ndata: b\ndata: c\n\n", {sseEvent("a\nb\nc")}},
        {"no space after colon", "data:x\n\n", {sseEvent("x")}},
        {"only one space stripped", "data:  x\n\n", {sseEvent(" x")}},
        {"colon inside the value", "data: a:b: c\n\n", {sseEvent("a:b: c")}},
        {"field without colon", "data\n\n", {sseEvent("")}},
        {"two empty data lines", "data\ndata\n\n", {sseEvent("\n")}},
        {"event and id fields",
         "event: delta\nid: 7\ndata: {}\n\n",
         {sseEvent("{}", QStringLiteral("delta"), QStringLiteral("7"))}},
        {"id persists",
         "id: 1\ndata: a\n\ndata: b\n\n",
         {sseEvent("a", {}, QStringLiteral("1")), sseEvent("b", {}, QStringLiteral("1"))}},
        {"event type resets",
         "event: x\ndata: a\n\ndata: b\n\n",
         {sseEvent("a", QStringLiteral("x")), sseEvent("b")}},
        {"comment", ": keep-alive\n\ndata: x\n\n", {sseComment("keep-alive"), sseEvent("x")}},
        {"bare colon comment", ":\ndata: x\n\n", {sseComment(""), sseEvent("x")}},
        {"comment inside an event",
         "data: a\n: ping\ndata: b\n\n",
         {sseComment("ping"), sseEvent("a\nb")}},
        {"event without data is not dispatched", "event: ping\n\ndata: x\n\n", {sseEvent("x")}},
        {"unknown fields and retry ignored", "foo: bar\nretry: 10\ndata: x\n\n", {sseEvent("x")}},
        {"leading blank lines", "\n\n\ndata: x\n\n", {sseEvent("x")}},
        {"unterminated final event ignored", "data: a\n\ndata: b\n", {sseEvent("a")}},
        {"unterminated final line ignored", "data: a\n\ndata: b", {sseEvent("a")}},
        {"utf-8 data",
         "data: h\xC3\xA9llo \xE2\x82\xAC\n\n",
         {sseEvent("h\xC3\xA9llo \xE2\x82\xAC")}},
        {"byte order mark",
         "\xEF\xBB\xBF"
         "data: x\n\n",
         {sseEvent("x")}},
        {"openai stream",
         "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
         ": OPENROUTER PROCESSING\n\n"
         "data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\n"
         "data: [DONE]\n\n",
         {sseEvent("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"),
          sseComment("OPENROUTER PROCESSING"),
          sseEvent("{\"choices\":[{\"delta\":{\"content\":\" there\"}}]}"), sseEvent("[DONE]")}},
    };

    for (const Row &row : rows) {
        QByteArray crlf = row.payload;
        crlf.replace("\n", "\r\n");
        QByteArray cr = row.payload;
        cr.replace('\n', '\r');
        QTest::addRow("%s (LF)", row.name) << row.payload << row.expected;
        QTest::addRow("%s (CRLF)", row.name) << crlf << row.expected;
        QTest::addRow("%s (CR)", row.name) << cr << row.expected;
    }
    QTest::newRow("mixed line ends") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r")
                                     << QList<Item> {sseEvent("a\nb\nc"), sseEvent("d")};
    QTest::newRow("CR then LF is one line end, LF then CR two")
        << QByteArray("data: a\r\n\r\ndata: b\n\r") << QList<Item> {sseEvent("a"), sseEvent("b")};
}

void TestSseParser::parse()
{
    QFETCH(QByteArray, payload);
    QFETCH(QList<Item>, expected);
    const QStringList want = render(expected);

    QCOMPARE(render(parseWhole(payload)), want);

    for (qsizetype split = 0; split <= payload.size(); ++split) {
        SseParser parser;
        QList<Item> items = parser.feed(QByteArrayView(payload).first(split));
        items += parser.feed(QByteArrayView(payload).sliced(split));
        if (render(items) != want) {
            QCOMPARE(render(items), want); // reports the split position below
            QFAIL(qPrintable(QStringLiteral("split at %1").arg(split)));
        }
        QVERIFY(!parser.hasError());
    }

    SseParser bytewise;
    QList<Item> items;
    for (qsizetype i = 0; i < payload.size(); ++i)
        items += bytewise.feed(QByteArrayView(payload).sliced(i, 1));
    QCOMPARE(render(items), want);
}

void TestSseParser::oversizedEventIsAnError()
{
    SseParser parser(64);
    QVERIFY(parser.feed("data: small\n\n").size() == 1);
    // One long line, arriving in pieces.
    const QByteArray big = "data: " + QByteArray(80, 'x');
    QVERIFY(parser.feed(big.first(40)).isEmpty());
    QVERIFY(!parser.hasError());
    QVERIFY(parser.feed(big.sliced(40)).isEmpty());
    QVERIFY(parser.hasError());
    QCOMPARE(parser.errorString(), QStringLiteral("SSE event larger than 64 bytes"));
    // Nothing more comes out once failed.
    QVERIFY(parser.feed("\n\ndata: x\n\n").isEmpty());

    // Many short data lines that add up past the bound.
    SseParser lines(64);
    QByteArray many;
    for (int i = 0; i < 20; ++i)
        many += "data: 0123456\n";
    QVERIFY(lines.feed(many).isEmpty());
    QVERIFY(lines.hasError());
}

void TestSseParser::longLineIsAnErrorHoweverItArrives_data()
{
    // A line over the bound is an error whether it comes in one read or in many: only a buffered
    // one was counted, so the answer depended on where the reads were cut (caught by
    // fuzz_sseparser's whole-versus-pieces check).
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("comment") << ": " + QByteArray(80, 'c') + "\n";
    QTest::newRow("unknown field") << QByteArray(80, '\xff') + "\r\n";
    QTest::newRow("event field") << "event: " + QByteArray(80, 'e') + "\n";
    QTest::newRow("data field") << "data: " + QByteArray(80, 'x') + "\n\n";
}

void TestSseParser::longLineIsAnErrorHoweverItArrives()
{
    QFETCH(QByteArray, line);
    SseParser whole(64);
    QVERIFY(whole.feed(line).isEmpty());
    QVERIFY(whole.hasError());
    QCOMPARE(whole.errorString(), QStringLiteral("SSE event larger than 64 bytes"));
    SseParser bytewise(64);
    for (qsizetype i = 0; i < line.size(); ++i)
        QVERIFY(bytewise.feed(QByteArrayView(line).sliced(i, 1)).isEmpty());
    QVERIFY(bytewise.hasError());
    // A line within the bound is read.
    SseParser fits(64);
    QCOMPARE(fits.feed(QByteArray(": " + QByteArray(60, 'c') + "\n")).size(), 1);
    QVERIFY(!fits.hasError());
}

void TestSseParser::manySmallEventsStayWithinTheBound()
{
    SseParser parser(64);
    QByteArray stream;
    for (int i = 0; i < 1000; ++i)
        stream += "data: " + QByteArray::number(i) + "\n\n";
    const QList<Item> items = parser.feed(stream);
    QVERIFY(!parser.hasError());
    QCOMPARE(items.size(), 1000);
    QCOMPARE(items.last().data, QByteArray("999"));
}

void TestSseParser::partialEventIsReported()
{
    SseParser parser;
    QVERIFY(!parser.hasPartialEvent());
    parser.feed("data: a\n");
    QVERIFY(parser.hasPartialEvent());
    QCOMPARE(parser.feed("\n").size(), 1);
    QVERIFY(!parser.hasPartialEvent());
    parser.feed("dat");
    QVERIFY(parser.hasPartialEvent());
    parser.reset();
    QVERIFY(!parser.hasPartialEvent());
    QCOMPARE(render(parser.feed(": c\n")), QStringList {QStringLiteral("comment[c] id=")});
    QVERIFY(!parser.hasPartialEvent());
}

void TestSseParser::crlfSplitBetweenFeedsIsOneLineEnd()
{
    // "\r" ends the line at once (no waiting for the next byte), and a "\n" opening the next feed
    // is not a second, blank, line that would dispatch early.
    SseParser parser;
    QVERIFY(parser.feed("data: a\r").isEmpty());
    QVERIFY(parser.feed("\ndata: b\r").isEmpty());
    const QList<Item> items = parser.feed("\n\r\n");
    QCOMPARE(render(items), render({sseEvent("a\nb")}));
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
