// PromptBuilder: every rule of SPEC section 4 "Prompt building" (OpenClaw's buildAgentPrompt),
// asserting the exact prompt text the agent receives.

#include "engine/PromptBuilder.h"

#include <QJsonDocument>
#include <QTest>

using passerelle::BuiltPrompt;
using passerelle::PromptBuilder;

class TestPromptBuilder : public QObject
{
    Q_OBJECT

private slots:
    void build_data();
    void build();
    void contentText_data();
    void contentText();
};

namespace {

QString text(const char *s)
{
    return QString::fromUtf8(s);
}

QString history(const char *context, const char *current)
{
    return QStringLiteral("[Chat messages since your last reply - for context]\n") + text(context)
        + QStringLiteral("\n\n[Current message - respond to this]\n") + text(current);
}

} // namespace

void TestPromptBuilder::build_data()
{
    QTest::addColumn<QByteArray>("messages");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("system");

    QTest::newRow("no messages") << QByteArray("[]") << QString() << QString();
    QTest::newRow("single user") << QByteArray(R"([{"role":"user","content":"Hello"}])")
                                 << text("Hello") << QString();
    QTest::newRow("user text trimmed")
        << QByteArray(R"([{"role":"user","content":"  Hello there \n"}])") << text("Hello there")
        << QString();
    QTest::newRow("text and input_text parts")
        << QByteArray(R"([{"role":"user","content":[{"type":"text","text":"first"},
                          {"type":"input_text","text":"second"}]}])")
        << text("first\nsecond") << QString();
    QTest::newRow("image parts carry no text") << QByteArray(
        R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}},
                          {"type":"text","text":"what is this?"}]}])")
                                               << text("what is this?") << QString();
    QTest::newRow("image-only user is empty") << QByteArray(
        R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}])")
                                              << QString() << QString();
    QTest::newRow("history") << QByteArray(
        R"([{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                          {"role":"user","content":"How are you?"}])")
                             << history("User: Hi\nAssistant: Hello!", "User: How are you?")
                             << QString();
    QTest::newRow("system and developer") << QByteArray(
        R"([{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Use French."}]},
                          {"role":"user","content":"Bonjour"}])")
                                          << text("Bonjour") << text("Be brief.\n\nUse French.");
    QTest::newRow("system between turns is not history") << QByteArray(
        R"([{"role":"user","content":"a"},{"role":"system","content":"S"},{"role":"user","content":"b"}])")
                                                         << history("User: a", "User: b")
                                                         << text("S");
    QTest::newRow("system only: no prompt")
        << QByteArray(R"([{"role":"system","content":"S"}])") << QString() << text("S");
    QTest::newRow("empty system skipped") << QByteArray(
        R"([{"role":"system","content":"  "},{"role":"system","content":"S"},{"role":"user","content":"u"}])")
                                          << text("u") << text("S");
    QTest::newRow("tool result alone")
        << QByteArray(R"([{"role":"tool","tool_call_id":"call_1","content":"42"}])")
        << text("Tool:call_1: 42") << QString();
    QTest::newRow("tool result alone without id")
        << QByteArray(R"([{"role":"tool","content":"42"}])") << text("Tool: 42") << QString();
    QTest::newRow("function role counts as tool")
        << QByteArray(R"([{"role":"function","name":"lookup","content":"found"}])")
        << text("Tool: found") << QString();
    QTest::newRow("tool result with history")
        << QByteArray(R"([{"role":"user","content":"Weather in Paris?"},
                          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                            "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                          {"role":"tool","tool_call_id":"call_1","content":"18C"}])")
        << history("User: Weather in Paris?\n"
                   "Assistant: tool_call id=call_1 name=get_weather arguments={\"city\":\"Paris\"}",
                   "Tool:call_1: 18C")
        << QString();
    QTest::newRow("assistant text then tool_calls")
        << QByteArray(R"([{"role":"user","content":"q"},
                          {"role":"assistant","content":"Checking.","tool_calls":[
                            {"id":"a","function":{"name":"f","arguments":"{}"}},
                            {"function":{"name":"no_id","arguments":"{}"}},
                            {"id":"b","function":{"arguments":"{}"}},
                            {"id":"c","function":{"name":"g","arguments":"[1]"}}]},
                          {"role":"tool","tool_call_id":"a","content":"ok"}])")
        << history("User: q\nAssistant: Checking.\ntool_call id=a name=f arguments={}\n"
                   "tool_call id=c name=g arguments=[1]",
                   "Tool:a: ok")
        << QString();
    QTest::newRow("tool_call arguments as object")
        << QByteArray(R"([{"role":"user","content":"q"},
                          {"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":{"x":1}}}]},
                          {"role":"user","content":"next"}])")
        << history("User: q\nAssistant: tool_call id=a name=f arguments={\"x\":1}", "User: next")
        << QString();
    QTest::newRow("unknown roles dropped")
        << QByteArray(R"([{"role":"user","content":"a"},{"role":"critic","content":"meh"},
                          {"role":"User","content":"caps"},{"role":"user","content":"b"}])")
        << history("User: a", "User: b") << QString();
    QTest::newRow("later entries dropped")
        << QByteArray(R"([{"role":"user","content":"Q"},{"role":"assistant","content":"A"}])")
        << text("Q") << QString();
    QTest::newRow("later entries dropped after history")
        << QByteArray(R"([{"role":"assistant","content":"A1"},{"role":"user","content":"Q"},
                          {"role":"assistant","content":"A2"}])")
        << history("Assistant: A1", "User: Q") << QString();
    QTest::newRow("only assistants: last one is current")
        << QByteArray(
               R"([{"role":"assistant","content":"A1"},{"role":"assistant","content":"A2"}])")
        << history("Assistant: A1", "Assistant: A2") << QString();
    QTest::newRow("single assistant")
        << QByteArray(R"([{"role":"assistant","content":"A"}])") << text("A") << QString();
    QTest::newRow("empty bodies skipped")
        << QByteArray(R"([{"role":"user","content":"a"},{"role":"assistant","content":""},
                          {"role":"user","content":"b"},{"role":"user","content":"   "},
                          {"role":"tool","content":[]}])")
        << history("User: a", "User: b") << QString();
    QTest::newRow("empty trailing user: earlier one is current")
        << QByteArray(R"([{"role":"user","content":"first"},{"role":"user","content":""}])")
        << text("first") << QString();
    QTest::newRow("non-object and role-less messages skipped")
        << QByteArray(R"([5,"user",null,{"content":"no role"},{"role":7,"content":"x"},
                          {"role":" user ","content":"hi"}])")
        << text("hi") << QString();
    QTest::newRow("tool after user and assistant text")
        << QByteArray(R"([{"role":"user","content":"u"},{"role":"assistant","content":"a"},
                          {"role":"tool","tool_call_id":"t9","content":"r"},{"role":"assistant","content":"late"}])")
        << history("User: u\nAssistant: a", "Tool:t9: r") << QString();
}

