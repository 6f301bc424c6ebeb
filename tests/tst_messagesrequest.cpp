// The Anthropic Messages request parser (SPEC.md section 15): every rejected body with its exact
// message naming the field, the fields accepted and ignored (thinking, context_management,
// output_config, metadata.user_id, top_k, anthropic's server tools), what goes upstream in chat
// form (temperature, top_p, function tools, tool_choice, parallel_tool_calls, stop sequences), and
// count_tokens bodies without max_tokens.

#include "surfaces/messages/MessagesRequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

namespace {

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString compactJson(const QByteArray &json)
{
    return compact(QJsonDocument::fromJson(json).object());
}

} // namespace

class TestMessagesRequest : public QObject
{
    Q_OBJECT

private slots:
    void rejected_data();
    void rejected();
    void upstream_data();
    void upstream();
    void systemAndStops();
    void claudeCodeBodyIsAccepted();
    void countTokensNeedsNoMaxTokens();
};

void TestMessagesRequest::rejected_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const QByteArray ok = R"("model":"claude-x","max_tokens":16,)";
    QTest::newRow("not json") << QByteArray("{") << "Invalid JSON body";
    QTest::newRow("array") << QByteArray("[1]") << "Request body must be a JSON object";
    QTest::newRow("no model") << QByteArray(R"({"max_tokens":1,"messages":[]})")
                              << "model: expected a string";
    QTest::newRow("model number") << QByteArray(R"({"model":5,"max_tokens":1,"messages":[]})")
                                  << "model: expected a string";
    QTest::newRow("no max_tokens") << QByteArray(R"({"model":"m","messages":[]})")
                                   << "max_tokens: expected a positive integer";
    QTest::newRow("max_tokens 0") << QByteArray(R"({"model":"m","max_tokens":0,"messages":[]})")
                                  << "max_tokens: expected a positive integer";
    QTest::newRow("max_tokens 1.5") << QByteArray(R"({"model":"m","max_tokens":1.5,"messages":[]})")
                                    << "max_tokens: expected a positive integer";
    QTest::newRow("no messages") << QByteArray(R"({"model":"m","max_tokens":1})")
                                 << "messages: expected an array";
    QTest::newRow("message not object") << "{" + ok + R"("messages":[1]})"
                                        << "messages[0]: expected an object";
    QTest::newRow("bad role") << "{" + ok + R"("messages":[{"role":"tool","content":"x"}]})"
                              << "messages[0].role: expected one of user, assistant, system";
    QTest::newRow("content number") << "{" + ok + R"("messages":[{"role":"user","content":5}]})"
                                    << "messages[0].content: expected a string or an array";
    QTest::newRow("block without type")
        << "{" + ok + R"("messages":[{"role":"user","content":[{"text":"x"}]}]})"
        << "messages[0].content[0].type: expected a non-empty string";
    QTest::newRow("text block without text")
        << "{" + ok + R"("messages":[{"role":"user","content":[{"type":"text"}]}]})"
        << "messages[0].content[0].text: expected a string";
    QTest::newRow("tool_use without id")
        << "{" + ok
            + R"("messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}]})"
        << "messages[0].content[0].id: expected a non-empty string";
    QTest::newRow("tool_use without name")
        << "{" + ok
            + R"("messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","input":{}}]}]})"
        << "messages[0].content[0].name: expected a non-empty string";
    QTest::newRow("tool_use input string") << "{" + ok
            + R"("messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}]})"
                                           << "messages[0].content[0].input: expected an object";
    QTest::newRow("tool_result without id")
        << "{" + ok
            + R"("messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]})"
        << "messages[0].content[0].tool_use_id: expected a non-empty string";
    QTest::newRow("tool_result content number")
        << "{" + ok
            + R"("messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":3}]}]})"
        << "messages[0].content[0].content: expected a string or an array";
    QTest::newRow("tool_result is_error string")
        << "{" + ok
            + R"("messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":"yes"}]}]})"
        << "messages[0].content[0].is_error: expected a boolean";
    QTest::newRow("image without source")
        << "{" + ok + R"("messages":[{"role":"user","content":[{"type":"image"}]}]})"
        << "messages[0].content[0].source: expected an object";
    QTest::newRow("system number") << "{" + ok + R"("messages":[],"system":4})"
                                   << "system: expected a string or an array";
    QTest::newRow("system block text")
        << "{" + ok + R"("messages":[],"system":[{"type":"text","text":1}]})"
        << "system[0].text: expected a string";
    QTest::newRow("stream string") << "{" + ok + R"("messages":[],"stream":"yes"})"
                                   << "stream: expected a boolean";
    QTest::newRow("stop_sequences string") << "{" + ok + R"("messages":[],"stop_sequences":"x"})"
                                           << "stop_sequences: expected an array of strings";
    QTest::newRow("stop_sequences number")
        << "{" + ok + R"("messages":[],"stop_sequences":["a",1]})"
        << "stop_sequences: expected an array of strings";
    QTest::newRow("temperature above 1") << "{" + ok + R"("messages":[],"temperature":1.5})"
                                         << "`temperature` must be between 0 and 1.";
    QTest::newRow("top_p negative") << "{" + ok + R"("messages":[],"top_p":-0.1})"
                                    << "`top_p` must be between 0 and 1.";
    QTest::newRow("top_k zero") << "{" + ok + R"("messages":[],"top_k":0})"
                                << "top_k: expected a positive integer";
    QTest::newRow("metadata string") << "{" + ok + R"("messages":[],"metadata":"x"})"
                                     << "metadata: expected an object";
    QTest::newRow("tools object") << "{" + ok + R"("messages":[],"tools":{}})"
                                  << "tools: expected an array";
    QTest::newRow("tool without name")
        << "{" + ok + R"("messages":[],"tools":[{"input_schema":{}}]})"
        << "tools[0].name: expected a non-empty string";
    QTest::newRow("tool without schema") << "{" + ok + R"("messages":[],"tools":[{"name":"f"}]})"
                                         << "tools[0].input_schema: expected an object";
    QTest::newRow("tool description number")
        << "{" + ok + R"("messages":[],"tools":[{"name":"f","description":1,"input_schema":{}}]})"
        << "tools[0].description: expected a string";
    QTest::newRow("tool_choice string") << "{" + ok + R"("messages":[],"tool_choice":"auto"})"
                                        << "tool_choice: expected an object";
    QTest::newRow("tool_choice type") << "{" + ok + R"("messages":[],"tool_choice":{"type":"x"}})"
                                      << "tool_choice.type: expected one of auto, any, tool, none";
    QTest::newRow("tool_choice tool without name")
        << "{" + ok + R"("messages":[],"tool_choice":{"type":"tool"}})"
        << "tool_choice.name: expected a non-empty string";
    QTest::newRow("disable_parallel_tool_use string")
        << "{" + ok
            + R"("messages":[],"tool_choice":{"type":"auto","disable_parallel_tool_use":1}})"
        << "tool_choice.disable_parallel_tool_use: expected a boolean";
}

