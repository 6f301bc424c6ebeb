// ChatRequest::parse: every validation message of SPEC section 4 step 5, the bounds of each
// numeric field, JSON null as "absent", and the values the later pipeline steps read.

#include "surfaces/chat/ChatRequest.h"

#include <QJsonDocument>
#include <QTest>

using passerelle::ChatRequest;

class TestChatRequest : public QObject
{
    Q_OBJECT

private slots:
    void validation_data();
    void validation();
    void emptyBodyIsEmptyObject_data();
    void emptyBodyIsEmptyObject();
    void stream_data();
    void stream();
    void maxTokens_data();
    void maxTokens();
    void stop_data();
    void stop();
    void passthrough_data();
    void passthrough();
    void fieldsAndBody();
};

void TestChatRequest::validation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error"); // "" = accepted

    const QString ok;
    const auto err = [](const char *text) { return QString::fromUtf8(text); };
    const QString temperature = err("`temperature` must be between 0 and 2.");
    const QString topP = err("`top_p` must be between 0 and 1.");
    const QString frequency = err("`frequency_penalty` must be between -2 and 2.");
    const QString presence = err("`presence_penalty` must be between -2 and 2.");
    const QString stop = err("stop: expected a string or an array of up to 4 non-empty strings");
    const QString format
        = err("response_format.type: expected one of text, json_object, json_schema");

    // Body shape
    QTest::newRow("invalid JSON") << QByteArray("not json") << err("Invalid JSON body");
    QTest::newRow("truncated object") << QByteArray("{\"model\":") << err("Invalid JSON body");
    QTest::newRow("trailing garbage") << QByteArray("{} x") << err("Invalid JSON body");
    QTest::newRow("array body") << QByteArray("[{}]") << err("Request body must be a JSON object");
    QTest::newRow("number body") << QByteArray("5") << err("Request body must be a JSON object");
    QTest::newRow("string body") << QByteArray("\"hi\"")
                                 << err("Request body must be a JSON object");
    QTest::newRow("null body") << QByteArray("null") << err("Request body must be a JSON object");
    QTest::newRow("true body") << QByteArray(" true ") << err("Request body must be a JSON object");
    QTest::newRow("two scalars") << QByteArray("1,2") << err("Invalid JSON body");
    QTest::newRow("empty object") << QByteArray("{}") << ok;
    QTest::newRow("unknown fields ignored")
        << QByteArray(R"({"n":3,"metadata":{"a":1},"store":true,"future_field":[1]})") << ok;

    // model / messages / stream / user
    QTest::newRow("model number") << QByteArray(R"({"model":5})")
                                  << err("model: expected a string");
    QTest::newRow("model object") << QByteArray(R"({"model":{}})")
                                  << err("model: expected a string");
    QTest::newRow("model null") << QByteArray(R"({"model":null})") << ok;
    QTest::newRow("messages object")
        << QByteArray(R"({"messages":{}})") << err("messages: expected an array");
    QTest::newRow("messages string")
        << QByteArray(R"({"messages":"hi"})") << err("messages: expected an array");
    QTest::newRow("messages null") << QByteArray(R"({"messages":null})") << ok;
    QTest::newRow("messages of anything") << QByteArray(R"({"messages":[1,"x",null]})") << ok;
    QTest::newRow("stream string")
        << QByteArray(R"({"stream":"true"})") << err("stream: expected a boolean");
    QTest::newRow("stream number")
        << QByteArray(R"({"stream":1})") << err("stream: expected a boolean");
    QTest::newRow("stream null") << QByteArray(R"({"stream":null})") << ok;
    QTest::newRow("user number") << QByteArray(R"({"user":42})") << err("user: expected a string");
    QTest::newRow("user null") << QByteArray(R"({"user":null})") << ok;

    // max_tokens / max_completion_tokens
    for (const char *field : {"max_tokens", "max_completion_tokens"}) {
        const QString message
            = QString::fromUtf8(field) + QStringLiteral(": expected a positive integer");
        const auto body = [field](const char *value) -> QByteArray {
            return QByteArray("{\"") + field + "\":" + value + "}";
        };
        const auto row = [field](const char *suffix) -> QTestData & {
            return QTest::newRow(QByteArray(QByteArray(field) + ' ' + suffix).constData());
        };
        row("1") << body("1") << ok;
        row("5.0") << body("5.0") << ok;
        row("0") << body("0") << message;
        row("-1") << body("-1") << message;
        row("5.5") << body("5.5") << message;
        row("string") << body("\"5\"") << message;
        row("bool") << body("true") << message;
        row("1e300") << body("1e300") << message;
        row("null") << body("null") << ok;
    }

    // temperature 0..2
    QTest::newRow("temperature 0") << QByteArray(R"({"temperature":0})") << ok;
    QTest::newRow("temperature 2") << QByteArray(R"({"temperature":2})") << ok;
    QTest::newRow("temperature 0.7") << QByteArray(R"({"temperature":0.7})") << ok;
    QTest::newRow("temperature 2.0001") << QByteArray(R"({"temperature":2.0001})") << temperature;
    QTest::newRow("temperature -0.0001") << QByteArray(R"({"temperature":-0.0001})") << temperature;
    QTest::newRow("temperature string") << QByteArray(R"({"temperature":"1"})") << temperature;
    QTest::newRow("temperature bool") << QByteArray(R"({"temperature":true})") << temperature;
    QTest::newRow("temperature null") << QByteArray(R"({"temperature":null})") << ok;

    // top_p 0..1
    QTest::newRow("top_p 0") << QByteArray(R"({"top_p":0})") << ok;
    QTest::newRow("top_p 1") << QByteArray(R"({"top_p":1})") << ok;
    QTest::newRow("top_p 1.0001") << QByteArray(R"({"top_p":1.0001})") << topP;
    QTest::newRow("top_p -0.1") << QByteArray(R"({"top_p":-0.1})") << topP;
    QTest::newRow("top_p string") << QByteArray(R"({"top_p":"0.5"})") << topP;

    // penalties -2..2
    QTest::newRow("frequency_penalty -2") << QByteArray(R"({"frequency_penalty":-2})") << ok;
    QTest::newRow("frequency_penalty 2") << QByteArray(R"({"frequency_penalty":2})") << ok;
    QTest::newRow("frequency_penalty -2.0001")
        << QByteArray(R"({"frequency_penalty":-2.0001})") << frequency;
    QTest::newRow("frequency_penalty 2.5")
        << QByteArray(R"({"frequency_penalty":2.5})") << frequency;
    QTest::newRow("frequency_penalty string")
        << QByteArray(R"({"frequency_penalty":"0"})") << frequency;
    QTest::newRow("presence_penalty -2") << QByteArray(R"({"presence_penalty":-2})") << ok;
    QTest::newRow("presence_penalty 2") << QByteArray(R"({"presence_penalty":2})") << ok;
    QTest::newRow("presence_penalty 2.0001")
        << QByteArray(R"({"presence_penalty":2.0001})") << presence;
    QTest::newRow("presence_penalty -3") << QByteArray(R"({"presence_penalty":-3})") << presence;
    QTest::newRow("presence_penalty object")
        << QByteArray(R"({"presence_penalty":{}})") << presence;

    // seed
    QTest::newRow("seed 42") << QByteArray(R"({"seed":42})") << ok;
    QTest::newRow("seed negative") << QByteArray(R"({"seed":-7})") << ok;
    QTest::newRow("seed 42.0") << QByteArray(R"({"seed":42.0})") << ok;
    QTest::newRow("seed 4.2") << QByteArray(R"({"seed":4.2})") << err("seed: expected an integer");
    QTest::newRow("seed string") << QByteArray(R"({"seed":"42"})")
                                 << err("seed: expected an integer");

    // stop
    QTest::newRow("stop string") << QByteArray(R"({"stop":"END"})") << ok;
    QTest::newRow("stop empty string") << QByteArray(R"({"stop":""})") << ok;
    QTest::newRow("stop empty array") << QByteArray(R"({"stop":[]})") << ok;
    QTest::newRow("stop four") << QByteArray(R"({"stop":["a","b","c","d"]})") << ok;
    QTest::newRow("stop five") << QByteArray(R"({"stop":["a","b","c","d","e"]})") << stop;
    QTest::newRow("stop empty item") << QByteArray(R"({"stop":["a",""]})") << stop;
    QTest::newRow("stop number item") << QByteArray(R"({"stop":[1]})") << stop;
    QTest::newRow("stop number") << QByteArray(R"({"stop":5})") << stop;
    QTest::newRow("stop object") << QByteArray(R"({"stop":{}})") << stop;
    QTest::newRow("stop null") << QByteArray(R"({"stop":null})") << ok;

    // response_format
    QTest::newRow("response_format text")
        << QByteArray(R"({"response_format":{"type":"text"}})") << ok;
    QTest::newRow("response_format json_object")
        << QByteArray(R"({"response_format":{"type":"json_object"}})") << ok;
    QTest::newRow("response_format json_schema") << QByteArray(
        R"({"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{}}}})")
                                                 << ok;
    QTest::newRow("response_format xml")
        << QByteArray(R"({"response_format":{"type":"xml"}})") << format;
    QTest::newRow("response_format no type") << QByteArray(R"({"response_format":{}})") << format;
    QTest::newRow("response_format string") << QByteArray(R"({"response_format":"json"})")
                                            << err("response_format: expected an object");
    QTest::newRow("response_format null") << QByteArray(R"({"response_format":null})") << ok;

    // stream_options
    QTest::newRow("stream_options string")
        << QByteArray(R"({"stream_options":"x"})") << err("stream_options: expected an object");
    QTest::newRow("stream_options empty") << QByteArray(R"({"stream_options":{}})") << ok;
    QTest::newRow("include_usage string")
        << QByteArray(R"({"stream_options":{"include_usage":"yes"}})")
        << err("stream_options.include_usage: expected a boolean");
    QTest::newRow("include_usage null")
        << QByteArray(R"({"stream_options":{"include_usage":null}})") << ok;

    // tools
    const char *fn
        = R"({"type":"function","function":{"name":"f","parameters":{"type":"object"}}})";
    QTest::newRow("tools valid") << QByteArray(QByteArray(R"({"tools":[)") + fn + "," + fn + "]}")
                                 << ok;
    QTest::newRow("tools empty") << QByteArray(R"({"tools":[]})") << ok;
    QTest::newRow("tools object") << QByteArray(R"({"tools":{}})")
                                  << err("tools: expected an array");
    QTest::newRow("tools item number")
        << QByteArray(R"({"tools":[5]})") << err("tools[0]: expected an object");
    QTest::newRow("tools type") << QByteArray(R"({"tools":[{"type":"retrieval"}]})")
                                << err("tools[0].type: expected \"function\"");
    QTest::newRow("tools no function") << QByteArray(R"({"tools":[{"type":"function"}]})")
                                       << err("tools[0].function: expected an object");
    QTest::newRow("tools third name empty")
        << QByteArray(QByteArray(R"({"tools":[)") + fn + "," + fn
                      + R"(,{"type":"function","function":{"name":""}}]})")
        << err("tools[2].function.name: expected a non-empty string");
    QTest::newRow("tools name number")
        << QByteArray(R"({"tools":[{"type":"function","function":{"name":5}}]})")
        << err("tools[0].function.name: expected a non-empty string");
    QTest::newRow("tools parameters string")
        << QByteArray(R"({"tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]})")
        << err("tools[0].function.parameters: expected an object");

    // tool_choice
    QTest::newRow("tool_choice none") << QByteArray(R"({"tool_choice":"none"})") << ok;
    QTest::newRow("tool_choice auto") << QByteArray(R"({"tool_choice":"auto"})") << ok;
    QTest::newRow("tool_choice required") << QByteArray(R"({"tool_choice":"required"})") << ok;
    QTest::newRow("tool_choice function")
        << QByteArray(R"({"tool_choice":{"type":"function","function":{"name":"f"}}})") << ok;
    QTest::newRow("tool_choice always") << QByteArray(R"({"tool_choice":"always"})")
                                        << err("tool_choice: expected one of none, auto, required");
    QTest::newRow("tool_choice number")
        << QByteArray(R"({"tool_choice":1})") << err("tool_choice: expected a string or an object");
    QTest::newRow("tool_choice wrong type") << QByteArray(R"({"tool_choice":{"type":"tool"}})")
                                            << err("tool_choice.type: expected \"function\"");
    QTest::newRow("tool_choice no name")
        << QByteArray(R"({"tool_choice":{"type":"function","function":{}}})")
        << err("tool_choice.function.name: expected a non-empty string");

    // parallel_tool_calls / logit_bias
    QTest::newRow("parallel_tool_calls bool")
        << QByteArray(R"({"parallel_tool_calls":false})") << ok;
    QTest::newRow("parallel_tool_calls string") << QByteArray(R"({"parallel_tool_calls":"no"})")
                                                << err("parallel_tool_calls: expected a boolean");
    QTest::newRow("logit_bias object") << QByteArray(R"({"logit_bias":{"50256":-100}})") << ok;
    QTest::newRow("logit_bias array")
        << QByteArray(R"({"logit_bias":[]})") << err("logit_bias: expected an object");

    QTest::newRow("every optional field null") << QByteArray(
        R"({"model":null,"messages":null,"stream":null,"stream_options":null,"user":null,
                          "max_tokens":null,"max_completion_tokens":null,"temperature":null,"top_p":null,
                          "frequency_penalty":null,"presence_penalty":null,"seed":null,"stop":null,
                          "response_format":null,"tools":null,"tool_choice":null,
                          "parallel_tool_calls":null,"logit_bias":null,"n":null})")
                                               << ok;
}

