// The JSON5 reader: what it accepts (compared with the same value written as strict JSON) and the
// exact line, column and message of what it rejects.

#include "config/Json5.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using passerelle::Json5;
using passerelle::Json5Error;

namespace {

// The expected value, written as strict JSON (any top-level value).
QJsonValue strictJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expected JSON in the test data: %s", json.constData());
    return doc.array().at(0);
}

QByteArray dump(const QJsonValue &v)
{
    return QJsonDocument(QJsonArray {v}).toJson(QJsonDocument::Compact);
}

QByteArray nested(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

} // namespace

class TestJson5 : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void numbersKeepTheirKind();
    void deepNesting_data();
    void deepNesting();
    void errorToString();
    void serializeLayout();
    void serializeRoundTrip_data();
    void serializeRoundTrip();
};

void TestJson5::valid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected"); // strict JSON

    // plain JSON stays JSON
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{}");
    QTest::newRow("empty array") << QByteArray("[]") << QByteArray("[]");
    QTest::newRow("strict json")
        << QByteArray(R"({"a": [1, 2.5, "x", true, false, null], "b": {}})")
        << QByteArray(R"({"a": [1, 2.5, "x", true, false, null], "b": {}})");
    QTest::newRow("top-level string") << QByteArray("'x'") << QByteArray(R"("x")");
    QTest::newRow("top-level true") << QByteArray("true") << QByteArray("true");
    QTest::newRow("top-level null") << QByteArray(" null ") << QByteArray("null");

    // comments
    QTest::newRow("line comment") << QByteArray("{a: 1 // one\n}") << QByteArray(R"({"a":1})");
    QTest::newRow("line comment at end of input")
        << QByteArray("{a: 1} // end") << QByteArray(R"({"a":1})");
    QTest::newRow("block comment")
        << QByteArray("{/* c */a/* c */:/* c */1/* c */}") << QByteArray(R"({"a":1})");
    QTest::newRow("multi-line block comment")
        << QByteArray("/* line 1\n line 2 */ [1]") << QByteArray("[1]");
    QTest::newRow("comment before the value") << QByteArray("// header\n{}") << QByteArray("{}");
    QTest::newRow("block comment with stars") << QByteArray("[1 /** x **/]") << QByteArray("[1]");
    QTest::newRow("slashes in a string are not a comment")
        << QByteArray(R"({url: "http://x/*y*/"})") << QByteArray(R"({"url":"http://x/*y*/"})");

    // keys
    QTest::newRow("unquoted keys")
        << QByteArray("{port: 1, $a_b1: 2, _: 3}") << QByteArray(R"({"port":1,"$a_b1":2,"_":3})");
    QTest::newRow("reserved words as keys") << QByteArray("{true: 1, null: 2, default: 3}")
                                            << QByteArray(R"({"true":1,"null":2,"default":3})");
    QTest::newRow("unicode letter key")
        << QByteArray("{café: 1, ключ: 2}") << QByteArray(R"({"café":1,"ключ":2})");
    QTest::newRow("escaped identifier key")
        << QByteArray(R"({\u0061b: 1})") << QByteArray(R"({"ab":1})");
    QTest::newRow("single-quoted key") << QByteArray("{'a b': 1}") << QByteArray(R"({"a b":1})");
    QTest::newRow("empty key") << QByteArray(R"({"": 1})") << QByteArray(R"({"":1})");
    QTest::newRow("duplicate key: last wins")
        << QByteArray("{a: 1, b: 0, a: 2}") << QByteArray(R"({"a":2,"b":0})");

    // trailing commas
    QTest::newRow("trailing comma in object") << QByteArray("{a: 1,}") << QByteArray(R"({"a":1})");
    QTest::newRow("trailing comma in array") << QByteArray("[1, 2,]") << QByteArray("[1,2]");
    QTest::newRow("trailing comma then comment")
        << QByteArray("{\n  a: [1,], // x\n}") << QByteArray(R"({"a":[1]})");

    // strings
    QTest::newRow("single quotes with double inside")
        << QByteArray(R"('a"b')") << QByteArray(R"("a\"b")");
    QTest::newRow("escaped single quote") << QByteArray(R"('it\'s')") << QByteArray(R"("it's")");
    QTest::newRow("escaped double quote") << QByteArray(R"("a\"b")") << QByteArray(R"("a\"b")");
    QTest::newRow("json escapes") << QByteArray(R"("\b\f\n\r\t\\\/")")
                                  << QByteArray(R"("\b\f\n\r\t\\/")");
    QTest::newRow("vertical tab and nul")
        << QByteArray(R"("\v\0")") << QByteArray(R"("\u000b\u0000")");
    QTest::newRow("hex escape") << QByteArray(R"("\x41\x7a")") << QByteArray(R"("Az")");
    QTest::newRow("unicode escape") << QByteArray(R"("\u00e9\u00E9")") << QByteArray(R"("éé")");
    QTest::newRow("surrogate pair escape")
        << QByteArray(R"("\ud83d\ude00")") << QByteArray(R"("😀")");
    QTest::newRow("other escaped character stands for itself")
        << QByteArray(R"("\a\q")") << QByteArray(R"("aq")");
    QTest::newRow("line continuation LF")
        << QByteArray("'one \\\ntwo'") << QByteArray(R"("one two")");
    QTest::newRow("line continuation CRLF")
        << QByteArray("'one \\\r\ntwo'") << QByteArray(R"("one two")");
    QTest::newRow("raw tab in string") << QByteArray("'a\tb'") << QByteArray(R"("a\tb")");
    QTest::newRow("raw utf-8 in string") << QByteArray("'héllo 😀'") << QByteArray(R"("héllo 😀")");
    QTest::newRow("line separator in string")
        << QByteArray("'a\u2028b'") << QByteArray(R"("a\u2028b")");

    // numbers
    QTest::newRow("hex integer") << QByteArray("0x1F") << QByteArray("31");
    QTest::newRow("hex upper") << QByteArray("0XfF") << QByteArray("255");
    QTest::newRow("negative hex") << QByteArray("-0x10") << QByteArray("-16");
    QTest::newRow("positive hex") << QByteArray("+0x10") << QByteArray("16");
    QTest::newRow("leading decimal point") << QByteArray(".5") << QByteArray("0.5");
    QTest::newRow("trailing decimal point") << QByteArray("5.") << QByteArray("5");
    QTest::newRow("trailing point with exponent") << QByteArray("5.e2") << QByteArray("500");
    QTest::newRow("leading plus") << QByteArray("+1") << QByteArray("1");
    QTest::newRow("plus and leading point") << QByteArray("+.25") << QByteArray("0.25");
    QTest::newRow("negative exponent") << QByteArray("-1.5e3") << QByteArray("-1500");
    QTest::newRow("small exponent") << QByteArray("1E-2") << QByteArray("0.01");
    QTest::newRow("zero") << QByteArray("0") << QByteArray("0");
    QTest::newRow("zero point five") << QByteArray("0.5") << QByteArray("0.5");
    QTest::newRow("big integer stays exact")
        << QByteArray("9007199254740993") << QByteArray("9007199254740993");
    QTest::newRow("integer beyond 64 bits")
        << QByteArray("18446744073709551616") << QByteArray("1.8446744073709552e19");
    QTest::newRow("numbers in an array")
        << QByteArray("[0x10, .5, +3, -4.]") << QByteArray("[16, 0.5, 3, -4]");

    // white space
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF{}") << QByteArray("{}");
    QTest::newRow("no-break space and form feed") << QByteArray("{\xC2\xA0"
                                                                "a:\f1}")
                                                  << QByteArray(R"({"a":1})");
    QTest::newRow("line separator between members")
        << QByteArray("{a:1,\xE2\x80\xA8 b:2}") << QByteArray(R"({"a":1,"b":2})");
    QTest::newRow("CRLF line ends")
        << QByteArray("{\r\n  a: 1,\r\n  b: 2,\r\n}\r\n") << QByteArray(R"({"a":1,"b":2})");

    // a config file as OpenClaw's docs write it
    QTest::newRow("openclaw snippet")
        << QByteArray("// ~/.openclaw/openclaw.json\n"
                      "{\n"
                      "  gateway: {\n"
                      "    port: 18789,\n"
                      "    auth: { mode: 'token', token: 'abc' },\n"
                      "    http: { endpoints: { chatCompletions: { enabled: true } } },\n"
                      "  },\n"
                      "  agents: { list: [ { id: 'main', default: true }, ] },\n"
                      "}\n")
        << QByteArray(R"({"gateway":{"port":18789,"auth":{"mode":"token","token":"abc"},)"
                      R"("http":{"endpoints":{"chatCompletions":{"enabled":true}}}},)"
                      R"("agents":{"list":[{"id":"main","default":true}]}})");
}

void TestJson5::valid()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    Json5Error error;
    error.line = 99; // must be reset on success
    const QJsonValue value = Json5::parse(input, &error);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QCOMPARE(error.line, 0);
    const QJsonValue want = strictJson(expected);
    QVERIFY2(value == want, QByteArray(dump(value) + " != " + dump(want)).constData());
}

void TestJson5::invalid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    const QString endOfInput = QStringLiteral("unexpected end of input");
    QTest::newRow("empty input") << QByteArray("") << 1 << 1 << endOfInput;
    QTest::newRow("only white space") << QByteArray("   ") << 1 << 4 << endOfInput;
    QTest::newRow("only a comment") << QByteArray("// nothing\n") << 2 << 1 << endOfInput;
    QTest::newRow("unclosed object") << QByteArray("{") << 1 << 2 << endOfInput;
    QTest::newRow("object ends after a value") << QByteArray("{a:1") << 1 << 5 << endOfInput;
    QTest::newRow("object ends after a key") << QByteArray("{a") << 1 << 3 << endOfInput;
    QTest::newRow("object ends after a colon") << QByteArray("{a:") << 1 << 4 << endOfInput;
    QTest::newRow("unclosed array") << QByteArray("[1,2") << 1 << 5 << endOfInput;

    QTest::newRow("missing colon") << QByteArray("{a 1}") << 1 << 4
                                   << QStringLiteral("expected ':' after key \"a\", found '1'");
    QTest::newRow("missing comma in object")
        << QByteArray("{a:1 b:2}") << 1 << 6
        << QStringLiteral("expected ',' or '}' after a member, found 'b'");
    QTest::newRow("missing comma in array")
        << QByteArray("[1 2]") << 1 << 4
        << QStringLiteral("expected ',' or ']' after an element, found '2'");
    QTest::newRow("double comma in array")
        << QByteArray("[1,,2]") << 1 << 4 << QStringLiteral("unexpected character ','");
    QTest::newRow("lone comma in object")
        << QByteArray("{,}") << 1 << 2 << QStringLiteral("expected a key or '}', found ','");
    QTest::newRow("number as key")
        << QByteArray("{1: 2}") << 1 << 2 << QStringLiteral("expected a key or '}', found '1'");
    QTest::newRow("trailing garbage")
        << QByteArray("{a:1}}") << 1 << 6
        << QStringLiteral("unexpected character '}' after the end of the value");
    QTest::newRow("second value") << QByteArray("{}\n[]") << 2 << 1
                                  << QStringLiteral(
                                         "unexpected character '[' after the end of the value");
    QTest::newRow("unexpected character")
        << QByteArray("{a: @}") << 1 << 5 << QStringLiteral("unexpected character '@'");
    QTest::newRow("control character")
        << QByteArray("[\x01]") << 1 << 2 << QStringLiteral("unexpected character U+0001");
    QTest::newRow("lone slash") << QByteArray("[/x]") << 1 << 2
                                << QStringLiteral("unexpected character '/'");
    QTest::newRow("unquoted string value")
        << QByteArray("{mode: token}") << 1 << 8
        << QStringLiteral("unexpected identifier (strings need quotes)");
    QTest::newRow("undefined") << QByteArray("[undefined]") << 1 << 2
                               << QStringLiteral("unexpected identifier (strings need quotes)");
    QTest::newRow("truncated true")
        << QByteArray("[tru]") << 1 << 2
        << QStringLiteral("unexpected identifier (strings need quotes)");

    const QString unterminatedString = QStringLiteral("unterminated string");
    QTest::newRow("unterminated string at end")
        << QByteArray("\"abc") << 1 << 1 << unterminatedString;
    QTest::newRow("newline in string") << QByteArray("{a: 'abc\n}") << 1 << 5 << unterminatedString;
    QTest::newRow("backslash at end") << QByteArray("'abc\\") << 1 << 1 << unterminatedString;
    QTest::newRow("unterminated key")
        << QByteArray("{\n  \"key: 1\n}") << 2 << 3 << unterminatedString;
    QTest::newRow("unterminated comment")
        << QByteArray("/* abc") << 1 << 1 << QStringLiteral("unterminated comment");
    QTest::newRow("unterminated comment inside")
        << QByteArray("{\n  a: 1, /* x\n") << 2 << 9 << QStringLiteral("unterminated comment");

    QTest::newRow("digit escape") << QByteArray(R"("a\1")") << 1 << 3
                                  << QStringLiteral("bad escape sequence \"\\1\"");
    QTest::newRow("octal escape")
        << QByteArray(R"("\01")") << 1 << 2
        << QStringLiteral("bad escape sequence \"\\01\": octal escapes are not allowed");
    QTest::newRow("short hex escape") << QByteArray(R"('\x4g')") << 1 << 2
                                      << QStringLiteral("bad \\x escape: expected 2 hex digits");
    QTest::newRow("short unicode escape")
        << QByteArray(R"('\u12')") << 1 << 2
        << QStringLiteral("bad \\u escape: expected 4 hex digits");
    QTest::newRow("bad escape in key") << QByteArray(R"({\x61: 1})") << 1 << 2
                                       << QStringLiteral("bad escape in key: expected \\u");

    const QString noInfinity
        = QStringLiteral("Infinity is not supported: JSON has no representation for it");
    QTest::newRow("Infinity") << QByteArray("Infinity") << 1 << 1 << noInfinity;
    QTest::newRow("-Infinity")
        << QByteArray("[-Infinity]") << 1 << 2
        << QStringLiteral("-Infinity is not supported: JSON has no representation for it");
    QTest::newRow("+Infinity")
        << QByteArray("[+Infinity]") << 1 << 2
        << QStringLiteral("+Infinity is not supported: JSON has no representation for it");
    QTest::newRow("NaN") << QByteArray("{a: NaN}") << 1 << 5
                         << QStringLiteral(
                                "NaN is not supported: JSON has no representation for it");
    QTest::newRow("leading zeros")
        << QByteArray("[01]") << 1 << 2 << QStringLiteral("leading zeros are not allowed");
    QTest::newRow("negative leading zeros")
        << QByteArray("-007") << 1 << 1 << QStringLiteral("leading zeros are not allowed");
    QTest::newRow("exponent without digits")
        << QByteArray("1e") << 1 << 1 << QStringLiteral("invalid number");
    QTest::newRow("hex without digits")
        << QByteArray("0x") << 1 << 1 << QStringLiteral("invalid number");
    QTest::newRow("lone point") << QByteArray("[.]") << 1 << 2 << QStringLiteral("invalid number");
    QTest::newRow("lone minus") << QByteArray("[-]") << 1 << 2 << QStringLiteral("invalid number");
    QTest::newRow("sign before a word")
        << QByteArray("-abc") << 1 << 1 << QStringLiteral("invalid number");
    QTest::newRow("letters after digits")
        << QByteArray("12abc") << 1 << 3 << QStringLiteral("unexpected character 'a' in a number");
    QTest::newRow("out of range") << QByteArray("{big: 1e400}") << 1 << 7
                                  << QStringLiteral("number out of range");
    QTest::newRow("negative out of range")
        << QByteArray("[-0.001e312]") << 1 << 2 << QStringLiteral("number out of range");
    QTest::newRow("hex out of range") << QByteArray("0x1" + QByteArray(300, '0')) << 1 << 1
                                      << QStringLiteral("number out of range");

    QTest::newRow("invalid utf-8")
        << QByteArray("{\"a\": \"\xFF\"}") << 1 << 8 << QStringLiteral("invalid UTF-8");
    QTest::newRow("overlong utf-8")
        << QByteArray("{\n'\xC0\xAF'}") << 2 << 2 << QStringLiteral("invalid UTF-8");

    // positions: lines and columns as an editor shows them
    QTest::newRow("third line") << QByteArray("{\n  \"a\": 1,\n  \"b\" 2\n}") << 3 << 7
                                << QStringLiteral("expected ':' after key \"b\", found '2'");
    QTest::newRow("CRLF counts as one line end")
        << QByteArray("{\r\n  a: 1\r\n  b: 2\r\n}") << 3 << 3
        << QStringLiteral("expected ',' or '}' after a member, found 'b'");
    QTest::newRow("lone CR ends a line")
        << QByteArray("{\r  a: 1\r  b: 2\r}") << 3 << 3
        << QStringLiteral("expected ',' or '}' after a member, found 'b'");
    QTest::newRow("line separator ends a line")
        << QByteArray("{a: 1,\xE2\x80\xA8 b 2}") << 2 << 4
        << QStringLiteral("expected ':' after key \"b\", found '2'");
    QTest::newRow("columns count characters, not bytes")
        << QByteArray("{\"é😀\": x}") << 1 << 8
        << QStringLiteral("unexpected identifier (strings need quotes)");
    QTest::newRow("tab is one column")
        << QByteArray("{\ta: ?}") << 1 << 6 << QStringLiteral("unexpected character '?'");
    QTest::newRow("after a multi-line comment")
        << QByteArray("/*\n\n*/ {a: 1,, }") << 3 << 10
        << QStringLiteral("expected a key or '}', found ','");

    QTest::newRow("too deep") << nested(600) << 1 << 513
                              << QStringLiteral("nesting deeper than 512 levels");
}

