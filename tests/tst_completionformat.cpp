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
    void completionKeyOrder();
};

// A string as QJsonDocument writes it.
static QByteArray qtString(const QString &s)
{
    const QByteArray a = QJsonDocument(QJsonArray {s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

static const CompletionMeta kMeta {QStringLiteral("chatcmpl_x"), 1700000000,
                                   QStringLiteral("openclaw")};

void TestCompletionFormat::chunks_data()
{
    // OpenAI's key order (id, object, created, model, choices, usage; index, delta,
    // finish_reason), as every OpenAI-compatible server writes it.
    QTest::addColumn<QByteArray>("chunk");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray head
        = R"({"id":"chatcmpl_x","object":"chat.completion.chunk","created":1700000000,"model":"openclaw","choices":[{"index":0,"delta":)";
    QTest::newRow("role") << CompletionFormat::roleChunk(kMeta)
                          << head + R"({"role":"assistant"},"finish_reason":null}]})";
    QTest::newRow("content") << CompletionFormat::contentChunk(kMeta, QStringLiteral("hé \"x\""))
                             << head + R"({"content":"hé \"x\""},"finish_reason":null}]})";
    QTest::newRow("finish") << CompletionFormat::finishChunk(kMeta, QStringLiteral("length"))
                            << head + R"({},"finish_reason":"length"}]})";
    QTest::newRow("usage")
        << CompletionFormat::usageChunk(kMeta, Usage {2, 3, true})
        << QByteArray(
               R"({"id":"chatcmpl_x","object":"chat.completion.chunk","created":1700000000,"model":"openclaw","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}})");
    // A tool-call delta as an upstream may send it (keys in any order, one unknown key): the
    // known keys in OpenAI's order, the others after them.
    const QJsonObject delta
        = QJsonDocument::fromJson(
              R"({"type":"function","function":{"arguments":"{\"a\":","name":"f"},"id":"call_1","x_extra":[1,true],"index":2})")
              .object();
    QTest::newRow("tool call") << CompletionFormat::toolCallChunk(kMeta, delta)
                               << head
            + R"({"tool_calls":[{"index":2,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":"},"x_extra":[1,true]}]},"finish_reason":null}]})";
    const QJsonObject piece
        = QJsonDocument::fromJson(R"({"function":{"arguments":"1}"},"index":2})").object();
    QTest::newRow("tool call piece") << CompletionFormat::toolCallChunk(kMeta, piece)
                                     << head
            + R"({"tool_calls":[{"index":2,"function":{"arguments":"1}"}}]},"finish_reason":null}]})";
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
    // The stream's hot path escapes text exactly as the generic JSON writer does and writes the
    // same object, in OpenAI's key order.
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
    const QByteArray chunk = CompletionFormat::contentChunk(meta, text);
    QJsonParseError error;
    QCOMPARE(QJsonDocument::fromJson(chunk, &error).object(), generic);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(chunk,
             R"({"id":)" + qtString(meta.id)
                 + R"(,"object":"chat.completion.chunk","created":42,"model":)" + qtString(model)
                 + R"(,"choices":[{"index":0,"delta":{"content":)" + qtString(text)
                 + R"(},"finish_reason":null}]})");
    // A stream's frame, made once, gives the same bytes (even for a model named like the key).
    QCOMPARE(CompletionFormat::contentChunk(CompletionFormat::contentFrame(meta), text), chunk);
    const CompletionMeta tricky {meta.id, 42, QStringLiteral(R"("delta":{"content":"")")};
    QCOMPARE(CompletionFormat::contentChunk(CompletionFormat::contentFrame(tricky), text),
             CompletionFormat::contentChunk(tricky, text));
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
    const QJsonObject o = QJsonDocument::fromJson(
                              CompletionFormat::completion(kMeta, QString(), acc.toolCalls(),
                                                           QStringLiteral("tool_calls"), Usage {}))
                              .object();
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

void TestCompletionFormat::completionKeyOrder()
{
    QCOMPARE(
        CompletionFormat::completion(kMeta, QStringLiteral("Bonjour \n"), {},
                                     QStringLiteral("stop"), Usage {7, 3, true}),
        QByteArray(
            R"({"id":"chatcmpl_x","object":"chat.completion","created":1700000000,"model":"openclaw","choices":[{"index":0,"message":{"role":"assistant","content":"Bonjour \n"},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}})"));

    ToolCallAccumulator acc;
    acc.add(
        QJsonDocument::fromJson(
            R"({"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}})")
            .object());
    acc.add(QJsonDocument::fromJson(R"({"index":0,"function":{"arguments":"{\"city\":\"Lyon\"}"}})")
                .object());
    acc.add(
        QJsonDocument::fromJson(R"({"index":1,"id":"call_2","function":{"name":"now"}})").object());
    QCOMPARE(
        CompletionFormat::completion(kMeta, QString(), acc.toolCalls(),
                                     QStringLiteral("tool_calls"), Usage {5, 9, true}),
        QByteArray(
            R"({"id":"chatcmpl_x","object":"chat.completion","created":1700000000,"model":"openclaw","choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}},{"id":"call_2","type":"function","function":{"name":"now","arguments":""}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}})"));
}

QTEST_GUILESS_MAIN(TestCompletionFormat)
#include "tst_completionformat.moc"