void TestMessagesRequest::rejected()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    MessagesRequest request;
    const auto error = request.parse(body);
    QVERIFY2(error.has_value(), body.constData());
    QCOMPARE(*error, message);
}

void TestMessagesRequest::upstream_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QString>("upstream");
    QTest::newRow("nothing") << QByteArray() << compactJson("{}");
    QTest::newRow("sampling") << QByteArray(R"("temperature":0.5,"top_p":0.9,"top_k":40,)")
                              << compactJson(R"({"temperature":0.5,"top_p":0.9})");
    QTest::newRow("a client tool")
        << QByteArray(
               R"("tools":[{"name":"Read","description":"reads","input_schema":{"type":"object"}}],)")
        << compactJson(
               R"({"tools":[{"type":"function","function":{"name":"Read","description":"reads","parameters":{"type":"object"}}}]})");
    QTest::newRow("server tools stay back") << QByteArray(
        R"("tools":[{"type":"web_search_20250305","name":"web_search"},{"type":"bash_20250124","name":"bash"},{"type":"text_editor_20250728","name":"str_replace_based_edit_tool"},{"type":"computer_20250124","name":"computer","display_width_px":1}],"tool_choice":{"type":"any"},)")
                                            << compactJson("{}");
    QTest::newRow("custom tool")
        << QByteArray(R"("tools":[{"type":"custom","name":"f","input_schema":{}}],)")
        << compactJson(
               R"({"tools":[{"type":"function","function":{"name":"f","parameters":{}}}]})");
    const QByteArray tool = R"("tools":[{"name":"f","input_schema":{}}],)";
    const char *fn = R"("tools":[{"type":"function","function":{"name":"f","parameters":{}}}])";
    QTest::newRow("auto") << tool + R"("tool_choice":{"type":"auto"},)"
                          << compactJson(QByteArray("{") + fn + R"(,"tool_choice":"auto"})");
    QTest::newRow("any") << tool + R"("tool_choice":{"type":"any"},)"
                         << compactJson(QByteArray("{") + fn + R"(,"tool_choice":"required"})");
    QTest::newRow("none") << tool + R"("tool_choice":{"type":"none"},)"
                          << compactJson(QByteArray("{") + fn + R"(,"tool_choice":"none"})");
    QTest::newRow("tool")
        << tool + R"("tool_choice":{"type":"tool","name":"f"},)"
        << compactJson(QByteArray("{") + fn
                       + R"(,"tool_choice":{"type":"function","function":{"name":"f"}}})");
    QTest::newRow("no parallel") << tool
            + R"("tool_choice":{"type":"auto","disable_parallel_tool_use":true},)"
                                 << compactJson(
                                        QByteArray("{") + fn
                                        + R"(,"tool_choice":"auto","parallel_tool_calls":false})");
}

