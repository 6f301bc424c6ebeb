// The input items of a Responses request as chat messages and as the built prompt (SPEC.md
// section 11: "prompt building is section 4's, item for item"): instructions then system/developer
// texts as the extra system prompt, function_call as the assistant's tool_call line,
// function_call_output as a Tool:<call_id> turn, the current turn the last user message or tool
// result, reasoning/item_reference ignored; and the turns a stored response keeps.

#include "engine/PromptBuilder.h"
#include "store/SessionStore.h"
#include "surfaces/responses/ResponsesInput.h"
#include "surfaces/responses/ResponsesRequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

namespace {

QJsonArray messagesOf(const QByteArray &body)
{
    ResponsesRequest r;
    if (const auto error = r.parse(body)) {
        qWarning("%s", qPrintable(*error));
        return {};
    }
    return ResponsesInput::messages(r.instructions, r.hasInstructions, r.input);
}

} // namespace

class TestResponsesInput : public QObject
{
    Q_OBJECT

private slots:
    void messages_data();
    void messages();
    void prompt_data();
    void prompt();
    void currentTurn_data();
    void currentTurn();
    void storedTurns();
};

void TestResponsesInput::messages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("messages");

    QTest::newRow("string input") << QByteArray(R"({"input":"Hi"})")
                                  << QByteArray(R"([{"content":"Hi","role":"user"}])");
    QTest::newRow("instructions first, as a system message")
        << QByteArray(R"({"instructions":"Be brief","input":"Hi"})")
        << QByteArray(R"([{"content":"Be brief","role":"system"},{"content":"Hi","role":"user"}])");
    QTest::newRow("text parts joined, files dropped") << QByteArray(
        R"({"input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_file","file_id":"f"},{"type":"input_text","text":"b"}]}]})")
                                                      << QByteArray(
                                                             R"([{"content":"a\nb","role":"user"}])");
    QTest::newRow("an image keeps the parts")
        << QByteArray(
               R"({"input":[{"role":"user","content":[{"type":"input_text","text":"what is it?"},{"type":"input_image","image_url":"data:x"}]}]})")
        << QByteArray(
               R"([{"content":[{"text":"what is it?","type":"text"},{"image_url":{"url":"data:x"},"type":"image_url"}],"role":"user"}])");
    QTest::newRow("assistant output_text") << QByteArray(
        R"({"input":[{"role":"assistant","content":[{"type":"output_text","text":"ok","annotations":[]}]}]})")
                                           << QByteArray(
                                                  R"([{"content":"ok","role":"assistant"}])");
    QTest::newRow("function calls join the assistant message, then tool results")
        << QByteArray(
               R"({"input":[{"role":"user","content":"weather?"},{"role":"assistant","content":"checking"},{"type":"function_call","call_id":"c1","name":"w","arguments":"{\"city\":\"Lyon\"}"},{"type":"function_call","call_id":"c2","name":"w","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"sunny"},{"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"rain"}]}]})")
        << QByteArray(
               R"([{"content":"weather?","role":"user"},{"content":"checking","role":"assistant","tool_calls":[{"function":{"arguments":"{\"city\":\"Lyon\"}","name":"w"},"id":"c1","type":"function"},{"function":{"arguments":"{}","name":"w"},"id":"c2","type":"function"}]},{"content":"sunny","role":"tool","tool_call_id":"c1"},{"content":"rain","role":"tool","tool_call_id":"c2"}])");
    QTest::newRow("a function call after a user message opens an assistant message")
        << QByteArray(
               R"({"input":[{"role":"user","content":"go"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]})")
        << QByteArray(
               R"([{"content":"go","role":"user"},{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c","type":"function"}]}])");
    QTest::newRow("reasoning, item_reference and other items dropped")
        << QByteArray(
               R"({"input":[{"type":"reasoning","id":"rs","summary":[]},{"type":"item_reference","id":"msg_1"},{"type":"web_search_call","id":"ws"},{"role":"user","content":"x"}]})")
        << QByteArray(R"([{"content":"x","role":"user"}])");
}

void TestResponsesInput::messages()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, messages);
    QCOMPARE(QJsonDocument(messagesOf(body)).toJson(QJsonDocument::Compact), messages);
}

