// POST /v1/responses bodies (SPEC.md section 11, request fields and input items): every field's
// validation message, the accepted forms of input, tools, tool_choice, text.format and metadata,
// the fields that are accepted and ignored, and what goes upstream (chat-form tools and
// tool_choice, response_format; non-function tools kept back).

#include "surfaces/responses/ResponsesRequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace passerelle;

namespace {

QString compact(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

} // namespace

class TestResponsesRequest : public QObject
{
    Q_OBJECT

private slots:
    void rejected_data();
    void rejected();
    void accepted_data();
    void accepted();
    void stringInputIsOneUserMessage();
    void defaultsAndEchoedFields();
    void upstreamFields_data();
    void upstreamFields();
};

void TestResponsesRequest::rejected_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const auto row = [](const char *name, const char *body, const char *message) {
        QTest::newRow(name) << QByteArray(body) << QString::fromUtf8(message);
    };
    row("not JSON", "{nope", "Invalid JSON body");
    row("array body", "[1]", "Request body must be a JSON object");
    row("scalar body", "5", "Request body must be a JSON object");
    row("model number", R"({"model":5})", "model: expected a string");
    row("input number", R"({"input":5})", "input: expected a string or an array");
    row("input object", R"({"input":{}})", "input: expected a string or an array");
    row("item not object", R"({"input":["hi"]})", "input[0]: expected an object");
    row("item type number", R"({"input":[{"type":1}]})", "input[0].type: expected a string");
    row("message without role", R"({"input":[{"content":"hi"}]})",
        "input[0].role: expected one of user, assistant, system, developer");
    row("message bad role", R"({"input":[{"type":"message","role":"tool","content":"x"}]})",
        "input[0].role: expected one of user, assistant, system, developer");
    row("content number", R"({"input":[{"role":"user","content":3}]})",
        "input[0].content: expected a string or an array");
    row("content missing", R"({"input":[{"role":"user"}]})",
        "input[0].content: expected a string or an array");
    row("part not object", R"({"input":[{"role":"user","content":["x"]}]})",
        "input[0].content[0]: expected an object");
    row("part without type", R"({"input":[{"role":"user","content":[{"text":"x"}]}]})",
        "input[0].content[0].type: expected a string");
    row("input_text without text",
        R"({"input":[{"role":"user","content":[{"type":"input_text"}]}]})",
        "input[0].content[0].text: expected a string");
    row("output_text text number",
        R"({"input":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"output_text","text":1}]}]})",
        "input[1].content[0].text: expected a string");
    row("function_call without call_id",
        R"({"input":[{"type":"function_call","name":"f","arguments":"{}"}]})",
        "input[0].call_id: expected a non-empty string");
    row("function_call empty name",
        R"({"input":[{"type":"function_call","call_id":"c","name":"","arguments":"{}"}]})",
        "input[0].name: expected a non-empty string");
    row("function_call arguments object",
        R"({"input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}]})",
        "input[0].arguments: expected a string");
    row("function_call_output without call_id",
        R"({"input":[{"type":"function_call_output","output":"x"}]})",
        "input[0].call_id: expected a non-empty string");
    row("function_call_output output number",
        R"({"input":[{"type":"function_call_output","call_id":"c","output":1}]})",
        "input[0].output: expected a string or an array");
    row("instructions number", R"({"instructions":1})", "instructions: expected a string");
    row("stream string", R"({"stream":"true"})", "stream: expected a boolean");
    row("store number", R"({"store":1})", "store: expected a boolean");
    row("user number", R"({"user":1})", "user: expected a string");
    row("previous_response_id number", R"({"previous_response_id":7})",
        "previous_response_id: expected a string");
    row("max_output_tokens zero", R"({"max_output_tokens":0})",
        "max_output_tokens: expected a positive integer");
    row("max_output_tokens fraction", R"({"max_output_tokens":1.5})",
        "max_output_tokens: expected a positive integer");
    row("temperature high", R"({"temperature":2.5})", "`temperature` must be between 0 and 2.");
    row("temperature string", R"({"temperature":"1"})", "`temperature` must be between 0 and 2.");
    row("top_p high", R"({"top_p":1.1})", "`top_p` must be between 0 and 1.");
    row("parallel_tool_calls string", R"({"parallel_tool_calls":"yes"})",
        "parallel_tool_calls: expected a boolean");
    row("metadata array", R"({"metadata":[]})",
        "metadata: expected an object of at most 16 string values");
    row("metadata number value", R"({"metadata":{"a":1}})",
        "metadata: expected an object of at most 16 string values");
    row("metadata 17 values",
        R"({"metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":"","k":"","l":"","m":"","n":"","o":"","p":"","q":""}})",
        "metadata: expected an object of at most 16 string values");
    row("tools object", R"({"tools":{}})", "tools: expected an array");
    row("tool not object", R"({"tools":[1]})", "tools[0]: expected an object");
    row("tool without type", R"({"tools":[{"name":"f"}]})",
        "tools[0].type: expected a non-empty string");
    row("function tool without name", R"({"tools":[{"type":"function"}]})",
        "tools[0].name: expected a non-empty string");
    row("function tool parameters string",
        R"({"tools":[{"type":"function","name":"f","parameters":"x"}]})",
        "tools[0].parameters: expected an object");
    row("function tool strict string",
        R"({"tools":[{"type":"function","name":"f","strict":"yes"}]})",
        "tools[0].strict: expected a boolean");
    row("nested function tool without name",
        R"({"tools":[{"type":"function","function":{"description":"d"}}]})",
        "tools[0].function.name: expected a non-empty string");
    row("tool_choice unknown string", R"({"tool_choice":"any"})",
        "tool_choice: expected one of none, auto, required");
    row("tool_choice number", R"({"tool_choice":1})",
        "tool_choice: expected a string or an object");
    row("tool_choice object without type", R"({"tool_choice":{"name":"f"}})",
        "tool_choice.type: expected a non-empty string");
    row("tool_choice function without name", R"({"tool_choice":{"type":"function"}})",
        "tool_choice.name: expected a non-empty string");
    row("text string", R"({"text":"plain"})", "text: expected an object");
    row("text.format string", R"({"text":{"format":"json"}})", "text.format: expected an object");
    row("text.format unknown type", R"({"text":{"format":{"type":"xml"}}})",
        "text.format.type: expected one of text, json_object, json_schema");
    row("json_schema without schema", R"({"text":{"format":{"type":"json_schema","name":"x"}}})",
        "text.format.schema: expected an object");
    row("json_schema empty name",
        R"({"text":{"format":{"type":"json_schema","name":"","schema":{}}}})",
        "text.format.name: expected a non-empty string");
}