void TestPromptBuilder::build()
{
    QFETCH(QByteArray, messages);
    QFETCH(QString, prompt);
    QFETCH(QString, system);

    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(messages, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const BuiltPrompt built = PromptBuilder::build(doc.array());
    QCOMPARE(built.prompt, prompt);
    QCOMPARE(built.extraSystemPrompt, system);
}

void TestPromptBuilder::contentText_data()
{
    QTest::addColumn<QByteArray>("content"); // wrapped in an array to parse any JSON value
    QTest::addColumn<QString>("text");

    QTest::newRow("string") << QByteArray(R"(["  hi  "])") << text("hi");
    QTest::newRow("null") << QByteArray("[null]") << QString();
    QTest::newRow("number") << QByteArray("[5]") << QString();
    QTest::newRow("object") << QByteArray(R"([{"type":"text","text":"x"}])") << QString();
    QTest::newRow("parts joined and trimmed")
        << QByteArray(R"([[{"type":"text","text":" a "},{"type":"input_text","text":"b\n"}]])")
        << text("a \nb");
    QTest::newRow("empty and foreign parts skipped") << QByteArray(
        R"([[{"type":"text","text":""},5,{"type":"refusal","refusal":"no"},{"type":"text","text":"c"},
                         {"type":"image_url","image_url":"https://x"},{"text":"untyped"}]])")
                                                     << text("c");
}

void TestPromptBuilder::contentText()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, text);
    const QJsonArray wrapper = QJsonDocument::fromJson(content).array();
    QCOMPARE(wrapper.size(), 1);
    QCOMPARE(PromptBuilder::contentText(wrapper.first()), text);
}

QTEST_GUILESS_MAIN(TestPromptBuilder)
#include "tst_promptbuilder.moc"
