// The Anthropic Messages event writer and message (SPEC.md section 15): the exact bytes of a
// streamed text answer, the event order for text, tool use (input_json_delta), text after a tool
// call, a cut answer, an empty answer, a tool call whose name comes late and a failure, `event:`
// equal to the JSON's type; the non-streaming message carrying the same blocks; stop reasons; and
// the errors in Anthropic's shape by status (529 for 503).

#include "http/SseWriter.h"
#include "surfaces/messages/AnthropicError.h"
#include "surfaces/messages/MessageBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace passerelle;

namespace {

QStringList names(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromLatin1(item);
    return out;
}

MessageMeta meta()
{
    MessageMeta m;
    m.id = QStringLiteral("msg_0123456789abcdefghijklmn");
    m.model = QStringLiteral("claude-x");
    m.inputTokens = 3;
    return m;
}

struct Recorder
{
    QByteArray bytes;
    QStringList types;
    QList<QJsonObject> events;

    MessageBuilder::Sink sink()
    {
        return [this](const QByteArray &type, const QByteArray &json) {
            bytes += SseWriter::eventFrame(type, json);
            types << QString::fromUtf8(type);
            events << QJsonDocument::fromJson(json).object();
        };
    }
};

void predictableIds(MessageBuilder &builder)
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

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString compactJson(const char *json)
{
    return compact(QJsonDocument::fromJson(json).object());
}

} // namespace

class TestMessageBuilder : public QObject
{
    Q_OBJECT

private slots:
    void exactBytesOfATextStream();
    void eventOrder_data();
    void eventOrder();
    void toolUseBlocks();
    void toolNameArrivingLate();
    void emptyAnswer();
    void failureAfterTheHeaders();
    void nonStreamingMessage();
    void idsAreTwentyFourAlphanumerics();
    void stopReasons_data();
    void stopReasons();
    void errorShapes_data();
    void errorShapes();
};

void TestMessageBuilder::exactBytesOfATextStream()
{
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    builder.begin();
    builder.content(QStringLiteral("Hi "));
    builder.content(QStringLiteral("there"));
    builder.finish(result(QStringLiteral("stop"), QStringLiteral("Hi there")));
    const QByteArray expected
        = "event: message_start\n"
          R"(data: {"message":{"content":[],"id":"msg_0123456789abcdefghijklmn","model":"claude-x","role":"assistant","stop_reason":null,"stop_sequence":null,"type":"message","usage":{"input_tokens":3,"output_tokens":0}},"type":"message_start"})"
          "\n\n"
          "event: ping\n"
          R"(data: {"type":"ping"})"
          "\n\n"
          "event: content_block_start\n"
          R"(data: {"content_block":{"text":"","type":"text"},"index":0,"type":"content_block_start"})"
          "\n\n"
          "event: content_block_delta\n"
          R"(data: {"delta":{"text":"Hi ","type":"text_delta"},"index":0,"type":"content_block_delta"})"
          "\n\n"
          "event: content_block_delta\n"
          R"(data: {"delta":{"text":"there","type":"text_delta"},"index":0,"type":"content_block_delta"})"
          "\n\n"
          "event: content_block_stop\n"
          R"(data: {"index":0,"type":"content_block_stop"})"
          "\n\n"
          "event: message_delta\n"
          R"(data: {"delta":{"stop_reason":"end_turn","stop_sequence":null},"type":"message_delta","usage":{"output_tokens":2}})"
          "\n\n"
          "event: message_stop\n"
          R"(data: {"type":"message_stop"})"
          "\n\n";
    QCOMPARE(rec.bytes, expected);
    for (int i = 0; i < rec.events.size(); ++i)
        QCOMPARE(rec.events.at(i).value(QLatin1String("type")).toString(), rec.types.at(i));
}

