// The readable column of the request log's events view: what each kind of logged frame reads as,
// in English and in French (the catalogue built into the panel).

#include "LanguageManager.h"
#include "SseFrameSummary.h"

#include <QTest>

using namespace passerelle;

class TestSseSummary : public QObject
{
    Q_OBJECT

private slots:
    void english_data();
    void english();
    void french_data();
    void french();
};

static QByteArray sse(const QByteArray &json)
{
    return "data: " + json + "\n\n";
}

static const QByteArray kHead
    = R"({"id":"chatcmpl_x","object":"chat.completion.chunk","created":1,"model":"openclaw","choices":[{"index":0,"delta":)";

void TestSseSummary::english_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expected");
    QTest::newRow("role") << sse(kHead + R"({"role":"assistant"},"finish_reason":null}]})")
                          << QStringLiteral("role: assistant");
    QTest::newRow("content") << sse(kHead
                                    + R"({"content":"Hello\n\tworld "},"finish_reason":null}]})")
                             << QStringLiteral("Hello⏎⇥world ");
    QTest::newRow("empty delta") << sse(kHead + R"({},"finish_reason":null}]})") << QString();
    QTest::newRow("tool call name and first piece") << sse(
        kHead
        + R"({"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]},"finish_reason":null}]})")
                                                    << QStringLiteral(
                                                           "call get_weather {\"city\":");
    QTest::newRow("tool call name alone") << sse(
        kHead
        + R"({"tool_calls":[{"index":0,"function":{"name":"now","arguments":""}}]},"finish_reason":null}]})")
                                          << QStringLiteral("call now");
    QTest::newRow("tool call argument piece") << sse(
        kHead
        + R"({"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]})")
                                              << QStringLiteral("\"Paris\"}");
    QTest::newRow("second tool call") << sse(
        kHead
        + R"({"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]},"finish_reason":null}]})")
                                      << QStringLiteral("#1 {}");
    QTest::newRow("finish") << sse(kHead + R"({},"finish_reason":"stop"}]})")
                            << QStringLiteral("finish: stop");
    QTest::newRow("usage, one completion token") << sse(
        R"({"id":"x","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}})")
                                                 << QStringLiteral("usage: 12 prompt tokens + 1 "
                                                                   "completion token");
    QTest::newRow("error") << sse(
        R"({"error":{"message":"upstream provider error","type":"api_error"}})")
                           << QStringLiteral("error: upstream provider error");
    QTest::newRow("done") << QByteArray("data: [DONE]\n\n") << QStringLiteral("end of stream");
    QTest::newRow("keep-alive") << QByteArray(": keep-alive\n\n") << QStringLiteral("keep-alive");
    QTest::newRow("not JSON") << QByteArray("data: garbage\n\n") << QString();
    QTest::newRow("Responses delta") << QByteArray(
        "event: response.output_text.delta\r\ndata: "
        R"({"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"Bon"})"
        "\r\n\r\n") << QStringLiteral("Bon");
    QTest::newRow("Responses created")
        << QByteArray("event: response.created\ndata: "
                      R"({"type":"response.created","response":{"id":"resp_1"}})"
                      "\n\n")
        << QString();
    QTest::newRow("event line alone") << QByteArray("event: ping\n\n") << QString();
    QTest::newRow("Messages text delta") << QByteArray(
        "event: content_block_delta\ndata: "
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})"
        "\n\n") << QStringLiteral("Hi");
    QTest::newRow("Messages tool input") << QByteArray(
        "event: content_block_delta\ndata: "
        R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}})"
        "\n\n") << QStringLiteral("{\"a\"");
    QTest::newRow("type without event line")
        << sse(R"({"type":"message_stop"})") << QStringLiteral("message_stop");
    QTest::newRow("WebSocket chat delta") << QByteArray(
        R"({"type":"event","event":"chat","payload":{"deltaText":"Sal","runId":"r","seq":2,"state":"delta"}})")
                                          << QStringLiteral("chat delta: Sal");
    QTest::newRow("WebSocket agent text") << QByteArray(
        R"({"type":"event","event":"agent","payload":{"stream":"assistant","data":{"text":"Salut","delta":"ut"}}})")
                                          << QStringLiteral("agent assistant: ut");
    QTest::newRow("WebSocket agent end") << QByteArray(
        R"({"type":"event","event":"agent","payload":{"stream":"lifecycle","data":{"phase":"end"}}})")
                                         << QStringLiteral("agent lifecycle end");
    QTest::newRow("WebSocket response")
        << QByteArray(R"({"type":"res","id":"1","ok":true,"payload":{}})")
        << QStringLiteral("response: ok");
    QTest::newRow("WebSocket error response") << QByteArray(
        R"({"type":"res","id":"1","ok":false,"error":{"code":"UNAVAILABLE","message":"no upstream"}})")
                                              << QStringLiteral("error: no upstream");
}

// The current row's frame reads as its expected text in `language`.
static void compareIn(const QString &language)
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expected);
    LanguageManager lang;
    QVERIFY(lang.setLanguage(language));
    QCOMPARE(SseFrameSummary::text(frame), expected);
    QVERIFY(lang.setLanguage(QStringLiteral("en")));
}

void TestSseSummary::english()
{
    compareIn(QStringLiteral("en"));
}

void TestSseSummary::french_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expected");
    QTest::newRow("role") << sse(kHead + R"({"role":"assistant"},"finish_reason":null}]})")
                          << QStringLiteral("rôle\u00a0: assistant");
    QTest::newRow("tool call") << sse(
        kHead
        + R"({"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{"}}]},"finish_reason":null}]})")
                               << QStringLiteral("appel de f {");
    QTest::newRow("usage, one of each")
        << sse(R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}})")
        << QStringLiteral("usage\u00a0: 1 jeton de prompt + 1 jeton de réponse");
    QTest::newRow("usage, several")
        << sse(R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3}})")
        << QStringLiteral("usage\u00a0: 12 jetons de prompt + 3 jetons de réponse");
    QTest::newRow("done") << QByteArray("data: [DONE]\n\n") << QStringLiteral("fin du flux");
}

void TestSseSummary::french()
{
    compareIn(QStringLiteral("fr"));
}

QTEST_MAIN(TestSseSummary)
#include "tst_ui_ssesummary.moc"