void TestChatRequest::validation()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);

    ChatRequest request;
    const std::optional<QString> result = request.parse(body);
    QCOMPARE(result.value_or(QString()), error);
    QCOMPARE(result.has_value(), !error.isEmpty());
}

void TestChatRequest::emptyBodyIsEmptyObject_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("whitespace") << QByteArray(" \r\n\t ");
}

void TestChatRequest::emptyBodyIsEmptyObject()
{
    QFETCH(QByteArray, body);
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.body, QJsonObject());
    QCOMPARE(request.messages, QJsonArray());
    QCOMPARE(request.model, QString());
    QCOMPARE(request.stream, false);
    QVERIFY(!request.maxTokens.has_value());
    QVERIFY(request.passthrough.isEmpty());
}

void TestChatRequest::stream_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("includeUsage");

    QTest::newRow("true") << QByteArray(R"({"stream":true})") << true << false;
    QTest::newRow("false") << QByteArray(R"({"stream":false})") << false << false;
    QTest::newRow("absent") << QByteArray("{}") << false << false;
    QTest::newRow("null") << QByteArray(R"({"stream":null})") << false << false;
    QTest::newRow("include_usage true")
        << QByteArray(R"({"stream":true,"stream_options":{"include_usage":true}})") << true << true;
    QTest::newRow("include_usage false")
        << QByteArray(R"({"stream":true,"stream_options":{"include_usage":false}})") << true
        << false;
}