void TestMessageBuilder::eventOrder_data()
{
    QTest::addColumn<QStringList>("steps"); // "t:<text>" or "c:<index>:<id>:<name>:<args>"
    QTest::addColumn<QString>("finish");
    QTest::addColumn<QStringList>("types");
    const QStringList head {QStringLiteral("message_start"), QStringLiteral("ping")};
    const QStringList tail {QStringLiteral("message_delta"), QStringLiteral("message_stop")};
    const auto blk = [](int deltas) {
        QStringList out {QStringLiteral("content_block_start")};
        for (int i = 0; i < deltas; ++i)
            out << QStringLiteral("content_block_delta");
        out << QStringLiteral("content_block_stop");
        return out;
    };
    QTest::newRow("text") << names({"t:a", "t:b"}) << "stop" << head + blk(2) + tail;
    QTest::newRow("a tool call") << names({"c:0:call_1:f:{\"a\"", "c:0:::1}"}) << "tool_calls"
                                 << head + blk(2) + tail;
    QTest::newRow("text then two calls")
        << names({"t:Let me", "c:0:call_1:f:{}", "c:1:call_2:g:", "c:1:::{\"x\":2}"})
        << "tool_calls" << head + blk(1) + blk(1) + blk(1) + tail;
    QTest::newRow("text after a call") << names({"c:0:call_1:f:{}", "t:and", "t: more"}) << "stop"
                                       << head + blk(1) + blk(2) + tail;
    QTest::newRow("cut") << names({"t:a"}) << "length" << head + blk(1) + tail;
}

void TestMessageBuilder::eventOrder()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, finish);
    QFETCH(QStringList, types);
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    predictableIds(builder);
    builder.begin();
    for (const QString &step : steps) {
        if (step.startsWith(QLatin1String("t:"))) {
            builder.content(step.mid(2));
        } else {
            const QStringList p = step.mid(2).split(QLatin1Char(':'));
            builder.toolCall(
                toolDelta(p.at(0).toInt(), p.at(1), p.at(2), p.mid(3).join(QLatin1Char(':'))));
        }
    }
    builder.finish(result(finish, QString()));
    QCOMPARE(rec.types, types);
    // indices rise by one per block, and every block's events carry its own index
    int open = -1;
    for (const QJsonObject &event : rec.events) {
        const QString type = event.value(QLatin1String("type")).toString();
        if (type == QLatin1String("content_block_start")) {
            QCOMPARE(event.value(QLatin1String("index")).toInt(), open + 1);
            ++open;
        } else if (type.startsWith(QLatin1String("content_block_"))) {
            QCOMPARE(event.value(QLatin1String("index")).toInt(), open);
        }
    }
}

void TestMessageBuilder::toolUseBlocks()
{
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    predictableIds(builder);
    builder.begin();
    builder.toolCall(toolDelta(0, QStringLiteral("call_abc"), QStringLiteral("get_weather"),
                               QStringLiteral("{\"city\":")));
    builder.toolCall(toolDelta(0, {}, {}, QStringLiteral("\"Paris\"}")));
    builder.toolCall(toolDelta(1, QStringLiteral("toolu_keep"), QStringLiteral("noop"), QString()));
    builder.finish(result(QStringLiteral("tool_calls"), QString()));
    QCOMPARE(compact(rec.events.at(2)),
             compactJson(R"({"type":"content_block_start","index":0,"content_block":
                 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}})"));
    QCOMPARE(compact(rec.events.at(3)), compactJson(R"({"type":"content_block_delta","index":0,
                 "delta":{"type":"input_json_delta","partial_json":"{\"city\":"}})"));
    QCOMPARE(compact(rec.events.at(4)), compactJson(R"({"type":"content_block_delta","index":0,
                 "delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}})"));
    QCOMPARE(compact(rec.events.at(5)), compactJson(R"({"type":"content_block_stop","index":0})"));
    // an upstream id that already is a tool-use id is kept
    QCOMPARE(compact(rec.events.at(6)),
             compactJson(R"({"type":"content_block_start","index":1,"content_block":
                 {"type":"tool_use","id":"toolu_keep","name":"noop","input":{}}})"));
    QCOMPARE(compact(rec.events.at(8)),
             compactJson(R"({"type":"message_delta","delta":{"stop_reason":"tool_use",
                 "stop_sequence":null},"usage":{"output_tokens":2}})"));
    const QJsonObject message = builder.finalMessage(result(QStringLiteral("tool_calls"), {}));
    QCOMPARE(QString::fromUtf8(QJsonDocument(message.value(QLatin1String("content")).toArray())
                                   .toJson(QJsonDocument::Compact)),
             QStringLiteral(R"([{"id":"toolu_1","input":{"city":"Paris"},"name":"get_weather",)"
                            R"("type":"tool_use"},{"id":"toolu_keep","input":{},"name":"noop",)"
                            R"("type":"tool_use"}])"));
}