void TestMessagesRequest::upstream()
{
    QFETCH(QByteArray, fields);
    QFETCH(QString, upstream);
    MessagesRequest request;
    const QByteArray body = "{" + fields + R"("model":"m","max_tokens":8,"messages":[]})";
    const auto error = request.parse(body);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(compact(request.upstream), upstream);
    QCOMPARE(request.maxTokens, std::optional<qint64>(8));
}

void TestMessagesRequest::systemAndStops()
{
    MessagesRequest request;
    QVERIFY(!request.parse(
        R"({"model":"m","max_tokens":1,"messages":[],"stream":true,
            "system":[{"type":"text","text":"one"},{"type":"text","text":"two","cache_control":{"type":"ephemeral"}}],
            "stop_sequences":["END","","STOP"]})"));
    QCOMPARE(request.system, QStringLiteral("one\ntwo"));
    QCOMPARE(request.stopSequences, QStringList({QStringLiteral("END"), QStringLiteral("STOP")}));
    QVERIFY(request.stream);
    QVERIFY(!request.parse(R"({"model":"m","max_tokens":1,"messages":[],"system":"plain"})"));
    QCOMPARE(request.system, QStringLiteral("plain"));
    QVERIFY(!request.stream);
}

void TestMessagesRequest::claudeCodeBodyIsAccepted()
{
    // The shape Claude Code 2.1 sends (trimmed): ignored fields and all.
    MessagesRequest request;
    const auto error = request.parse(R"({
        "model":"claude-opus-5-5","max_tokens":128000,"stream":true,
        "system":[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Be brief."},
                  {"type":"text","text":"Env","cache_control":{"type":"ephemeral"}}],
        "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]},
                    {"role":"system","content":"a reminder"}],
        "tools":[{"name":"Bash","description":"Runs","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}],
        "thinking":{"type":"enabled","budget_tokens":1024},
        "context_management":{"edits":[]},"output_config":{"effort":"high"},"service_tier":"auto",
        "metadata":{"user_id":"user_abc"},"temperature":1,"anything_new":{"x":1}})");
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(request.model, QStringLiteral("claude-opus-5-5"));
    QCOMPARE(request.maxTokens, std::optional<qint64>(128000));
    QCOMPARE(request.messages.size(), 2);
    QCOMPARE(request.upstream.value(QLatin1String("tools")).toArray().size(), 1);
}

void TestMessagesRequest::countTokensNeedsNoMaxTokens()
{
    MessagesRequest request;
    const QByteArray body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    QVERIFY(request.parse(body).has_value());
    QVERIFY(!request.parse(body, MessagesRequest::Kind::CountTokens));
    QVERIFY(!request.maxTokens);
    QCOMPARE(*request.parse(R"({"model":"m"})", MessagesRequest::Kind::CountTokens),
             QStringLiteral("messages: expected an array"));
}

QTEST_GUILESS_MAIN(TestMessagesRequest)
#include "tst_messagesrequest.moc"