void TestResponsesRequest::rejected()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    ResponsesRequest request;
    const std::optional<QString> error = request.parse(body);
    QVERIFY2(error.has_value(), body.constData());
    QCOMPARE(*error, message);
}

void TestResponsesRequest::accepted_data()
{
    QTest::addColumn<QByteArray>("body");
    const auto row
        = [](const char *name, const char *body) { QTest::newRow(name) << QByteArray(body); };
    row("empty body", "");
    row("empty object", "{}");
    row("nulls mean unset",
        R"({"model":null,"input":null,"instructions":null,"stream":null,"store":null,"user":null,"previous_response_id":null,"max_output_tokens":null,"temperature":null,"top_p":null,"metadata":null,"tools":null,"tool_choice":null,"text":null,"parallel_tool_calls":null})");
    row("every item type",
        R"({"input":[{"type":"message","role":"developer","content":"be brief"},{"role":"system","content":[{"type":"input_text","text":"s"}]},{"role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_image","image_url":"data:image/png;base64,AA"},{"type":"input_file","file_id":"f"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"a","annotations":[]},{"type":"refusal","refusal":"no"}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"42"},{"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"x"}]},{"type":"reasoning","id":"rs_1","summary":[]},{"type":"item_reference","id":"msg_1"},{"type":"web_search_call","id":"ws_1"},{"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"x"}]})");
    row("every tool type (Codex sends them)",
        R"({"tools":[{"type":"function","name":"shell","description":"d","parameters":{"type":"object"},"strict":false},{"type":"function","function":{"name":"nested","parameters":{}}},{"type":"web_search"},{"type":"local_shell"},{"type":"custom","name":"apply_patch","format":{}},{"type":"namespace","name":"ns"},{"type":"mcp","server_label":"x"},{"type":"file_search","vector_store_ids":[]}]})");
    row("tool_choice strings", R"({"tool_choice":"required"})");
    row("tool_choice function", R"({"tool_choice":{"type":"function","name":"f"}})");
    row("tool_choice nested function",
        R"({"tool_choice":{"type":"function","function":{"name":"f"}}})");
    row("tool_choice other tool type", R"({"tool_choice":{"type":"web_search"}})");
    row("accepted and ignored",
        R"({"reasoning":{"effort":"high","summary":"auto"},"truncation":"auto","max_tool_calls":3,"include":["reasoning.encrypted_content"],"service_tier":"auto","prompt_cache_key":"k","client_metadata":{"x":1},"brand_new_field":{}})");
    row("text formats", R"({"text":{"format":{"type":"json_object"},"verbosity":"low"}})");
    row("metadata 16 values",
        R"({"metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":"","k":"","l":"","m":"","n":"","o":"","p":""}})");
    row("bounds", R"({"temperature":2,"top_p":0,"max_output_tokens":1})");
}

void TestResponsesRequest::accepted()
{
    QFETCH(QByteArray, body);
    ResponsesRequest request;
    const std::optional<QString> error = request.parse(body);
    QVERIFY2(!error.has_value(), qPrintable(error.value_or(QString())));
}