void TestMessageBuilder::toolNameArrivingLate()
{
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    predictableIds(builder);
    builder.begin();
    builder.toolCall(toolDelta(0, QStringLiteral("c1"), {}, QStringLiteral("{\"a\":")));
    QCOMPARE(rec.types.size(), 2); // nothing to say before the name
    builder.toolCall(toolDelta(0, {}, QStringLiteral("f"), QStringLiteral("1}")));
    QCOMPARE(rec.types.mid(2),
             QStringList(
                 {QStringLiteral("content_block_start"), QStringLiteral("content_block_delta")}));
    QCOMPARE(rec.events.at(3)
                 .value(QLatin1String("delta"))
                 .toObject()
                 .value(QLatin1String("partial_json"))
                 .toString(),
             QStringLiteral("{\"a\":1}"));
}

void TestMessageBuilder::emptyAnswer()
{
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    builder.begin();
    builder.finish(result(QStringLiteral("stop"), QString()));
    QCOMPARE(rec.types,
             names({"message_start", "ping", "content_block_start", "content_block_delta",
                    "content_block_stop", "message_delta", "message_stop"}));
    QCOMPARE(compact(rec.events.at(3)), compactJson(R"({"type":"content_block_delta","index":0,
                 "delta":{"type":"text_delta","text":"No response from OpenClaw."}})"));
}

void TestMessageBuilder::failureAfterTheHeaders()
{
    Recorder rec;
    MessageBuilder builder(meta(), rec.sink());
    builder.begin();
    builder.content(QStringLiteral("partial"));
    RunFailure failure;
    failure.kind = BackendError::Kind::Overloaded;
    failure.error = ApiError::fromBackend({BackendError::Kind::Overloaded, {}, {}, 503});
    builder.fail(failure);
    builder.finish(result(QStringLiteral("stop"), QString())); // nothing after a failure
    QCOMPARE(rec.types.last(), QStringLiteral("error"));
    QVERIFY(rec.bytes.endsWith(
        "event: error\ndata: "
        R"({"error":{"message":"upstream provider overloaded","type":"overloaded_error"},"type":"error"})"
        "\n\n"));
    RunFailure timeout;
    timeout.kind = BackendError::Kind::Timeout;
    timeout.error = ApiError::fromBackend({BackendError::Kind::Timeout, {}, {}, 0});
    Recorder rec2;
    MessageBuilder other(meta(), rec2.sink());
    other.begin();
    other.fail(timeout);
    QCOMPARE(compact(rec2.events.last()),
             compactJson(R"({"type":"error","error":{"type":"api_error",
                 "message":"upstream provider timeout"}})"));
}

