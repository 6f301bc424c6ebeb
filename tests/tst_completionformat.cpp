// Wire objects of SPEC.md section 4 and SSE/chunked framing.

#include "http/SseWriter.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

class TestCompletionFormat : public QObject
{
    Q_OBJECT

private slots:
    void chunks_data();
    void chunks();
    void contentChunkMatchesJsonWriter_data();
    void contentChunkMatchesJsonWriter();
    void framing();
    void toolCallAccumulation();
    void completionWithToolCalls();
};

static const CompletionMeta kMeta {QStringLiteral("chatcmpl_x"), 1700000000,
                                   QStringLiteral("openclaw")};

void TestCompletionFormat::chunks_data()
{
    QTest::addColumn<QByteArray>("chunk");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray head = R"({"choices":[{"delta":)";
    const QByteArray tail
        = R"(,"created":1700000000,"id":"chatcmpl_x","model":"openclaw","object":"chat.completion.chunk"})";
    QTest::newRow("role") << CompletionFormat::roleChunk(
        kMeta) << head + R"({"role":"assistant"},"finish_reason":null,"index":0}])" + tail;
    QTest::newRow("content") << CompletionFormat::contentChunk(kMeta, QStringLiteral("hé \"x\""))
                             << head + R"({"content":"hé \"x\""},"finish_reason":null,"index":0}])"
            + tail;
    QTest::newRow("finish") << CompletionFormat::finishChunk(kMeta, QStringLiteral("length"))
                            << head + R"({},"finish_reason":"length","index":0}])" + tail;
    QTest::newRow("usage")
        << CompletionFormat::usageChunk(kMeta, Usage {2, 3, true})
        << QByteArray(
               R"({"choices":[],"created":1700000000,"id":"chatcmpl_x","model":"openclaw","object":"chat.completion.chunk","usage":{"completion_tokens":3,"prompt_tokens":2,"total_tokens":5}})");
}

void TestCompletionFormat::chunks()
{
    QFETCH(QByteArray, chunk);
    QFETCH(QByteArray, expected);
    QCOMPARE(chunk, expected);
}

void TestCompletionFormat::contentChunkMatchesJsonWriter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("model");
    QTest::newRow("plain") << QStringLiteral("hello ") << QStringLiteral("openclaw");
    QTest::newRow("quotes and backslashes")
        << QStringLiteral("a \"b\" \\ c") << QStringLiteral("openclaw/x");
    QTest::newRow("control characters")
        << QString::fromUtf8("\n\r\t\b\f\x01\x1f\x7f") << QStringLiteral("openclaw");
    QTest::newRow("non-ASCII") << QString::fromUtf8("héllo — 日本語 😀 \u2028")
                               << QStringLiteral("modèle");
    QTest::newRow("empty") << QString() << QString();
}

void TestCompletionFormat::contentChunkMatchesJsonWriter()
{
    // The hand-built hot path must write exactly what the generic JSON writer writes.
    QFETCH(QString, text);
    QFETCH(QString, model);
    const CompletionMeta meta {QStringLiteral("chatcmpl_\"q\""), 42, model};
    const QJsonObject generic {
        {QStringLiteral("id"), meta.id},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), meta.created},
        {QStringLiteral("model"), meta.model},
        {QStringLiteral("choices"),
         QJsonArray {QJsonObject {
             {QStringLiteral("index"), 0},
             {QStringLiteral("delta"), QJsonObject {{QStringLiteral("content"), text}}},
             {QStringLiteral("finish_reason"), QJsonValue::Null}}}}};
    QCOMPARE(CompletionFormat::contentChunk(meta, text),
             QJsonDocument(generic).toJson(QJsonDocument::Compact));
}

void TestCompletionFormat::framing()
{
    QCOMPARE(SseWriter::dataFrame("[DONE]"), QByteArray("data: [DONE]\n\n"));
    QCOMPARE(SseWriter::commentFrame("keep-alive"), QByteArray(": keep-alive\n\n"));
    QCOMPARE(SseWriter::chunk("data: x\n\n"), QByteArray("9\r\ndata: x\n\n\r\n"));
    QCOMPARE(SseWriter::chunk(QByteArray(26, 'a')), "1a\r\n" + QByteArray(26, 'a') + "\r\n");
}

void TestCompletionFormat::toolCallAccumulation()
{
    ToolCallAccumulator acc;
    acc.add(
        QJsonDocument::fromJson(
            R"({"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}})")
            .object());
    acc.add(
        QJsonDocument::fromJson(R"({"index":0,"function":{"arguments":"{\"city\":"}})").object());
    acc.add(
        QJsonDocument::fromJson(R"({"index":1,"id":"call_2","function":{"name":"now"}})").object());
    acc.add(
        QJsonDocument::fromJson(R"({"index":0,"function":{"arguments":"\"Paris\"}"}})").object());
    const QJsonArray calls = acc.toolCalls();
    QCOMPARE(calls.size(), 2);
    QCOMPARE(
        QJsonDocument(calls).toJson(QJsonDocument::Compact),
        QByteArray(
            R"([{"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"call_1","type":"function"},{"function":{"arguments":"","name":"now"},"id":"call_2","type":"function"}])"));
}

void TestCompletionFormat::completionWithToolCalls()
{
    ToolCallAccumulator acc;
    acc.add(
        QJsonDocument::fromJson(R"({"index":0,"id":"c","function":{"name":"f","arguments":"{}"}})")
            .object());
    const QJsonObject o = CompletionFormat::completion(kMeta, QString(), acc.toolCalls(),
                                                       QStringLiteral("tool_calls"), Usage {});
    const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(),
             QStringLiteral("tool_calls"));
    QCOMPARE(choice.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toString(),
             QString());
    QCOMPARE(choice.value(QStringLiteral("message"))
                 .toObject()
                 .value(QStringLiteral("tool_calls"))
                 .toArray()
                 .size(),
             1);
    QCOMPARE(
        o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(),
        0);
}

QTEST_GUILESS_MAIN(TestCompletionFormat)
#include "tst_completionformat.moc"