void TestResponsesInput::prompt_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("system");

    QTest::newRow("one user message")
        << QByteArray(R"({"input":"  Hello  "})") << QStringLiteral("Hello") << QString();
    QTest::newRow("instructions, then system and developer texts") << QByteArray(
        R"({"instructions":"I1","input":[{"role":"system","content":"S1"},{"role":"developer","content":[{"type":"input_text","text":"D1"}]},{"role":"user","content":"Q"}]})")
                                                                   << QStringLiteral("Q")
                                                                   << QStringLiteral(
                                                                          "I1\n\nS1\n\nD1");
    QTest::newRow("earlier turns as context") << QByteArray(
        R"({"input":[{"role":"user","content":"My name is Ann"},{"role":"assistant","content":[{"type":"output_text","text":"Hello Ann"}]},{"role":"user","content":"Who am I?"}]})")
                                              << QStringLiteral(
                                                     "[Chat messages since your last reply - for "
                                                     "context]\nUser: My name is "
                                                     "Ann\nAssistant: Hello Ann\n\n[Current "
                                                     "message - respond to this]\n"
                                                     "User: Who am I?")
                                              << QString();
    QTest::newRow("a tool round: tool_call line and Tool:<call_id> turn") << QByteArray(
        R"({"input":[{"role":"user","content":"Weather in Lyon?"},{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Lyon\"}"},{"type":"function_call_output","call_id":"call_1","output":"sunny"}]})")
                                                                          << QStringLiteral(
                                                                                 "[Chat messages "
                                                                                 "since your last "
                                                                                 "reply - for "
                                                                                 "context]\nUser: "
                                                                                 "Weather in "
                                                                                 "Lyon?\nAssistant:"
                                                                                 " tool_call "
                                                                                 "id=call_1 "
                                                                                 "name=get_weather "
                                                                                 "arguments={"
                                                                                 "\"city\":"
                                                                                 "\"Lyon\"}\n\n["
                                                                                 "Current message "
                                                                                 "- respond to "
                                                                                 "this]\n"
                                                                                 "Tool:call_1: "
                                                                                 "sunny")
                                                                          << QString();
    QTest::newRow("a lone tool result keeps its sender")
        << QByteArray(R"({"input":[{"type":"function_call_output","call_id":"c9","output":"42"}]})")
        << QStringLiteral("Tool:c9: 42") << QString();
    QTest::newRow("entries after the current turn are dropped") << QByteArray(
        R"({"input":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]})")
                                                                << QStringLiteral("Q") << QString();
}

void TestResponsesInput::prompt()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, prompt);
    QFETCH(QString, system);
    const BuiltPrompt built = PromptBuilder::build(messagesOf(body));
    QCOMPARE(built.prompt, prompt);
    QCOMPARE(built.extraSystemPrompt, system);
}

void TestResponsesInput::currentTurn_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("has");
    QTest::newRow("no input") << QByteArray("{}") << false;
    QTest::newRow("empty array") << QByteArray(R"({"input":[]})") << false;
    QTest::newRow("blank string") << QByteArray(R"({"input":"   "})") << false;
    QTest::newRow("instructions only") << QByteArray(R"({"instructions":"x","input":[]})") << false;
    QTest::newRow("assistant only")
        << QByteArray(R"({"input":[{"role":"assistant","content":"a"}]})") << false;
    QTest::newRow("developer only")
        << QByteArray(R"({"input":[{"role":"developer","content":"d"}]})") << false;
    QTest::newRow("image only") << QByteArray(
        R"({"input":[{"role":"user","content":[{"type":"input_image","image_url":"x"}]}]})")
                                << false;
    QTest::newRow("reasoning only")
        << QByteArray(R"({"input":[{"type":"reasoning","summary":[]}]})") << false;
    QTest::newRow("a user message") << QByteArray(R"({"input":"hi"})") << true;
    QTest::newRow("a tool result")
        << QByteArray(R"({"input":[{"type":"function_call_output","call_id":"c","output":"x"}]})")
        << true;
}

void TestResponsesInput::currentTurn()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, has);
    const QJsonArray messages = messagesOf(body);
    QCOMPARE(ResponsesInput::hasCurrentTurn(messages), has);
    if (has)
        QVERIFY(!PromptBuilder::build(messages).prompt.isEmpty());
}

void TestResponsesInput::storedTurns()
{
    // What a stored response keeps of its input: no system text, tool calls and results whole.
    const QJsonArray messages = messagesOf(
        R"({"instructions":"I","input":[{"role":"developer","content":"D"},{"role":"user","content":"Q"},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"R"}]})");
    const QList<ChatTurn> turns = PromptBuilder::conversationTurns(messages);
    QCOMPARE(
        SessionStore::turnsToJson(turns),
        QByteArray(
            R"([{"content":"Q","role":"user"},{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}]},{"content":"R","role":"tool","tool_call_id":"c1"}])"));
    QCOMPARE(SessionStore::turnsFromJson(SessionStore::turnsToJson(turns)), turns);
}

QTEST_GUILESS_MAIN(TestResponsesInput)
#include "tst_responsesinput.moc"