void TestChatRequest::stream()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, stream);
    QFETCH(bool, includeUsage);
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.stream, stream);
    QCOMPARE(request.includeUsage, includeUsage);
}

void TestChatRequest::maxTokens_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("expected"); // -1 = none

    QTest::newRow("absent") << QByteArray("{}") << qint64(-1);
    QTest::newRow("max_tokens") << QByteArray(R"({"max_tokens":12})") << qint64(12);
    QTest::newRow("max_tokens 5.0") << QByteArray(R"({"max_tokens":5.0})") << qint64(5);
    QTest::newRow("max_completion_tokens")
        << QByteArray(R"({"max_completion_tokens":7})") << qint64(7);
    QTest::newRow("both: completion wins")
        << QByteArray(R"({"max_tokens":12,"max_completion_tokens":7})") << qint64(7);
    QTest::newRow("completion null, legacy used")
        << QByteArray(R"({"max_tokens":12,"max_completion_tokens":null})") << qint64(12);
    QTest::newRow("large integer exact")
        << QByteArray(R"({"max_tokens":9007199254740993})") << qint64(9007199254740993LL);
}

void TestChatRequest::maxTokens()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, expected);
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.maxTokens.value_or(-1), expected);
}

void TestChatRequest::stop_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("stop");

    QTest::newRow("absent") << QByteArray("{}") << QStringList();
    QTest::newRow("string") << QByteArray(R"({"stop":"END"})")
                            << QStringList {QStringLiteral("END")};
    QTest::newRow("empty string") << QByteArray(R"({"stop":""})") << QStringList();
    QTest::newRow("array") << QByteArray(R"({"stop":["a","\n\n"]})")
                           << QStringList {QStringLiteral("a"), QStringLiteral("\n\n")};
}