void TestMessageBuilder::nonStreamingMessage()
{
    MessageBuilder builder(meta());
    predictableIds(builder);
    builder.content(QStringLiteral("Sure."));
    builder.toolCall(toolDelta(0, QStringLiteral("x"), QStringLiteral("f"), QStringLiteral("{}")));
    RunResult r = result(QStringLiteral("tool_calls"), QStringLiteral("Sure."));
    r.usage = {11, 4, true};
    QCOMPARE(compact(builder.finalMessage(r)),
             compactJson(R"({"id":"msg_0123456789abcdefghijklmn","type":"message",
                 "role":"assistant","model":"claude-x","content":[{"type":"text","text":"Sure."},
                 {"type":"tool_use","id":"toolu_1","name":"f","input":{}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":11,"output_tokens":4}})"));
    MessageBuilder empty(meta());
    QCOMPARE(compact(empty.finalMessage(result(QStringLiteral("length"), QString()))),
             compactJson(R"({"id":"msg_0123456789abcdefghijklmn","type":"message",
                 "role":"assistant","model":"claude-x",
                 "content":[{"type":"text","text":"No response from OpenClaw."}],
                 "stop_reason":"max_tokens","stop_sequence":null,
                 "usage":{"input_tokens":5,"output_tokens":2}})"));
    // A reply a stop sequence ended, in the message and in the stream's message_delta.
    Recorder rec;
    MessageBuilder stopped(meta(), rec.sink());
    stopped.begin();
    stopped.content(QStringLiteral("one two"));
    RunResult cut = result(QStringLiteral("stop"), QStringLiteral("one two"));
    cut.stopSequence = QStringLiteral("three");
    stopped.finish(cut);
    QCOMPARE(compact(stopped.finalMessage(cut)),
             compactJson(R"({"id":"msg_0123456789abcdefghijklmn","type":"message",
                 "role":"assistant","model":"claude-x",
                 "content":[{"type":"text","text":"one two"}],
                 "stop_reason":"stop_sequence","stop_sequence":"three",
                 "usage":{"input_tokens":5,"output_tokens":2}})"));
    QCOMPARE(compact(rec.events.at(rec.events.size() - 2)),
             compactJson(R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence",
                 "stop_sequence":"three"},"usage":{"output_tokens":2}})"));
}

void TestMessageBuilder::idsAreTwentyFourAlphanumerics()
{
    const QRegularExpression shape(QStringLiteral("^msg_[A-Za-z0-9]{24}$"));
    const QString a = MessageBuilder::newId(QStringLiteral("msg"));
    const QString b = MessageBuilder::newId(QStringLiteral("msg"));
    QVERIFY2(shape.match(a).hasMatch(), qPrintable(a));
    QVERIFY(a != b);
}

void TestMessageBuilder::stopReasons_data()
{
    QTest::addColumn<QString>("finish");
    QTest::addColumn<QString>("sequence"); // the stop sequence the run reports
    QTest::addColumn<QString>("stop");
    QTest::addColumn<QJsonValue>("stopSequence");
    QTest::newRow("stop") << "stop"
                          << ""
                          << "end_turn" << QJsonValue(QJsonValue::Null);
    QTest::newRow("stop sequence") << "stop"
                                   << "###"
                                   << "stop_sequence" << QJsonValue(QStringLiteral("###"));
    QTest::newRow("length") << "length"
                            << ""
                            << "max_tokens" << QJsonValue(QJsonValue::Null);
    QTest::newRow("length, a sequence ignored") << "length"
                                                << "###"
                                                << "max_tokens" << QJsonValue(QJsonValue::Null);
    QTest::newRow("tool_calls") << "tool_calls"
                                << ""
                                << "tool_use" << QJsonValue(QJsonValue::Null);
    QTest::newRow("other") << "content_filter"
                           << ""
                           << "end_turn" << QJsonValue(QJsonValue::Null);
}

void TestMessageBuilder::stopReasons()
{
    QFETCH(QString, finish);
    QFETCH(QString, sequence);
    QFETCH(QString, stop);
    QFETCH(QJsonValue, stopSequence);
    RunResult result;
    result.finishReason = finish;
    result.stopSequence = sequence;
    QCOMPARE(MessageBuilder::stopReason(result), stop);
    QCOMPARE(MessageBuilder::stopSequence(result), stopSequence);
}

void TestMessageBuilder::errorShapes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("sent");
    QTest::addColumn<QString>("type");
    QTest::newRow("400") << 400 << "bad" << 400 << "invalid_request_error";
    QTest::newRow("401") << 401 << "Unauthorized" << 401 << "authentication_error";
    QTest::newRow("403") << 403 << "token may not use agent 'x'" << 403 << "permission_error";
    QTest::newRow("404") << 404 << "gone" << 404 << "not_found_error";
    QTest::newRow("413") << 413 << "Payload too large" << 413 << "request_too_large";
    QTest::newRow("429") << 429 << "slow down" << 429 << "rate_limit_error";
    QTest::newRow("500") << 500 << "internal error" << 500 << "api_error";
    QTest::newRow("502") << 502 << "upstream provider error" << 502 << "api_error";
    QTest::newRow("503") << 503 << "upstream provider overloaded" << 529 << "overloaded_error";
    QTest::newRow("504") << 504 << "upstream provider timeout" << 504 << "api_error";
}

void TestMessageBuilder::errorShapes()
{
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(int, sent);
    QFETCH(QString, type);
    const HttpReply reply
        = AnthropicError::reply(ApiError {status, QStringLiteral("x"), message, {}});
    QCOMPARE(reply.status, sent);
    QCOMPARE(reply.errorMessage, message);
    QCOMPARE(QString::fromUtf8(reply.body),
             QStringLiteral(R"({"error":{"message":"%1","type":"%2"},"type":"error"})")
                 .arg(message, type));
}

QTEST_GUILESS_MAIN(TestMessageBuilder)
#include "tst_messagebuilder.moc"
