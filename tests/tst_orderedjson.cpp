// OrderedJsonObject: keys in insertion order, compact, and every value written byte for byte as
// QJsonDocument writes it.

#include "json/OrderedJsonObject.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace passerelle;

class TestOrderedJson : public QObject
{
    Q_OBJECT

private slots:
    void keepsInsertionOrder();
    void nestedObjectsAndArrays();
    void emptyObject();
    void stringsEscapeAsQt_data();
    void stringsEscapeAsQt();
    void mixedStringsEscapeAsQt();
    void valuesAsQt_data();
    void valuesAsQt();
    void parsesBackToTheSameObject();
};

void TestOrderedJson::keepsInsertionOrder()
{
    const QByteArray json = OrderedJsonObject()
                                .insert(QLatin1String("z"), QStringLiteral("last letter"))
                                .insert(QLatin1String("a"), 1)
                                .insertNull(QLatin1String("m"))
                                .insert(QLatin1String("big"), qint64(9007199254740993))
                                .insert(QLatin1String("neg"), -3)
                                .toJson();
    QCOMPARE(json,
             QByteArray(R"({"z":"last letter","a":1,"m":null,"big":9007199254740993,"neg":-3})"));
}

void TestOrderedJson::nestedObjectsAndArrays()
{
    OrderedJsonObject inner;
    inner.insert(QLatin1String("y"), 2).insert(QLatin1String("x"), 1);
    const QList<OrderedJsonObject> list {OrderedJsonObject().insert(QLatin1String("b"), 0),
                                         OrderedJsonObject(), inner};
    const QByteArray json
        = OrderedJsonObject()
              .insert(QLatin1String("inner"), inner)
              .insert(QLatin1String("list"), list)
              .insert(QLatin1String("none"), QList<OrderedJsonObject> {})
              .insertRaw(QLatin1String("raw"), QByteArrayLiteral("[1,2]"))
              .insertValue(QStringLiteral("qt"),
                           QJsonObject {{QStringLiteral("k"), 1}, {QStringLiteral("b"), true}})
              .toJson();
    QCOMPARE(
        json,
        QByteArray(
            R"({"inner":{"y":2,"x":1},"list":[{"b":0},{},{"y":2,"x":1}],"none":[],"raw":[1,2],"qt":{"b":true,"k":1}})"));
}

void TestOrderedJson::emptyObject()
{
    OrderedJsonObject o;
    QVERIFY(o.isEmpty());
    QCOMPARE(o.toJson(), QByteArray("{}"));
    o.insert(QLatin1String("a"), QString());
    QVERIFY(!o.isEmpty());
    QCOMPARE(o.toJson(), QByteArray(R"({"a":""})"));
}

void TestOrderedJson::stringsEscapeAsQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("hello ");
    QTest::newRow("quotes and backslashes") << QStringLiteral("a \"b\" \\ c / d");
    QTest::newRow("control characters") << QString::fromUtf8("\n\r\t\b\f\x01\x1f\x7f");
    QTest::newRow("non-ASCII") << QString::fromUtf8("héllo — 日本語 😀 \u2028 \u2029");
    QTest::newRow("empty") << QString();
    // Plain runs are copied whole between escapes: escapes first, last and side by side.
    QTest::newRow("escapes at the ends") << QString::fromUtf8("\"mid\\");
    QTest::newRow("escapes side by side") << QString::fromUtf8("a\n\n\"\\\x02"
                                                               "b\x1f");
    QTest::newRow("only escapes") << QString::fromUtf8("\t");
}

void TestOrderedJson::stringsEscapeAsQt()
{
    QFETCH(QString, text);
    const QByteArray qt
        = QJsonDocument(QJsonObject {{QStringLiteral("k"), text}}).toJson(QJsonDocument::Compact);
    QCOMPARE(OrderedJsonObject().insert(QLatin1String("k"), text).toJson(), qt);
    QCOMPARE(OrderedJsonObject::string(text), qt.mid(5, qt.size() - 6));
    // The same with the text as a key.
    QCOMPARE(OrderedJsonObject().insertValue(text, 1).toJson(),
             QJsonDocument(QJsonObject {{text, 1}}).toJson(QJsonDocument::Compact));
}

void TestOrderedJson::mixedStringsEscapeAsQt()
{
    // Strings drawn (fixed seed) from characters that each take another path of the writer:
    // plain ASCII runs, the two-character escapes, \u00XX controls, DEL, multi-byte UTF-8,
    // surrogate pairs, U+2028.
    const QString pool = QString::fromUtf8("aZ09 /\"\\\b\f\n\r\t\x01\x1f\x7f\xc3\xa9\xe2\x80\xa8");
    const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");
    QRandomGenerator random(20261202);
    for (int n = 0; n < 2000; ++n) {
        QString text;
        const int length = int(random.bounded(40));
        for (int i = 0; i < length; ++i) {
            const int pick = int(random.bounded(pool.size() + 1));
            text += pick == pool.size() ? emoji : QString(pool.at(pick));
        }
        const QByteArray qt = QJsonDocument(QJsonObject {{QStringLiteral("k"), text}})
                                  .toJson(QJsonDocument::Compact);
        QCOMPARE(OrderedJsonObject().insert(QLatin1String("k"), text).toJson(), qt);
    }
}

void TestOrderedJson::valuesAsQt_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("true") << QJsonValue(true);
    QTest::newRow("false") << QJsonValue(false);
    QTest::newRow("integer") << QJsonValue(42);
    QTest::newRow("large integer") << QJsonValue(qint64(1) << 53);
    QTest::newRow("double") << QJsonValue(0.1);
    QTest::newRow("negative double") << QJsonValue(-2.5e-8);
    QTest::newRow("string") << QJsonValue(QStringLiteral("x\"y"));
    QTest::newRow("array") << QJsonValue(QJsonArray {1, QStringLiteral("two"), QJsonValue::Null});
    QTest::newRow("object") << QJsonValue(
        QJsonObject {{QStringLiteral("b"), 1}, {QStringLiteral("a"), QJsonArray {}}});
}

void TestOrderedJson::valuesAsQt()
{
    QFETCH(QJsonValue, value);
    QCOMPARE(
        OrderedJsonObject().insertValue(QStringLiteral("v"), value).toJson(),
        QJsonDocument(QJsonObject {{QStringLiteral("v"), value}}).toJson(QJsonDocument::Compact));
}

void TestOrderedJson::parsesBackToTheSameObject()
{
    const QString text = QString::fromUtf8("line 1\nline \"2\" \\ é 😀");
    const QByteArray json
        = OrderedJsonObject()
              .insert(QLatin1String("text"), text)
              .insert(QLatin1String("n"), 7)
              .insert(QLatin1String("o"), OrderedJsonObject().insertNull(QLatin1String("x")))
              .toJson();
    QJsonParseError error;
    const QJsonObject back = QJsonDocument::fromJson(json, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(back,
             (QJsonObject {
                 {QStringLiteral("text"), text},
                 {QStringLiteral("n"), 7},
                 {QStringLiteral("o"), QJsonObject {{QStringLiteral("x"), QJsonValue::Null}}}}));
}

QTEST_GUILESS_MAIN(TestOrderedJson)
#include "tst_orderedjson.moc"