void TestJson5::invalid()
{
    QFETCH(QByteArray, input);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);

    Json5Error error;
    const QJsonValue value = Json5::parse(input, &error);
    QVERIFY(error.isError());
    QCOMPARE(error.message, message);
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QVERIFY(value.isUndefined());
}

void TestJson5::numbersKeepTheirKind()
{
    Json5Error error;
    const QJsonArray a
        = Json5::parse("[1, 2.5, 0x10, 9223372036854775807, 1e-400]", &error).toArray();
    QVERIFY(!error.isError());
    QCOMPARE(a.size(), 5);
    QCOMPARE(a.at(0).toInteger(-1), 1);
    QCOMPARE(a.at(1).toDouble(), 2.5);
    QCOMPARE(a.at(2).toInteger(-1), 16);
    QCOMPARE(a.at(3).toInteger(-1), std::numeric_limits<qint64>::max());
    QCOMPARE(a.at(4).toDouble(), 0.0); // too small to represent: zero, as JSON.parse gives
}

void TestJson5::deepNesting_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("column"); // of the bracket that goes one level too deep

    QTest::newRow("512 arrays") << nested(512) << true << 0;
    QTest::newRow("513 arrays") << nested(513) << false << 513;
    QByteArray objects;
    for (int i = 0; i < 512; ++i)
        objects += "{a:";
    objects += "1" + QByteArray(512, '}');
    QTest::newRow("512 objects") << objects << true << 0;
    QTest::newRow("513 objects") << QByteArray("[" + objects + "]") << false << 1 + 511 * 3 + 1;
    // hostile input: a million brackets must fail cleanly, not blow the stack
    QTest::newRow("a million brackets") << QByteArray(1000000, '[') << false << 513;
}

