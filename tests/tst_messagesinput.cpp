// Block-to-prompt mapping of the Anthropic Messages API (SPEC.md section 15): each block type to
// the canonical chat messages (text, image, document, tool_use as assistant tool_calls,
// tool_result as role: tool messages, thinking dropped, a trailing system message), and the
// prompt section 4 builds from them (the Tool:<tool_use_id> turn, the extra system prompt).

#include "engine/PromptBuilder.h"
#include "surfaces/messages/MessagesInput.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace passerelle;

namespace {

QString compact(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QString compactJson(const QByteArray &json)
{
    return compact(QJsonDocument::fromJson(json).array());
}

} // namespace

class TestMessagesInput : public QObject
{
    Q_OBJECT

private slots:
    void mapping_data();
    void mapping();
};

void TestMessagesInput::mapping_data()
{
    QTest::addColumn<QString>("system");
    QTest::addColumn<QByteArray>("messages");
    QTest::addColumn<QString>("chat");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("extraSystem");

    QTest::newRow("a string") << QString() << QByteArray(R"([{"role":"user","content":"Hi"}])")
                              << compactJson(R"([{"role":"user","content":"Hi"}])") << "Hi"
                              << QString();
    QTest::newRow("text blocks and system")
        << "Be brief."
        << QByteArray(
               R"([{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}])")
        << compactJson(
               R"([{"role":"system","content":"Be brief."},{"role":"user","content":"one\ntwo"}])")
        << "one\ntwo"
        << "Be brief.";
    QTest::newRow("thinking dropped, document carries nothing")
        << QString()
        << QByteArray(
               R"([{"role":"user","content":[{"type":"document","source":{"type":"text","data":"x"}},{"type":"text","text":"read"}]},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"redacted_thinking","data":"x"},{"type":"text","text":"done"}]},
                   {"role":"user","content":"next"}])")
        << compactJson(
               R"([{"role":"user","content":"read"},{"role":"assistant","content":"done"},{"role":"user","content":"next"}])")
        << "[Chat messages since your last reply - for context]\nUser: read\nAssistant: "
           "done\n\n[Current message - respond to this]\nUser: next"
        << QString();
    QTest::newRow("image as image_url")
        << QString()
        << QByteArray(
               R"([{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},{"type":"text","text":"what?"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}])")
        << compactJson(
               R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"text","text":"what?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}])")
        << "what?" << QString();
    QTest::newRow("a tool round")
        << QString()
        << QByteArray(
               R"([{"role":"user","content":"weather?"},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"},{"type":"text","text":"20C"}]}]}])")
        << compactJson(
               R"([{"role":"user","content":"weather?"},
                   {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                   {"role":"tool","tool_call_id":"toolu_1","content":"sunny\n20C"}])")
        << "[Chat messages since your last reply - for context]\nUser: weather?\nAssistant: "
           "Checking.\ntool_call id=toolu_1 name=get_weather "
           "arguments={\"city\":\"Paris\"}\n\n[Current message - respond to this]\n"
           "Tool:toolu_1: sunny\n20C"
        << QString();
    QTest::newRow("two results, then text")
        << QString()
        << QByteArray(
               R"([{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":{}},{"type":"tool_use","id":"b","name":"g","input":{"x":1}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"1"},{"type":"tool_result","tool_use_id":"b","content":"2","is_error":true},{"type":"text","text":"go on"}]}])")
        << compactJson(
               R"([{"role":"assistant","content":"","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"g","arguments":"{\"x\":1}"}}]},
                   {"role":"tool","tool_call_id":"a","content":"1"},{"role":"tool","tool_call_id":"b","content":"2"},
                   {"role":"user","content":"go on"}])")
        << "[Chat messages since your last reply - for context]\nAssistant: tool_call id=a "
           "name=f arguments={}\ntool_call id=b name=g arguments={\"x\":1}\nTool:a: 1\nTool:b: "
           "2\n\n[Current message - respond to this]\nUser: go on"
        << QString();
    QTest::newRow("a lone tool result keeps its sender")
        << QString()
        << QByteArray(
               R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t9","content":"ok"}]}])")
        << compactJson(R"([{"role":"tool","tool_call_id":"t9","content":"ok"}])") << "Tool:t9: ok"
        << QString();
    QTest::newRow("Claude Code's system message after the user turn")
        << "You are Claude Code."
        << QByteArray(
               R"([{"role":"user","content":[{"type":"text","text":"hello"}]},{"role":"system","content":[{"type":"text","text":"reminder"}]}])")
        << compactJson(
               R"([{"role":"system","content":"You are Claude Code."},{"role":"user","content":"hello"},{"role":"system","content":"reminder"}])")
        << "hello"
        << "You are Claude Code.\n\nreminder";
    QTest::newRow("no user turn") << QString()
                                  << QByteArray(R"([{"role":"system","content":"only system"}])")
                                  << compactJson(R"([{"role":"system","content":"only system"}])")
                                  << QString() << "only system";
}

void TestMessagesInput::mapping()
{
    QFETCH(QString, system);
    QFETCH(QByteArray, messages);
    QFETCH(QString, chat);
    QFETCH(QString, prompt);
    QFETCH(QString, extraSystem);
    const QJsonArray mapped
        = MessagesInput::chatMessages(system, QJsonDocument::fromJson(messages).array());
    QCOMPARE(compact(mapped), chat);
    const BuiltPrompt built = PromptBuilder::build(mapped);
    QCOMPARE(built.prompt, prompt);
    QCOMPARE(built.extraSystemPrompt, extraSystem);
}

QTEST_GUILESS_MAIN(TestMessagesInput)
#include "tst_messagesinput.moc"