void TestResponsesRequest::stringInputIsOneUserMessage()
{
    ResponsesRequest r;
    QVERIFY(!r.parse(R"({"model":"openclaw/main","input":"Hello","stream":true,"store":false,
                         "user":"Ann","previous_response_id":"resp_1","max_output_tokens":9,
                         "instructions":"Be kind"})")
                 .has_value());
    QCOMPARE(compact(r.input),
             QString::fromUtf8(R"([{"content":"Hello","role":"user","type":"message"}])"));
    QCOMPARE(r.model, QStringLiteral("openclaw/main"));
    QVERIFY(r.stream);
    QVERIFY(!r.store);
    QCOMPARE(r.user, QStringLiteral("Ann"));
    QCOMPARE(r.previousResponseId, QStringLiteral("resp_1"));
    QCOMPARE(r.maxOutputTokens, std::optional<qint64>(9));
    QVERIFY(r.hasInstructions);
    QCOMPARE(r.instructions, QStringLiteral("Be kind"));
}

void TestResponsesRequest::defaultsAndEchoedFields()
{
    ResponsesRequest r;
    QVERIFY(!r.parse("{}").has_value());
    QVERIFY(!r.stream);
    QVERIFY(r.store); // SPEC 11: store defaults to true
    QVERIFY(r.parallelToolCalls);
    QCOMPARE(r.toolChoice, QJsonValue(QStringLiteral("auto")));
    QCOMPARE(compact(r.text), QString::fromUtf8(R"({"format":{"type":"text"}})"));
    QVERIFY(r.temperature.isNull());
    QVERIFY(r.topP.isNull());
    QVERIFY(r.tools.isEmpty());
    QVERIFY(r.metadata.isEmpty());
    QVERIFY(r.upstream.isEmpty());
    QVERIFY(!r.hasInstructions);

    QVERIFY(!r.parse(R"({"tools":[{"type":"function","function":{"name":"f","description":"d"}},
                                  {"type":"web_search"}],"metadata":{"k":"v"},
                         "tool_choice":{"type":"function","name":"f"}})")
                 .has_value());
    // Function tools are echoed in the flat form, the others as sent.
    QCOMPARE(compact(r.tools),
             QString::fromUtf8(
                 R"([{"description":"d","name":"f","type":"function"},{"type":"web_search"}])"));
    QCOMPARE(compact(r.metadata), QString::fromUtf8(R"({"k":"v"})"));
    QCOMPARE(compact(r.toolChoice), QString::fromUtf8(R"({"name":"f","type":"function"})"));
}

void TestResponsesRequest::upstreamFields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("upstream");

    QTest::newRow("sampling") << QByteArray(R"({"temperature":0.5,"top_p":0.9})")
                              << QString::fromUtf8(R"({"temperature":0.5,"top_p":0.9})");
    QTest::newRow("flat function tool in chat form")
        << QByteArray(
               R"({"tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object"},"strict":true}],"tool_choice":"required","parallel_tool_calls":false})")
        << QStringLiteral(
               R"({"parallel_tool_calls":false,"tool_choice":"required","tools":[{"function":{"description":"d","name":"get_weather","parameters":{"type":"object"},"strict":true},"type":"function"}]})");
    QTest::newRow("nested function tool as is")
        << QByteArray(R"({"tools":[{"type":"function","function":{"name":"f"}}]})")
        << QString::fromUtf8(R"({"tools":[{"function":{"name":"f"},"type":"function"}]})");
    QTest::newRow("named tool_choice in chat form")
        << QByteArray(
               R"({"tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"f"}})")
        << QStringLiteral(
               R"({"tool_choice":{"function":{"name":"f"},"type":"function"},"tools":[{"function":{"name":"f"},"type":"function"}]})");
    QTest::newRow("non-function tools are not sent") << QByteArray(
        R"({"tools":[{"type":"web_search"},{"type":"local_shell"},{"type":"custom","name":"apply_patch"}],"tool_choice":"auto","parallel_tool_calls":true})")
                                                     << QStringLiteral("{}");
    QTest::newRow("only the function tools of a mix")
        << QByteArray(
               R"({"tools":[{"type":"web_search"},{"type":"function","name":"shell"}],"tool_choice":{"type":"web_search"}})")
        << QString::fromUtf8(R"({"tools":[{"function":{"name":"shell"},"type":"function"}]})");
    QTest::newRow("json_object format")
        << QByteArray(R"({"text":{"format":{"type":"json_object"}}})")
        << QString::fromUtf8(R"({"response_format":{"type":"json_object"}})");
    QTest::newRow("json_schema format")
        << QByteArray(
               R"({"text":{"format":{"type":"json_schema","name":"person","schema":{"type":"object"},"strict":true}}})")
        << QStringLiteral(
               R"({"response_format":{"json_schema":{"name":"person","schema":{"type":"object"},"strict":true},"type":"json_schema"}})");
    QTest::newRow("text format sends nothing")
        << QByteArray(R"({"text":{"format":{"type":"text"}}})") << QStringLiteral("{}");
    QTest::newRow("ignored fields send nothing")
        << QByteArray(R"({"reasoning":{"effort":"low"},"include":[],"service_tier":"flex"})")
        << QStringLiteral("{}");
}

void TestResponsesRequest::upstreamFields()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, upstream);
    ResponsesRequest r;
    const auto error = r.parse(body);
    QVERIFY2(!error.has_value(), qPrintable(error.value_or(QString())));
    QCOMPARE(compact(r.upstream), upstream);
}

QTEST_GUILESS_MAIN(TestResponsesRequest)
#include "tst_responsesrequest.moc"