void TestChatRequest::stop()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, stop);
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.stop, stop);
}

void TestChatRequest::passthrough_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("nothing to forward") << QByteArray(
        R"({"model":"openclaw","messages":[],"stream":true,"user":"u","max_tokens":3,"stop":"x","n":2})")
                                        << QByteArray("{}");
    QTest::newRow("sampling fields")
        << QByteArray(
               R"({"temperature":0.5,"top_p":1,"frequency_penalty":-1,"presence_penalty":0.25,"seed":9})")
        << QByteArray(
               R"({"temperature":0.5,"top_p":1,"frequency_penalty":-1,"presence_penalty":0.25,"seed":9})");
    QTest::newRow("tools and formats") << QByteArray(R"({"response_format":{"type":"json_object"},
                          "tools":[{"type":"function","function":{"name":"f"}}],
                          "tool_choice":"auto","parallel_tool_calls":false,"logit_bias":{"1":2}})")
                                       << QByteArray(R"({"response_format":{"type":"json_object"},
                          "tools":[{"type":"function","function":{"name":"f"}}],
                          "tool_choice":"auto","parallel_tool_calls":false,"logit_bias":{"1":2}})");
    QTest::newRow("nulls are not forwarded")
        << QByteArray(R"({"temperature":null,"tools":null,"seed":null,"tool_choice":null})")
        << QByteArray("{}");
}

void TestChatRequest::passthrough()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.passthrough, QJsonDocument::fromJson(expected).object());
}

void TestChatRequest::fieldsAndBody()
{
    const QByteArray body
        = R"({"model":"openclaw/main","user":" Alice ","messages":[{"role":"user","content":"hi"}],"extra":1})";
    ChatRequest request;
    QVERIFY(!request.parse(body).has_value());
    QCOMPARE(request.model, QStringLiteral("openclaw/main"));
    QCOMPARE(request.user, QStringLiteral(" Alice ")); // verbatim; SessionKey trims
    QCOMPARE(request.messages.size(), 1);
    QCOMPARE(request.body, QJsonDocument::fromJson(body).object());

    // A second parse starts from scratch.
    QVERIFY(!request.parse("{}").has_value());
    QCOMPARE(request.model, QString());
    QCOMPARE(request.messages, QJsonArray());
}

QTEST_GUILESS_MAIN(TestChatRequest)
#include "tst_chatrequest.moc"