void TestJson5::deepNesting()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, ok);
    QFETCH(int, column);

    Json5Error error;
    Json5::parse(input, &error);
    QCOMPARE(!error.isError(), ok);
    if (!ok) {
        QCOMPARE(error.message, QStringLiteral("nesting deeper than 512 levels"));
        QCOMPARE(error.line, 1);
        QCOMPARE(error.column, column);
    }
}

void TestJson5::errorToString()
{
    Json5Error error;
    error.line = 3;
    error.column = 7;
    error.message = QStringLiteral("unterminated string");
    QCOMPARE(error.toString(), QStringLiteral("line 3, column 7: unterminated string"));
    QVERIFY(error.isError());
    QVERIFY(!Json5Error().isError());
}

void TestJson5::serializeLayout()
{
    const QJsonObject o {
        {QStringLiteral("a"), 1},
        {QStringLiteral("b"), QJsonArray {1, QStringLiteral("x")}},
        {QStringLiteral("c"), QJsonObject()},
        {QStringLiteral("d"), QJsonArray()},
        {QStringLiteral("e"), QStringLiteral("q\"\\\n\x01é")},
        {QStringLiteral("f"), 0.1},
        {QStringLiteral("g"), QJsonObject {{QStringLiteral("h"), false}}},
        {QStringLiteral("i"), QJsonValue()},
    };
    const QByteArray expected = "{\n"
                                "  \"a\": 1,\n"
                                "  \"b\": [\n"
                                "    1,\n"
                                "    \"x\"\n"
                                "  ],\n"
                                "  \"c\": {},\n"
                                "  \"d\": [],\n"
                                "  \"e\": \"q\\\"\\\\\\n\\u0001\xC3\xA9\",\n"
                                "  \"f\": 0.1,\n"
                                "  \"g\": {\n"
                                "    \"h\": false\n"
                                "  },\n"
                                "  \"i\": null\n"
                                "}\n";
    QCOMPARE(Json5::serialize(o), expected);
}

void TestJson5::serializeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("config-like") << QByteArray("{gateway: {port: 18789, auth: {token: 'a\\'b'}}, "
                                               "list: [1, -2.5, 1e300, 0x7fffffffffffffff]}");
    QTest::newRow("unicode") << QByteArray("{'ключ': '😀\\u2028\\t'}");
    QTest::newRow("empty") << QByteArray("{}");
}

void TestJson5::serializeRoundTrip()
{
    QFETCH(QByteArray, input);
    Json5Error error;
    const QJsonObject o = Json5::parse(input, &error).toObject();
    QVERIFY(!error.isError());
    const QByteArray text = Json5::serialize(o);
    // the output is strict JSON, and reads back to the same value
    QJsonParseError strictError;
    QCOMPARE(QJsonDocument::fromJson(text, &strictError).object(), o);
    QCOMPARE(strictError.error, QJsonParseError::NoError);
    QCOMPARE(Json5::parse(text, &error).toObject(), o);
}

QTEST_GUILESS_MAIN(TestJson5)
#include "tst_json5.moc"
