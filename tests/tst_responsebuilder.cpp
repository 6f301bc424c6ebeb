// The Responses event writer and response object (SPEC.md section 11): the exact bytes of a
// streamed text answer, the event order for text, tool calls, mixed items, a cut answer, an empty
// answer and a failure, `event:` equal to the JSON's type with sequence_number rising from 0, the
// same events however the bytes are split, and the non-streaming object carrying the same items.

#include "http/SseWriter.h"
#include "providers/SseParser.h"
#include "surfaces/responses/ResponseBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

namespace {

ResponseMeta meta()
{
    ResponseMeta m;
    m.id = QStringLiteral("resp_0123456789abcdef0123456789abcdef");
    m.createdAt = 1700000000;
    m.model = QStringLiteral("openclaw");
    m.text = {
        {QStringLiteral("format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}}}};
    return m;
}

struct Recorder
{
    QByteArray bytes; // the SSE frames as written
    QStringList types;
    QList<QJsonObject> events;

    ResponseBuilder::Sink sink()
    {
        return [this](const QByteArray &type, const QByteArray &json) {
            bytes += SseWriter::eventFrame(type, json);
            types << QString::fromUtf8(type);
            events << QJsonDocument::fromJson(json).object();
        };
    }
};

void predictableIds(ResponseBuilder &builder)
{
    auto counter = std::make_shared<int>(0);
    builder.setIdGenerator([counter](const QString &prefix) -> QString {
        return prefix + QStringLiteral("_") + QString::number(++*counter);
    });
}

QJsonObject toolDelta(int index, const QString &id, const QString &name, const QString &args)
{
    QJsonObject fn;
    if (!name.isEmpty())
        fn.insert(QStringLiteral("name"), name);
    if (!args.isEmpty())
        fn.insert(QStringLiteral("arguments"), args);
    QJsonObject d {{QStringLiteral("index"), index}, {QStringLiteral("function"), fn}};
    if (!id.isEmpty())
        d.insert(QStringLiteral("id"), id);
    return d;
}

RunResult result(const QString &finish, const QString &text, const QJsonArray &calls = {})
{
    RunResult r;
    r.finishReason = finish;
    r.text = text;
    r.toolCalls = calls;
    r.usage = {5, 2, true};
    return r;
}

QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(v.isArray()
                                 ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace

class TestResponseBuilder : public QObject
{
    Q_OBJECT

private slots:
    void eventFraming();
    void exactBytesOfATextStream();
    void splitIndependent();
    void eventOrder_data();
    void eventOrder();
    void toolCallItems();
    void failure();
    void nonStreamingObject();
    void errorCodes();
};

void TestResponseBuilder::eventFraming()
{
    QCOMPARE(SseWriter::eventFrame("response.created", R"({"a":1})"),
             QByteArray("event: response.created\ndata: {\"a\":1}\n\n"));
}

void TestResponseBuilder::exactBytesOfATextStream()
{
    Recorder rec;
    ResponseBuilder b(meta(), rec.sink());
    predictableIds(b);
    b.begin();
    b.content(QStringLiteral("Hel"));
    b.content(QStringLiteral("lo"));
    b.finish(result(QStringLiteral("stop"), QStringLiteral("Hello")));

    const QByteArray pending
        = R"({"created_at":1700000000,"error":null,"id":"resp_0123456789abcdef0123456789abcdef","incomplete_details":null,"instructions":null,"max_output_tokens":null,"metadata":{},"model":"openclaw","object":"response","output":[],"parallel_tool_calls":true,"previous_response_id":null,"status":"in_progress","store":true,"temperature":null,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"usage":null,"user":null})";
    const QByteArray item
        = R"({"content":[{"annotations":[],"text":"Hello","type":"output_text"}],"id":"msg_1","role":"assistant","status":"completed","type":"message"})";
    const QByteArray completed
        = R"({"created_at":1700000000,"error":null,"id":"resp_0123456789abcdef0123456789abcdef","incomplete_details":null,"instructions":null,"max_output_tokens":null,"metadata":{},"model":"openclaw","object":"response","output":[)"
        + item
        + R"(],"parallel_tool_calls":true,"previous_response_id":null,"status":"completed","store":true,"temperature":null,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7},"user":null})";
    const QByteArray expected = "event: response.created\ndata: {\"response\":" + pending
        + ",\"sequence_number\":0,\"type\":\"response.created\"}\n\n"
          "event: response.in_progress\ndata: {\"response\":"
        + pending
        + ",\"sequence_number\":1,\"type\":\"response.in_progress\"}\n\n"
          "event: response.output_item.added\ndata: "
          R"({"item":{"content":[],"id":"msg_1","role":"assistant","status":"in_progress","type":"message"},"output_index":0,"sequence_number":2,"type":"response.output_item.added"})"
          "\n\nevent: response.content_part.added\ndata: "
          R"({"content_index":0,"item_id":"msg_1","output_index":0,"part":{"annotations":[],"text":"","type":"output_text"},"sequence_number":3,"type":"response.content_part.added"})"
          "\n\nevent: response.output_text.delta\ndata: "
          R"({"content_index":0,"delta":"Hel","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":4,"type":"response.output_text.delta"})"
          "\n\nevent: response.output_text.delta\ndata: "
          R"({"content_index":0,"delta":"lo","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":5,"type":"response.output_text.delta"})"
          "\n\nevent: response.output_text.done\ndata: "
          R"({"content_index":0,"item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":6,"text":"Hello","type":"response.output_text.done"})"
          "\n\nevent: response.content_part.done\ndata: "
          R"({"content_index":0,"item_id":"msg_1","output_index":0,"part":{"annotations":[],"text":"Hello","type":"output_text"},"sequence_number":7,"type":"response.content_part.done"})"
          "\n\nevent: response.output_item.done\ndata: {\"item\":"
        + item
        + R"(,"output_index":0,"sequence_number":8,"type":"response.output_item.done"})"
          "\n\nevent: response.completed\ndata: {\"response\":"
        + completed + ",\"sequence_number\":9,\"type\":\"response.completed\"}\n\n";
    QCOMPARE(rec.bytes, expected);
}

void TestResponseBuilder::splitIndependent()
{
    Recorder rec;
    ResponseBuilder b(meta(), rec.sink());
    b.begin();
    b.content(QStringLiteral("Grüße, "));
    b.toolCall(
        toolDelta(0, QStringLiteral("call_a"), QStringLiteral("f"), QStringLiteral("{\"x\"")));
    b.toolCall(toolDelta(0, {}, {}, QStringLiteral(":1}")));
    b.content(QStringLiteral("é\n\"fin\""));
    b.finish(result(QStringLiteral("tool_calls"), QStringLiteral("Grüße, é\n\"fin\"")));
    const QByteArray all = rec.bytes + SseWriter::dataFrame("[DONE]");

    SseParser whole;
    const QList<SseParser::Item> reference = whole.feed(all);
    QCOMPARE(reference.size(), rec.types.size() + 1);
    for (qsizetype i = 0; i < rec.types.size(); ++i) {
        // event: equals the JSON's type; sequence numbers rise by one from 0
        QCOMPARE(reference.at(i).event, rec.types.at(i));
        const QJsonObject json = QJsonDocument::fromJson(reference.at(i).data).object();
        QCOMPARE(json.value(QStringLiteral("type")).toString(), rec.types.at(i));
        QCOMPARE(json.value(QStringLiteral("sequence_number")).toInt(-1), int(i));
    }
    QCOMPARE(reference.last().data, QByteArray("[DONE]"));
    for (qsizetype cut = 1; cut < all.size(); ++cut) {
        SseParser parser;
        QList<SseParser::Item> items = parser.feed(QByteArrayView(all).first(cut));
        items += parser.feed(QByteArrayView(all).sliced(cut));
        QVERIFY2(items == reference, qPrintable(QString::number(cut)));
    }
}

void TestResponseBuilder::eventOrder_data()
{
    QTest::addColumn<QStringList>("script"); // "t:<text>", "c:<index>:<id>:<name>:<args>"
    QTest::addColumn<QString>("finish");
    QTest::addColumn<QStringList>("events");

    const QStringList open {QStringLiteral("response.created"),
                            QStringLiteral("response.in_progress")};
    const QStringList textOpen {QStringLiteral("response.output_item.added"),
                                QStringLiteral("response.content_part.added")};
    const QStringList textClose {QStringLiteral("response.output_text.done"),
                                 QStringLiteral("response.content_part.done"),
                                 QStringLiteral("response.output_item.done")};
    const QString delta = QStringLiteral("response.output_text.delta");
    const QString added = QStringLiteral("response.output_item.added");
    const QString argDelta = QStringLiteral("response.function_call_arguments.delta");
    const QStringList callClose {QStringLiteral("response.function_call_arguments.done"),
                                 QStringLiteral("response.output_item.done")};

    QTest::newRow("text") << QStringList {QStringLiteral("t:a"), QStringLiteral("t:b")}
                          << QStringLiteral("stop")
                          << open + textOpen + QStringList {delta, delta} + textClose
            + QStringList {QStringLiteral("response.completed")};
    QTest::newRow("cut by max_output_tokens")
        << QStringList {QStringLiteral("t:a")} << QStringLiteral("length")
        << open + textOpen + QStringList {delta} + textClose
            + QStringList {QStringLiteral("response.incomplete")};
    QTest::newRow("empty answer: one message with the fallback text")
        << QStringList {} << QStringLiteral("stop")
        << open + textOpen + QStringList {delta} + textClose
            + QStringList {QStringLiteral("response.completed")};
    QTest::newRow("two tool calls")
        << QStringList {QStringLiteral("c:0:call_1:f:"), QStringLiteral("c:0:::{}"),
                        QStringLiteral("c:1:call_2:g:{\"a\":1}")}
        << QStringLiteral("tool_calls")
        << open + QStringList {added, argDelta} + callClose + QStringList {added, argDelta}
            + callClose + QStringList {QStringLiteral("response.completed")};
    QTest::newRow("text then a tool call")
        << QStringList {QStringLiteral("t:Let me check."), QStringLiteral("c:0:call_1:f:{}")}
        << QStringLiteral("tool_calls")
        << open + textOpen + QStringList {delta} + textClose + QStringList {added, argDelta}
            + callClose + QStringList {QStringLiteral("response.completed")};
}

void TestResponseBuilder::eventOrder()
{
    QFETCH(QStringList, script);
    QFETCH(QString, finish);
    QFETCH(QStringList, events);
    Recorder rec;
    ResponseBuilder b(meta(), rec.sink());
    b.begin();
    QString text;
    for (const QString &step : script) {
        if (step.startsWith(QLatin1String("t:"))) {
            b.content(step.mid(2));
            text += step.mid(2);
        } else {
            const QStringList f = step.mid(2).split(QLatin1Char(':'));
            b.toolCall(
                toolDelta(f.at(0).toInt(), f.at(1), f.at(2), f.mid(3).join(QLatin1Char(':'))));
        }
    }
    b.finish(result(finish, text));
    QCOMPARE(rec.types, events);
    for (int i = 0; i < rec.events.size(); ++i)
        QCOMPARE(rec.events.at(i).value(QStringLiteral("sequence_number")).toInt(-1), i);
    const QJsonObject last = rec.events.last().value(QStringLiteral("response")).toObject();
    QCOMPARE(last.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("total_tokens"))
                 .toInt(),
             7);
    if (finish == QLatin1String("length")) {
        QCOMPARE(last.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
        QCOMPARE(compact(last.value(QStringLiteral("incomplete_details"))),
                 QString::fromUtf8(R"({"reason":"max_output_tokens"})"));
    } else {
        QCOMPARE(last.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(last.value(QStringLiteral("incomplete_details")).isNull());
    }
    if (script.isEmpty()) {
        const QJsonObject d = rec.events.at(4);
        QCOMPARE(d.value(QStringLiteral("delta")).toString(),
                 QStringLiteral("No response from OpenClaw."));
    }
}

void TestResponseBuilder::toolCallItems()
{
    Recorder rec;
    ResponseBuilder b(meta(), rec.sink());
    predictableIds(b);
    b.begin();
    b.toolCall(toolDelta(0, QStringLiteral("call_up"), QStringLiteral("get_weather"), {}));
    b.toolCall(toolDelta(0, {}, {}, QStringLiteral("{\"city\":")));
    b.toolCall(toolDelta(0, {}, {}, QStringLiteral("\"Lyon\"}")));
    b.toolCall(toolDelta(1, {}, QStringLiteral("no_id"), QStringLiteral("{}"))); // no upstream id
    b.finish(result(QStringLiteral("tool_calls"), {}));

    const QString addedItem = QString::fromUtf8(
        R"({"arguments":"","call_id":"call_up","id":"fc_1","name":"get_weather","status":"in_progress","type":"function_call"})");
    QCOMPARE(compact(rec.events.at(2).value(QStringLiteral("item"))), addedItem);
    QCOMPARE(rec.events.at(3).value(QStringLiteral("delta")).toString(),
             QStringLiteral("{\"city\":"));
    QCOMPARE(rec.events.at(3).value(QStringLiteral("item_id")).toString(), QStringLiteral("fc_1"));
    QCOMPARE(rec.events.at(5).value(QStringLiteral("arguments")).toString(),
             QStringLiteral("{\"city\":\"Lyon\"}"));
    const QJsonArray output = rec.events.last()
                                  .value(QStringLiteral("response"))
                                  .toObject()
                                  .value(QStringLiteral("output"))
                                  .toArray();
    const QString items = QString::fromUtf8(
        R"([{"arguments":"{\"city\":\"Lyon\"}","call_id":"call_up","id":"fc_1","name":"get_weather","status":"completed","type":"function_call"},{"arguments":"{}","call_id":"call_3","id":"fc_2","name":"no_id","status":"completed","type":"function_call"}])");
    QCOMPARE(compact(output), items);
}

void TestResponseBuilder::failure()
{
    Recorder rec;
    ResponseBuilder b(meta(), rec.sink());
    b.begin();
    b.content(QStringLiteral("partial"));
    RunFailure f;
    f.kind = BackendError::Kind::Unreachable;
    f.error = ApiError::fromBackend({BackendError::Kind::Unreachable, {}, {}, 502});
    b.fail(f);
    b.finish(result(QStringLiteral("stop"), QStringLiteral("late"))); // nothing after a failure
    QCOMPARE(rec.types.last(), QStringLiteral("response.failed"));
    QCOMPARE(rec.types.count(QStringLiteral("response.failed")), 1);
    const QJsonObject response = rec.events.last().value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(compact(response.value(QStringLiteral("error"))),
             QString::fromUtf8(R"({"code":"server_error","message":"upstream provider error"})"));
}

void TestResponseBuilder::nonStreamingObject()
{
    ResponseMeta m = meta();
    m.previousResponseId = QStringLiteral("resp_parent");
    m.instructions = QStringLiteral("Be brief");
    m.metadata = {{QStringLiteral("k"), QStringLiteral("v")}};
    m.temperature = 0.5;
    m.maxOutputTokens = 64;
    m.user = QStringLiteral("ann");
    m.store = false;
    ResponseBuilder b(m); // no sink: nothing is written
    predictableIds(b);
    b.content(QStringLiteral("Hi"));
    const QJsonObject object
        = b.finalResponse(result(QStringLiteral("stop"), QStringLiteral("Hi")));
    QCOMPARE(
        compact(object),
        QString::fromUtf8(
            R"({"created_at":1700000000,"error":null,"id":"resp_0123456789abcdef0123456789abcdef","incomplete_details":null,"instructions":"Be brief","max_output_tokens":64,"metadata":{"k":"v"},"model":"openclaw","object":"response","output":[{"content":[{"annotations":[],"text":"Hi","type":"output_text"}],"id":"msg_1","role":"assistant","status":"completed","type":"message"}],"parallel_tool_calls":true,"previous_response_id":"resp_parent","status":"completed","store":false,"temperature":0.5,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7},"user":"ann"})"));
    // Asked again (stored, then answered): the very same object, ids included.
    QCOMPARE(b.finalResponse(result(QStringLiteral("stop"), QStringLiteral("Hi"))), object);
    QVERIFY(QRegularExpression(QStringLiteral("^resp_[0-9a-f]{32}$"))
                .match(ResponseBuilder::newId(QStringLiteral("resp")))
                .hasMatch());
}

void TestResponseBuilder::errorCodes()
{
    RunFailure f;
    f.kind = BackendError::Kind::RateLimited;
    QCOMPARE(ResponseBuilder::errorCode(f), QStringLiteral("rate_limit_exceeded"));
    f.kind = BackendError::Kind::BadRequest;
    QCOMPARE(ResponseBuilder::errorCode(f), QStringLiteral("invalid_prompt"));
    f.kind = BackendError::Kind::Timeout;
    QCOMPARE(ResponseBuilder::errorCode(f), QStringLiteral("server_error"));
    f.kind = BackendError::Kind::Overloaded;
    QCOMPARE(ResponseBuilder::errorCode(f), QStringLiteral("server_error"));
}

QTEST_GUILESS_MAIN(TestResponseBuilder)
#include "tst_responsebuilder.moc"
