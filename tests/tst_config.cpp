// GatewayConfig: the default of every key, each key read from a JSON5 document, the documented
// errors for wrong types, writing back into the document (unknown keys kept), first run, every
// startup check of SPEC section 2, and the bounds the key table adds to them.

#include "config/GatewayConfig.h"
#include "config/Json5.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace passerelle;

namespace {

QJsonObject parse(const QByteArray &json5)
{
    Json5Error error;
    const QJsonValue v = Json5::parse(json5, &error);
    if (error.isError() || !v.isObject())
        qFatal("bad JSON5 in the test data (%s): %s", qPrintable(error.toString()),
               json5.constData());
    return v.toObject();
}

GatewayConfig load(const QByteArray &json5, QStringList *errors = nullptr)
{
    return GatewayConfig::fromJson(parse(json5), errors);
}

QByteArray dump(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString authModeName(AuthMode m)
{
    switch (m) {
    case AuthMode::Token:
        return QStringLiteral("token");
    case AuthMode::Password:
        return QStringLiteral("password");
    case AuthMode::None:
        return QStringLiteral("none");
    }
    return QString();
}

QString bindModeName(BindMode m)
{
    switch (m) {
    case BindMode::Loopback:
        return QStringLiteral("loopback");
    case BindMode::Lan:
        return QStringLiteral("lan");
    case BindMode::Custom:
        return QStringLiteral("custom");
    }
    return QString();
}

// One scalar field of the config by its key path, so rows can name what they check.
QVariant field(const GatewayConfig &c, const QString &key)
{
    const QHash<QString, QVariant> fields {
        {QStringLiteral("gateway.port"), c.port},
        {QStringLiteral("gateway.bind"), bindModeName(c.bind)},
        {QStringLiteral("gateway.customBindHost"), c.customBindHost},
        {QStringLiteral("gateway.auth.mode"), authModeName(c.auth.mode)},
        {QStringLiteral("modeExplicit"), c.auth.modeExplicit},
        {QStringLiteral("gateway.auth.token"), c.auth.token},
        {QStringLiteral("gateway.auth.password"), c.auth.password},
        {QStringLiteral("gateway.auth.tokens.size"), c.auth.tokens.size()},
        {QStringLiteral("gateway.auth.rateLimit.maxAttempts"), c.auth.rateLimit.maxAttempts},
        {QStringLiteral("gateway.auth.rateLimit.windowMs"), c.auth.rateLimit.windowMs},
        {QStringLiteral("gateway.auth.rateLimit.lockoutMs"), c.auth.rateLimit.lockoutMs},
        {QStringLiteral("gateway.auth.rateLimit.exemptLoopback"), c.auth.rateLimit.exemptLoopback},
        {QStringLiteral("gateway.http.endpoints.chatCompletions.enabled"),
         c.chatCompletionsEnabled},
        {QStringLiteral("gateway.http.endpoints.chatCompletions.maxBodyBytes"), c.maxBodyBytes},
        {QStringLiteral("gateway.http.endpoints.responses.enabled"), c.responsesEnabled},
        {QStringLiteral("gateway.http.endpoints.responses.maxBodyBytes"), c.responsesMaxBodyBytes},
        {QStringLiteral("passerelle.responses.maxStored"), c.responsesMaxStored},
        {QStringLiteral("gateway.http.cors.allowedOrigins"), c.corsOrigins},
        {QStringLiteral("agents.ids"),
         [&c] {
             QStringList ids;
             for (const AgentConfig &a : c.agents)
                 ids.append(a.id);
             return ids;
         }()},
        {QStringLiteral("agents.primaries"),
         [&c] {
             QStringList models;
             for (const AgentConfig &a : c.agents)
                 models.append(a.primary);
             return models;
         }()},
        {QStringLiteral("models.providers"), QStringList(c.providers.keys())},
        {QStringLiteral("passerelle.sessions.historyMessages"), c.sessionHistoryMessages},
        {QStringLiteral("passerelle.http.keepAliveMs"), c.keepAliveMs},
        {QStringLiteral("passerelle.ws.handshakeTimeoutMs"), c.wsHandshakeTimeoutMs},
        {QStringLiteral("passerelle.ws.tickIntervalMs"), c.wsTickIntervalMs},
        {QStringLiteral("passerelle.ui.language"), c.uiLanguage},
        {QStringLiteral("passerelle.ui.startMinimized"), c.startMinimized},
    };
    if (!fields.contains(key))
        qFatal("unknown field in the test data: %s", qPrintable(key));
    return fields.value(key);
}

// Compares as the user sees it: numbers of any width as numbers.
bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.canConvert<qlonglong>() && b.canConvert<qlonglong>() && a.typeId() != QMetaType::QString
        && b.typeId() != QMetaType::QString && a.typeId() != QMetaType::Bool
        && b.typeId() != QMetaType::Bool && a.typeId() != QMetaType::QStringList)
        return a.toLongLong() == b.toLongLong();
    return a == b;
}

QString show(const QVariant &v)
{
    if (v.typeId() == QMetaType::QStringList)
        return QLatin1Char('[') + v.toStringList().join(QLatin1Char(',')) + QLatin1Char(']');
    return v.toString();
}

const QString withToken = QStringLiteral("gateway: {auth: {token: 't'}}");

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults_data();
    void defaults();
    void keys_data();
    void keys();
    void wrongTypes_data();
    void wrongTypes();
    void agentModels_data();
    void agentModels();
    void agentFields();
    void defaultAgentModelFromAgentsDefaults();
    void providers();
    void echoAlwaysPresent_data();
    void echoAlwaysPresent();
    void namedTokens();
    void implicitAuthMode_data();
    void implicitAuthMode();
    void documentIsKept();

    void toJsonOfDefaultsIsEmpty();
    void toJsonWritesOnlyChanges_data();
    void toJsonWritesOnlyChanges();
    void toJsonKeepsUnknownKeys();
    void toJsonIsStableOnAFullDocument();
    void toJsonRoundTrip();
    void toJsonModelForm_data();
    void toJsonModelForm();
    void toJsonEchoProvider();
    void toJsonTokens();
    void toJsonAuthMode();
    void toJsonDropsComments();

    void firstRun();
    void messagesKeysAndModelAliases();
    void startupError_data();
    void startupError();

    void providerAdmission_data();
    void providerAdmission();
    void toJsonAdmissionAndWsKeys();
    void startupErrorBounds_data();
    void startupErrorBounds();
    void splitModelRef_data();
    void splitModelRef();
    void authModeNames();
    void defaultsOfTheStructs();
};

void TestConfig::defaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("port") << QStringLiteral("gateway.port") << QVariant(18789);
    QTest::newRow("bind") << QStringLiteral("gateway.bind") << QVariant(QStringLiteral("loopback"));
    QTest::newRow("customBindHost")
        << QStringLiteral("gateway.customBindHost") << QVariant(QString());
    QTest::newRow("auth mode") << QStringLiteral("gateway.auth.mode")
                               << QVariant(QStringLiteral("token"));
    QTest::newRow("auth mode not explicit") << QStringLiteral("modeExplicit") << QVariant(false);
    QTest::newRow("token") << QStringLiteral("gateway.auth.token") << QVariant(QString());
    QTest::newRow("password") << QStringLiteral("gateway.auth.password") << QVariant(QString());
    QTest::newRow("named tokens") << QStringLiteral("gateway.auth.tokens.size") << QVariant(0);
    QTest::newRow("maxAttempts") << QStringLiteral("gateway.auth.rateLimit.maxAttempts")
                                 << QVariant(10);
    QTest::newRow("windowMs") << QStringLiteral("gateway.auth.rateLimit.windowMs")
                              << QVariant(60000);
    QTest::newRow("lockoutMs") << QStringLiteral("gateway.auth.rateLimit.lockoutMs")
                               << QVariant(300000);
    QTest::newRow("exemptLoopback")
        << QStringLiteral("gateway.auth.rateLimit.exemptLoopback") << QVariant(true);
    QTest::newRow("chat completions off")
        << QStringLiteral("gateway.http.endpoints.chatCompletions.enabled") << QVariant(false);
    QTest::newRow("maxBodyBytes") << QStringLiteral(
        "gateway.http.endpoints.chatCompletions.maxBodyBytes")
                                  << QVariant(20971520);
    QTest::newRow("responses off")
        << QStringLiteral("gateway.http.endpoints.responses.enabled") << QVariant(false);
    QTest::newRow("responses maxBodyBytes")
        << QStringLiteral("gateway.http.endpoints.responses.maxBodyBytes") << QVariant(20971520);
    QTest::newRow("responses maxStored")
        << QStringLiteral("passerelle.responses.maxStored") << QVariant(10000);
    QTest::newRow("cors") << QStringLiteral("gateway.http.cors.allowedOrigins")
                          << QVariant(QStringList());
    QTest::newRow("agent main") << QStringLiteral("agents.ids")
                                << QVariant(QStringList {QStringLiteral("main")});
    QTest::newRow("agent on echo") << QStringLiteral("agents.primaries")
                                   << QVariant(QStringList {QStringLiteral("echo/echo")});
    QTest::newRow("echo provider")
        << QStringLiteral("models.providers") << QVariant(QStringList {QStringLiteral("echo")});
    QTest::newRow("historyMessages")
        << QStringLiteral("passerelle.sessions.historyMessages") << QVariant(40);
    QTest::newRow("keepAliveMs") << QStringLiteral("passerelle.http.keepAliveMs")
                                 << QVariant(15000);
    QTest::newRow("language") << QStringLiteral("passerelle.ui.language") << QVariant(QString());
    QTest::newRow("startMinimized")
        << QStringLiteral("passerelle.ui.startMinimized") << QVariant(false);
    QTest::newRow("ws handshake timeout")
        << QStringLiteral("passerelle.ws.handshakeTimeoutMs") << QVariant(10000);
    QTest::newRow("ws tick interval")
        << QStringLiteral("passerelle.ws.tickIntervalMs") << QVariant(15000);
}

void TestConfig::defaults()
{
    QFETCH(QString, key);
    QFETCH(QVariant, expected);

    QStringList errors;
    const GatewayConfig c = GatewayConfig::fromJson(QJsonObject(), &errors);
    QCOMPARE(errors, QStringList());
    const QVariant actual = field(c, key);
    QVERIFY2(sameValue(actual, expected),
             qPrintable(show(actual) + QStringLiteral(" != ") + show(expected)));
}

void TestConfig::keys_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("port") << QByteArray("{gateway: {port: 8080}}") << QStringLiteral("gateway.port")
                          << QVariant(8080);
    QTest::newRow("port in hex") << QByteArray("{gateway: {port: 0x1F90}}")
                                 << QStringLiteral("gateway.port") << QVariant(8080);
    QTest::newRow("bind lan") << QByteArray("{gateway: {bind: 'lan'}}")
                              << QStringLiteral("gateway.bind") << QVariant(QStringLiteral("lan"));
    QTest::newRow("bind custom") << QByteArray("{gateway: {bind: 'custom'}}")
                                 << QStringLiteral("gateway.bind")
                                 << QVariant(QStringLiteral("custom"));
    QTest::newRow("customBindHost")
        << QByteArray("{gateway: {customBindHost: '10.0.0.2'}}")
        << QStringLiteral("gateway.customBindHost") << QVariant(QStringLiteral("10.0.0.2"));
    QTest::newRow("mode password")
        << QByteArray("{gateway: {auth: {mode: 'password'}}}")
        << QStringLiteral("gateway.auth.mode") << QVariant(QStringLiteral("password"));
    QTest::newRow("mode none") << QByteArray("{gateway: {auth: {mode: 'none'}}}")
                               << QStringLiteral("gateway.auth.mode")
                               << QVariant(QStringLiteral("none"));
    QTest::newRow("mode is explicit") << QByteArray("{gateway: {auth: {mode: 'token'}}}")
                                      << QStringLiteral("modeExplicit") << QVariant(true);
    QTest::newRow("token") << QByteArray("{gateway: {auth: {token: 'secret-1'}}}")
                           << QStringLiteral("gateway.auth.token")
                           << QVariant(QStringLiteral("secret-1"));
    QTest::newRow("password") << QByteArray("{gateway: {auth: {password: 'pw'}}}")
                              << QStringLiteral("gateway.auth.password")
                              << QVariant(QStringLiteral("pw"));
    QTest::newRow("maxAttempts") << QByteArray("{gateway: {auth: {rateLimit: {maxAttempts: 3}}}}")
                                 << QStringLiteral("gateway.auth.rateLimit.maxAttempts")
                                 << QVariant(3);
    QTest::newRow("windowMs") << QByteArray("{gateway: {auth: {rateLimit: {windowMs: 1000}}}}")
                              << QStringLiteral("gateway.auth.rateLimit.windowMs")
                              << QVariant(1000);
    QTest::newRow("lockoutMs") << QByteArray("{gateway: {auth: {rateLimit: {lockoutMs: 0}}}}")
                               << QStringLiteral("gateway.auth.rateLimit.lockoutMs") << QVariant(0);
    QTest::newRow("exemptLoopback")
        << QByteArray("{gateway: {auth: {rateLimit: {exemptLoopback: false}}}}")
        << QStringLiteral("gateway.auth.rateLimit.exemptLoopback") << QVariant(false);
    QTest::newRow("chat completions on")
        << QByteArray("{gateway: {http: {endpoints: {chatCompletions: {enabled: true}}}}}")
        << QStringLiteral("gateway.http.endpoints.chatCompletions.enabled") << QVariant(true);
    QTest::newRow("maxBodyBytes")
        << QByteArray("{gateway: {http: {endpoints: {chatCompletions: {maxBodyBytes: 1024}}}}}")
        << QStringLiteral("gateway.http.endpoints.chatCompletions.maxBodyBytes") << QVariant(1024);
    QTest::newRow("maxBodyBytes beyond 32 bits")
        << QByteArray(
               "{gateway: {http: {endpoints: {chatCompletions: {maxBodyBytes: 8589934592}}}}}")
        << QStringLiteral("gateway.http.endpoints.chatCompletions.maxBodyBytes")
        << QVariant(qint64(8589934592LL));
    QTest::newRow("cors")
        << QByteArray("{gateway: {http: {cors: {allowedOrigins: ['http://a', 'http://b']}}}}")
        << QStringLiteral("gateway.http.cors.allowedOrigins")
        << QVariant(QStringList {QStringLiteral("http://a"), QStringLiteral("http://b")});
    QTest::newRow("agents ids lower-cased")
        << QByteArray("{agents: {list: [{id: 'Main'}, {id: 'CODER', model: 'echo/x'}]}}")
        << QStringLiteral("agents.ids")
        << QVariant(QStringList {QStringLiteral("main"), QStringLiteral("coder")});
    QTest::newRow("empty agents list means main")
        << QByteArray("{agents: {list: []}}") << QStringLiteral("agents.ids")
        << QVariant(QStringList {QStringLiteral("main")});
    QTest::newRow("agent without a model is on echo")
        << QByteArray("{agents: {list: [{id: 'a'}]}}") << QStringLiteral("agents.primaries")
        << QVariant(QStringList {QStringLiteral("echo/echo")});
    QTest::newRow("responses on") << QByteArray(
        "{gateway: {http: {endpoints: {responses: {enabled: true}}}}}")
                                  << QStringLiteral("gateway.http.endpoints.responses.enabled")
                                  << QVariant(true);
    QTest::newRow("responses maxBodyBytes")
        << QByteArray("{gateway: {http: {endpoints: {responses: {maxBodyBytes: 1024}}}}}")
        << QStringLiteral("gateway.http.endpoints.responses.maxBodyBytes") << QVariant(1024);
    QTest::newRow("responses maxStored")
        << QByteArray("{passerelle: {responses: {maxStored: 3}}}")
        << QStringLiteral("passerelle.responses.maxStored") << QVariant(3);
    QTest::newRow("historyMessages")
        << QByteArray("{passerelle: {sessions: {historyMessages: 0}}}")
        << QStringLiteral("passerelle.sessions.historyMessages") << QVariant(0);
    QTest::newRow("keepAliveMs") << QByteArray("{passerelle: {http: {keepAliveMs: 500}}}")
                                 << QStringLiteral("passerelle.http.keepAliveMs") << QVariant(500);
    QTest::newRow("language") << QByteArray("{passerelle: {ui: {language: 'fr'}}}")
                              << QStringLiteral("passerelle.ui.language")
                              << QVariant(QStringLiteral("fr"));
    QTest::newRow("startMinimized")
        << QByteArray("{passerelle: {ui: {startMinimized: true}}}")
        << QStringLiteral("passerelle.ui.startMinimized") << QVariant(true);
    QTest::newRow("ws handshake timeout")
        << QByteArray("{passerelle: {ws: {handshakeTimeoutMs: 2500}}}")
        << QStringLiteral("passerelle.ws.handshakeTimeoutMs") << QVariant(2500);
    QTest::newRow("ws tick interval")
        << QByteArray("{passerelle: {ws: {tickIntervalMs: 1}}}")
        << QStringLiteral("passerelle.ws.tickIntervalMs") << QVariant(1);
}

void TestConfig::keys()
{
    QFETCH(QByteArray, json5);
    QFETCH(QString, key);
    QFETCH(QVariant, expected);

    QStringList errors;
    const GatewayConfig c = load(json5, &errors);
    QCOMPARE(errors, QStringList());
    const QVariant actual = field(c, key);
    QVERIFY2(sameValue(actual, expected),
             qPrintable(show(actual) + QStringLiteral(" != ") + show(expected)));
}

void TestConfig::wrongTypes_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<QString>("key"); // a field that must keep its default
    QTest::addColumn<QVariant>("expected");

    const auto row = [](const char *name, const char *json5, const QString &error,
                        const QString &key, const QVariant &expected) {
        QTest::newRow(name) << QByteArray(json5) << QStringList {error} << key << expected;
    };
    row("port as string", "{gateway: {port: '80'}}",
        QStringLiteral("gateway.port: expected an integer"), QStringLiteral("gateway.port"), 18789);
    row("port with a fraction", "{gateway: {port: 80.5}}",
        QStringLiteral("gateway.port: expected an integer"), QStringLiteral("gateway.port"), 18789);
    row("gateway not an object", "{gateway: 5}", QStringLiteral("gateway: expected an object"),
        QStringLiteral("gateway.port"), 18789);
    row("unknown bind", "{gateway: {bind: 'tailnet'}}",
        QStringLiteral("gateway.bind: expected \"loopback\", \"lan\" or \"custom\""),
        QStringLiteral("gateway.bind"), QStringLiteral("loopback"));
    row("bind not a string", "{gateway: {bind: true}}",
        QStringLiteral("gateway.bind: expected \"loopback\", \"lan\" or \"custom\""),
        QStringLiteral("gateway.bind"), QStringLiteral("loopback"));
    row("customBindHost", "{gateway: {customBindHost: 127}}",
        QStringLiteral("gateway.customBindHost: expected a string"),
        QStringLiteral("gateway.customBindHost"), QString());
    row("auth not an object", "{gateway: {auth: []}}",
        QStringLiteral("gateway.auth: expected an object"), QStringLiteral("gateway.auth.mode"),
        QStringLiteral("token"));
    row("unknown mode", "{gateway: {auth: {mode: 'trusted-proxy'}}}",
        QStringLiteral("gateway.auth.mode: expected \"token\", \"password\" or \"none\""),
        QStringLiteral("modeExplicit"), false);
    row("token as number", "{gateway: {auth: {token: 123}}}",
        QStringLiteral("gateway.auth.token: expected a string"),
        QStringLiteral("gateway.auth.token"), QString());
    row("password as null", "{gateway: {auth: {password: null}}}",
        QStringLiteral("gateway.auth.password: expected a string"),
        QStringLiteral("gateway.auth.password"), QString());
    row("tokens not an array", "{gateway: {auth: {tokens: {}}}}",
        QStringLiteral("gateway.auth.tokens: expected an array"),
        QStringLiteral("gateway.auth.tokens.size"), 0);
    row("token entry not an object", "{gateway: {auth: {tokens: ['x']}}}",
        QStringLiteral("gateway.auth.tokens[0]: expected an object"),
        QStringLiteral("gateway.auth.tokens.size"), 0);
    row("token with a bad hash", "{gateway: {auth: {tokens: [{name: 'ci', sha256: 'abc'}]}}}",
        QStringLiteral("gateway.auth.tokens[0].sha256: expected 64 hex characters"),
        QStringLiteral("gateway.auth.tokens.size"), 0);
    row("maxAttempts zero", "{gateway: {auth: {rateLimit: {maxAttempts: 0}}}}",
        QStringLiteral("gateway.auth.rateLimit.maxAttempts: expected a positive integer"),
        QStringLiteral("gateway.auth.rateLimit.maxAttempts"), 10);
    row("windowMs string", "{gateway: {auth: {rateLimit: {windowMs: '1m'}}}}",
        QStringLiteral("gateway.auth.rateLimit.windowMs: expected a positive integer"),
        QStringLiteral("gateway.auth.rateLimit.windowMs"), 60000);
    row("lockoutMs negative", "{gateway: {auth: {rateLimit: {lockoutMs: -1}}}}",
        QStringLiteral("gateway.auth.rateLimit.lockoutMs: expected a non-negative integer"),
        QStringLiteral("gateway.auth.rateLimit.lockoutMs"), 300000);
    row("exemptLoopback string", "{gateway: {auth: {rateLimit: {exemptLoopback: 'yes'}}}}",
        QStringLiteral("gateway.auth.rateLimit.exemptLoopback: expected a boolean"),
        QStringLiteral("gateway.auth.rateLimit.exemptLoopback"), true);
    row("enabled as string", "{gateway: {http: {endpoints: {chatCompletions: {enabled: 'true'}}}}}",
        QStringLiteral("gateway.http.endpoints.chatCompletions.enabled: expected a boolean"),
        QStringLiteral("gateway.http.endpoints.chatCompletions.enabled"), false);
    row("enabled as number", "{gateway: {http: {endpoints: {chatCompletions: {enabled: 1}}}}}",
        QStringLiteral("gateway.http.endpoints.chatCompletions.enabled: expected a boolean"),
        QStringLiteral("gateway.http.endpoints.chatCompletions.enabled"), false);
    row("maxBodyBytes zero", "{gateway: {http: {endpoints: {chatCompletions: {maxBodyBytes: 0}}}}}",
        QStringLiteral("gateway.http.endpoints.chatCompletions.maxBodyBytes: expected a positive "
                       "integer"),
        QStringLiteral("gateway.http.endpoints.chatCompletions.maxBodyBytes"), 20971520);
    row("endpoints not an object", "{gateway: {http: {endpoints: 'all'}}}",
        QStringLiteral("gateway.http.endpoints: expected an object"),
        QStringLiteral("gateway.http.endpoints.chatCompletions.enabled"), false);
    row("cors not an array", "{gateway: {http: {cors: {allowedOrigins: 'http://a'}}}}",
        QStringLiteral("gateway.http.cors.allowedOrigins: expected an array"),
        QStringLiteral("gateway.http.cors.allowedOrigins"), QStringList());
    row("cors entry not a string", "{gateway: {http: {cors: {allowedOrigins: ['http://a', 1]}}}}",
        QStringLiteral("gateway.http.cors.allowedOrigins[1]: expected a string"),
        QStringLiteral("gateway.http.cors.allowedOrigins"), QStringList());
    row("agents list not an array", "{agents: {list: {id: 'a'}}}",
        QStringLiteral("agents.list: expected an array"), QStringLiteral("agents.ids"),
        QStringList {QStringLiteral("main")});
    row("agent not an object", "{agents: {list: ['a']}}",
        QStringLiteral("agents.list[0]: expected an object"), QStringLiteral("agents.ids"),
        QStringList {QStringLiteral("main")});
    row("agent without id", "{agents: {list: [{name: 'A'}]}}",
        QStringLiteral("agents.list[0].id: expected a string"), QStringLiteral("agents.ids"),
        QStringList {QStringLiteral("main")});
    row("agent model as number", "{agents: {list: [{id: 'a', model: 4}]}}",
        QStringLiteral("agents.list[0].model: expected a string or an object"),
        QStringLiteral("agents.primaries"), QStringList {QStringLiteral("echo/echo")});
    row("agent fallbacks not strings",
        "{agents: {list: [{id: 'a', model: {primary: 'echo/a', fallbacks: [1]}}]}}",
        QStringLiteral("agents.list[0].model.fallbacks[0]: expected a string"),
        QStringLiteral("agents.primaries"), QStringList {QStringLiteral("echo/a")});
    row("agent default as string", "{agents: {list: [{id: 'a', default: 'yes'}]}}",
        QStringLiteral("agents.list[0].default: expected a boolean"), QStringLiteral("agents.ids"),
        QStringList {QStringLiteral("a")});
    row("providers not an object", "{models: {providers: []}}",
        QStringLiteral("models.providers: expected an object"), QStringLiteral("models.providers"),
        QStringList {QStringLiteral("echo")});
    row("provider not an object", "{models: {providers: {openai: 'x'}}}",
        QStringLiteral("models.providers.openai: expected an object"),
        QStringLiteral("models.providers"), QStringList {QStringLiteral("echo")});
    row("provider api not supported",
        "{models: {providers: {claude: {api: 'anthropic-messages', baseUrl: 'https://x'}}}}",
        QStringLiteral("models.providers.claude.api: expected \"openai-completions\" or \"echo\""),
        QStringLiteral("models.providers"),
        QStringList {QStringLiteral("claude"), QStringLiteral("echo")});
    row("provider header not a string", "{models: {providers: {o: {headers: {'X-A': 1}}}}}",
        QStringLiteral("models.providers.o.headers.X-A: expected a string"),
        QStringLiteral("models.providers"),
        QStringList {QStringLiteral("echo"), QStringLiteral("o")});
    row("provider timeout as string", "{models: {providers: {o: {timeoutMs: '10s'}}}}",
        QStringLiteral("models.providers.o.timeoutMs: expected a positive integer"),
        QStringLiteral("models.providers"),
        QStringList {QStringLiteral("echo"), QStringLiteral("o")});
    row("provider model without id", "{models: {providers: {o: {models: [{name: 'x'}]}}}}",
        QStringLiteral("models.providers.o.models[0].id: expected a string"),
        QStringLiteral("models.providers"),
        QStringList {QStringLiteral("echo"), QStringLiteral("o")});
    row("echo chunkDelayMs negative", "{models: {providers: {echo: {chunkDelayMs: -5}}}}",
        QStringLiteral("models.providers.echo.chunkDelayMs: expected a non-negative integer"),
        QStringLiteral("models.providers"), QStringList {QStringLiteral("echo")});
    row("historyMessages negative", "{passerelle: {sessions: {historyMessages: -1}}}",
        QStringLiteral("passerelle.sessions.historyMessages: expected a non-negative integer"),
        QStringLiteral("passerelle.sessions.historyMessages"), 40);
    row("keepAliveMs zero", "{passerelle: {http: {keepAliveMs: 0}}}",
        QStringLiteral("passerelle.http.keepAliveMs: expected a positive integer"),
        QStringLiteral("passerelle.http.keepAliveMs"), 15000);
    row("language as number", "{passerelle: {ui: {language: 1}}}",
        QStringLiteral("passerelle.ui.language: expected a string"),
        QStringLiteral("passerelle.ui.language"), QString());
    row("startMinimized as string", "{passerelle: {ui: {startMinimized: 'no'}}}",
        QStringLiteral("passerelle.ui.startMinimized: expected a boolean"),
        QStringLiteral("passerelle.ui.startMinimized"), false);
    row("ws handshake timeout zero", "{passerelle: {ws: {handshakeTimeoutMs: 0}}}",
        QStringLiteral("passerelle.ws.handshakeTimeoutMs: expected a positive integer"),
        QStringLiteral("passerelle.ws.handshakeTimeoutMs"), 10000);
    row("ws tick interval as string", "{passerelle: {ws: {tickIntervalMs: '15s'}}}",
        QStringLiteral("passerelle.ws.tickIntervalMs: expected a positive integer"),
        QStringLiteral("passerelle.ws.tickIntervalMs"), 15000);
    row("ws not an object", "{passerelle: {ws: true}}",
        QStringLiteral("passerelle.ws: expected an object"),
        QStringLiteral("passerelle.ws.tickIntervalMs"), 15000);
    row("provider maxConcurrent negative", "{models: {providers: {o: {maxConcurrent: -1}}}}",
        QStringLiteral("models.providers.o.maxConcurrent: expected a non-negative integer"),
        QStringLiteral("models.providers"),
        QStringList {QStringLiteral("echo"), QStringLiteral("o")});
    row("echo maxQueue fractional", "{models: {providers: {echo: {maxQueue: 1.5}}}}",
        QStringLiteral("models.providers.echo.maxQueue: expected a non-negative integer"),
        QStringLiteral("models.providers"), QStringList {QStringLiteral("echo")});

    QTest::newRow("several errors at once")
        << QByteArray("{gateway: {port: 'x', auth: {token: 1}}, passerelle: {ui: 2}}")
        << QStringList {QStringLiteral("gateway.port: expected an integer"),
                        QStringLiteral("gateway.auth.token: expected a string"),
                        QStringLiteral("passerelle.ui: expected an object")}
        << QStringLiteral("gateway.port") << QVariant(18789);
}

void TestConfig::wrongTypes()
{
    QFETCH(QByteArray, json5);
    QFETCH(QStringList, errors);
    QFETCH(QString, key);
    QFETCH(QVariant, expected);

    QStringList actualErrors;
    const GatewayConfig c = load(json5, &actualErrors);
    QCOMPARE(actualErrors, errors);
    const QVariant actual = field(c, key);
    QVERIFY2(sameValue(actual, expected),
             qPrintable(show(actual) + QStringLiteral(" != ") + show(expected)));
}

void TestConfig::agentModels_data()
{
    QTest::addColumn<QByteArray>("model"); // JSON5 value of agents.list[0].model
    QTest::addColumn<QString>("primary");
    QTest::addColumn<QStringList>("fallbacks");

    QTest::newRow("string") << QByteArray("'openai/gpt-4o'") << QStringLiteral("openai/gpt-4o")
                            << QStringList();
    QTest::newRow("model id with slashes")
        << QByteArray("'openrouter/meta/llama-3'") << QStringLiteral("openrouter/meta/llama-3")
        << QStringList();
    QTest::newRow("object with primary only")
        << QByteArray("{primary: 'echo/echo'}") << QStringLiteral("echo/echo") << QStringList();
    QTest::newRow("object with fallbacks")
        << QByteArray("{primary: 'openai/gpt-4o', fallbacks: ['openai/gpt-4o-mini', 'echo/echo']}")
        << QStringLiteral("openai/gpt-4o")
        << QStringList {QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("echo/echo")};
    QTest::newRow("object without primary") << QByteArray("{fallbacks: ['echo/echo']}") << QString()
                                            << QStringList {QStringLiteral("echo/echo")};
}

void TestConfig::agentModels()
{
    QFETCH(QByteArray, model);
    QFETCH(QString, primary);
    QFETCH(QStringList, fallbacks);

    QStringList errors;
    const GatewayConfig c = load("{agents: {list: [{id: 'a', model: " + model + "}]}}", &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.agents.size(), 1);
    QCOMPARE(c.agents.at(0).primary, primary);
    QCOMPARE(c.agents.at(0).fallbacks, fallbacks);
    QCOMPARE(c.agents.at(0).modelChain(), QStringList {primary} + fallbacks);
}

void TestConfig::agentFields()
{
    QStringList errors;
    const GatewayConfig c = load("{agents: {list: ["
                                 "  {id: 'Main', name: 'Main agent', model: 'echo/echo'},"
                                 "  {id: 'coder', default: true, model: 'echo/echo',"
                                 "   systemPrompt: 'You write code.'},"
                                 "  {id: 'other', default: true, model: 'echo/echo'},"
                                 "]}}",
                                 &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.agents.size(), 3);
    QCOMPARE(c.agents.at(0).id, QStringLiteral("main"));
    QCOMPARE(c.agents.at(0).name, QStringLiteral("Main agent"));
    QCOMPARE(c.agents.at(0).isDefault, false);
    QCOMPARE(c.agents.at(1).systemPrompt, QStringLiteral("You write code."));
    QCOMPARE(c.agents.at(2).name, QString());
    // the first agent marked default wins
    QCOMPARE(c.defaultAgent()->id, QStringLiteral("coder"));
    QCOMPARE(c.findAgent(QStringLiteral("main"))->name, QStringLiteral("Main agent"));

    const GatewayConfig implicit = GatewayConfig::fromJson(QJsonObject());
    QCOMPARE(implicit.agents.size(), 1);
    const AgentConfig &main = implicit.agents.at(0);
    QCOMPARE(main.id, QStringLiteral("main"));
    QCOMPARE(main.name, QStringLiteral("Main"));
    QCOMPARE(main.isDefault, true);
    QCOMPARE(main.primary, QStringLiteral("echo/echo"));
    QCOMPARE(main.fallbacks, QStringList());
}

void TestConfig::defaultAgentModelFromAgentsDefaults()
{
    // OpenClaw's agents.defaults.model applies to agents that name no model
    QStringList errors;
    const GatewayConfig c = load("{agents: {defaults: {model: {primary: 'slow/echo', "
                                 "fallbacks: ['echo/echo']}},"
                                 " list: [{id: 'a'}, {id: 'b', model: 'echo/b'}]},"
                                 " models: {providers: {slow: {api: 'echo'}}}}",
                                 &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.agents.at(0).primary, QStringLiteral("slow/echo"));
    QCOMPARE(c.agents.at(0).fallbacks, QStringList {QStringLiteral("echo/echo")});
    QCOMPARE(c.agents.at(1).primary, QStringLiteral("echo/b"));
    QCOMPARE(c.agents.at(1).fallbacks, QStringList());

    const GatewayConfig implicit = load("{agents: {defaults: {model: 'slow/echo'}}}", &errors);
    QCOMPARE(implicit.agents.at(0).id, QStringLiteral("main"));
    QCOMPARE(implicit.agents.at(0).primary, QStringLiteral("slow/echo"));
}

void TestConfig::providers()
{
    QStringList errors;
    const GatewayConfig c = load(R"({models: {providers: {
        openai: {
            api: 'openai-completions', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x',
            models: [{id: 'gpt-4o', name: 'GPT-4o', contextWindow: 128000}, {id: 'gpt-4o-mini'}],
            headers: {'X-Org': 'acme'},
            connectTimeoutMs: 5000, timeoutMs: 90000, idleTimeoutMs: 30000,
        },
        local: {baseUrl: 'http://127.0.0.1:11434/v1'},
        slow: {api: 'echo', chunkDelayMs: 200},
    }}})",
                                 &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.providers.keys(),
             (QStringList {QStringLiteral("echo"), QStringLiteral("local"),
                           QStringLiteral("openai"), QStringLiteral("slow")}));

    const ProviderConfig *openai = c.findProvider(QStringLiteral("openai"));
    QVERIFY(openai);
    QCOMPARE(openai->name, QStringLiteral("openai"));
    QCOMPARE(openai->api, QStringLiteral("openai-completions"));
    QCOMPARE(openai->baseUrl, QStringLiteral("https://api.openai.com/v1"));
    QCOMPARE(openai->apiKey, QStringLiteral("sk-x"));
    QCOMPARE(openai->models.size(), 2);
    QCOMPARE(openai->models.at(0).id, QStringLiteral("gpt-4o"));
    QCOMPARE(openai->models.at(0).name, QStringLiteral("GPT-4o"));
    QCOMPARE(openai->models.at(1).name, QString());
    QCOMPARE(openai->headers.value(QStringLiteral("X-Org")), QStringLiteral("acme"));
    QCOMPARE(openai->connectTimeoutMs, 5000);
    QCOMPARE(openai->timeoutMs, 90000);
    QCOMPARE(openai->idleTimeoutMs, 30000);
    QVERIFY(!openai->isEcho());

    // defaults of an openai-completions provider
    const ProviderConfig *local = c.findProvider(QStringLiteral("local"));
    QCOMPARE(local->api, QStringLiteral("openai-completions"));
    QCOMPARE(local->apiKey, QString());
    QCOMPARE(local->connectTimeoutMs, 10000);
    QCOMPARE(local->timeoutMs, 120000);
    QCOMPARE(local->idleTimeoutMs, 60000);
    QCOMPARE(local->chunkDelayMs, 0);

    const ProviderConfig *slow = c.findProvider(QStringLiteral("slow"));
    QVERIFY(slow->isEcho());
    QCOMPARE(slow->chunkDelayMs, 200);
}

void TestConfig::echoAlwaysPresent_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<int>("chunkDelayMs");

    QTest::newRow("nothing declared") << QByteArray("{}") << 0;
    QTest::newRow("other providers declared")
        << QByteArray("{models: {providers: {openai: {baseUrl: 'https://x'}}}}") << 0;
    QTest::newRow("echo declared with a delay")
        << QByteArray("{models: {providers: {echo: {chunkDelayMs: 25}}}}") << 25;
    QTest::newRow("echo declared with another api stays echo")
        << QByteArray("{models: {providers: {echo: {api: 'openai-completions', "
                      "baseUrl: 'https://x'}}}}")
        << 0;
}

void TestConfig::echoAlwaysPresent()
{
    QFETCH(QByteArray, json5);
    QFETCH(int, chunkDelayMs);

    QStringList errors;
    const GatewayConfig c = load(json5, &errors);
    QCOMPARE(errors, QStringList());
    const ProviderConfig *echo = c.findProvider(QStringLiteral("echo"));
    QVERIFY(echo);
    QCOMPARE(echo->name, QStringLiteral("echo"));
    QCOMPARE(echo->api, QStringLiteral("echo"));
    QVERIFY(echo->isEcho());
    QCOMPARE(echo->chunkDelayMs, chunkDelayMs);
}

void TestConfig::namedTokens()
{
    const QString hash(64, QLatin1Char('a'));
    QStringList errors;
    const GatewayConfig c = load(QByteArray("{gateway: {auth: {tokens: [{name: 'ci', sha256: '")
                                     + hash.toUpper().toLatin1()
                                     + "', agents: ['Main', 'coder'], "
                                       "createdAt: '2026-03-01T10:20:30.123Z'}, "
                                       "{name: 'all', sha256: '"
                                     + QByteArray(64, 'b') + "'}]}}}",
                                 &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.auth.tokens.size(), 2);
    const NamedToken &ci = c.auth.tokens.at(0);
    QCOMPARE(ci.name, QStringLiteral("ci"));
    QCOMPARE(ci.sha256Hex, hash.toLatin1()); // lower-cased
    QCOMPARE(ci.agents, (QStringList {QStringLiteral("main"), QStringLiteral("coder")}));
    QCOMPARE(ci.createdAt, QDateTime(QDate(2026, 3, 1), QTime(10, 20, 30, 123), Qt::UTC));
    QCOMPARE(ci.createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(c.auth.tokens.at(1).agents, QStringList());
    QVERIFY(!c.auth.tokens.at(1).createdAt.isValid());

    load("{gateway: {auth: {tokens: [{name: 'x', sha256: '" + QByteArray(64, 'c')
             + "', createdAt: 'yesterday'}]}}}",
         &errors);
    QCOMPARE(errors,
             QStringList {
                 QStringLiteral("gateway.auth.tokens[0].createdAt: expected an ISO-8601 date")});
}

void TestConfig::implicitAuthMode_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("modeExplicit");

    QTest::newRow("nothing: token") << QByteArray("{}") << QStringLiteral("token") << false;
    QTest::newRow("a password: password")
        << QByteArray("{gateway: {auth: {password: 'pw'}}}") << QStringLiteral("password") << false;
    QTest::newRow("token and password: password")
        << QByteArray("{gateway: {auth: {token: 't', password: 'pw'}}}")
        << QStringLiteral("password") << false;
    QTest::newRow("empty password: token")
        << QByteArray("{gateway: {auth: {password: ''}}}") << QStringLiteral("token") << false;
    QTest::newRow("explicit token despite a password")
        << QByteArray("{gateway: {auth: {mode: 'token', password: 'pw'}}}")
        << QStringLiteral("token") << true;
    QTest::newRow("explicit none")
        << QByteArray("{gateway: {auth: {mode: 'none'}}}") << QStringLiteral("none") << true;
}

void TestConfig::implicitAuthMode()
{
    QFETCH(QByteArray, json5);
    QFETCH(QString, mode);
    QFETCH(bool, modeExplicit);

    const GatewayConfig c = load(json5);
    QCOMPARE(authModeName(c.auth.mode), mode);
    QCOMPARE(c.auth.modeExplicit, modeExplicit);
}

void TestConfig::documentIsKept()
{
    const QJsonObject doc = parse("{gateway: {port: 1}, custom: {x: [1, 2]}}");
    QCOMPARE(GatewayConfig::fromJson(doc).document, doc);
}

void TestConfig::toJsonOfDefaultsIsEmpty()
{
    QCOMPARE(GatewayConfig::fromJson(QJsonObject()).toJson(), QJsonObject());
}

void TestConfig::toJsonWritesOnlyChanges_data()
{
    QTest::addColumn<int>("change");
    QTest::addColumn<QByteArray>("expected"); // strict JSON of toJson() on an empty document

    QTest::newRow("port") << 0 << QByteArray(R"({"gateway":{"port":9000}})");
    QTest::newRow("bind and host")
        << 1 << QByteArray(R"({"gateway":{"bind":"custom","customBindHost":"10.1.2.3"}})");
    QTest::newRow("explicit mode") << 2 << QByteArray(R"({"gateway":{"auth":{"mode":"token"}}})");
    QTest::newRow("rate limit") << 3
                                << QByteArray(
                                       R"({"gateway":{"auth":{"rateLimit":{"lockoutMs":1000}}}})");
    QTest::newRow("endpoint and cors")
        << 4
        << QByteArray(R"({"gateway":{"http":{"cors":{"allowedOrigins":["http://a"]},)"
                      R"("endpoints":{"chatCompletions":{"enabled":true}}}}})");
    QTest::newRow("an agent added")
        << 5
        << QByteArray(R"({"agents":{"list":[{"id":"main","name":"Main","default":true},)"
                      R"({"id":"coder","model":"echo/fast"}]}})");
    QTest::newRow("a provider added")
        << 6
        << QByteArray(R"({"models":{"providers":{"slow":{"api":"echo","chunkDelayMs":200}}}})");
    QTest::newRow("own keys")
        << 7
        << QByteArray(R"({"passerelle":{"ui":{"language":"fr","startMinimized":true},)"
                      R"("http":{"keepAliveMs":5000}}})");
}

void TestConfig::toJsonWritesOnlyChanges()
{
    QFETCH(int, change);
    QFETCH(QByteArray, expected);

    GatewayConfig c = GatewayConfig::fromJson(QJsonObject());
    switch (change) {
    case 0:
        c.port = 9000;
        break;
    case 1:
        c.bind = BindMode::Custom;
        c.customBindHost = QStringLiteral("10.1.2.3");
        break;
    case 2:
        c.auth.modeExplicit = true;
        break;
    case 3:
        c.auth.rateLimit.lockoutMs = 1000;
        break;
    case 4:
        c.chatCompletionsEnabled = true;
        c.corsOrigins = {QStringLiteral("http://a")};
        break;
    case 5: {
        AgentConfig coder;
        coder.id = QStringLiteral("coder");
        coder.primary = QStringLiteral("echo/fast");
        c.agents.append(coder);
        break;
    }
    case 6: {
        ProviderConfig slow;
        slow.name = QStringLiteral("slow");
        slow.api = QStringLiteral("echo");
        slow.chunkDelayMs = 200;
        c.providers.insert(slow.name, slow);
        break;
    }
    case 7:
        c.uiLanguage = QStringLiteral("fr");
        c.startMinimized = true;
        c.keepAliveMs = 5000;
        break;
    }
    const QJsonObject want = QJsonDocument::fromJson(expected).object();
    QVERIFY(!want.isEmpty());
    QCOMPARE(dump(c.toJson()), dump(want));
}

void TestConfig::toJsonKeepsUnknownKeys()
{
    const QJsonObject doc = parse(R"({
        $schema: 'x',
        gateway: {port: 1000, tailscale: {mode: 'off'}, auth: {token: 't', extra: 1}},
        agents: {list: [{id: 'main', workspace: '~/w', model: 'echo/echo'}]},
        models: {mode: 'merge', providers: {
            openai: {baseUrl: 'https://x', models: [{id: 'gpt-4o', contextWindow: 128000}]},
            old: {baseUrl: 'https://old'},
        }},
        passerelle: {future: true},
    })");
    GatewayConfig c = GatewayConfig::fromJson(doc);
    c.port = 2000;
    c.agents[0].name = QStringLiteral("Main");
    c.providers.remove(QStringLiteral("old"));
    c.providers[QStringLiteral("openai")].models[0].name = QStringLiteral("GPT-4o");

    const QJsonObject out = c.toJson();
    const QJsonObject want = QJsonDocument::fromJson(R"({
        "$schema": "x",
        "gateway": {"port": 2000, "tailscale": {"mode": "off"}, "auth": {"token": "t", "extra": 1}},
        "agents": {"list": [{"id": "main", "workspace": "~/w", "model": "echo/echo", "name": "Main"}]},
        "models": {"mode": "merge", "providers": {
            "openai": {"baseUrl": "https://x",
                       "models": [{"id": "gpt-4o", "contextWindow": 128000, "name": "GPT-4o"}]}
        }},
        "passerelle": {"future": true}
    })")
                                 .object();
    QVERIFY(!want.isEmpty());
    QCOMPARE(dump(out), dump(want));
}

void TestConfig::toJsonIsStableOnAFullDocument()
{
    // a document that sets every key: reading and writing it back changes nothing
    const QJsonObject doc = parse(R"({
        gateway: {
            port: 1234, bind: 'custom', customBindHost: '127.0.0.1',
            auth: {mode: 'password', token: 't', password: 'p',
                   tokens: [{name: 'ci', sha256: ')"
                                  + QByteArray(64, 'a') + R"(', agents: ['main'],
                             createdAt: '2026-01-02T03:04:05Z'}],
                   rateLimit: {maxAttempts: 3, windowMs: 1000, lockoutMs: 2000, exemptLoopback: false}},
            http: {endpoints: {chatCompletions: {enabled: true, maxBodyBytes: 1000}},
                   cors: {allowedOrigins: ['http://a']}},
        },
        agents: {list: [{id: 'Main', name: 'M', default: true, model: {primary: 'echo/echo'},
                         systemPrompt: 's'}, {id: 'b', model: 'openai/gpt'}]},
        models: {providers: {
            echo: {chunkDelayMs: 0},
            openai: {api: 'openai-completions', baseUrl: 'https://x', apiKey: 'k',
                     models: [{id: 'gpt', name: 'G'}], headers: {a: 'b'},
                     connectTimeoutMs: 1, timeoutMs: 2, idleTimeoutMs: 3},
        }},
        passerelle: {sessions: {historyMessages: 5}, http: {keepAliveMs: 6},
                     ui: {language: 'en', startMinimized: true}},
    })");
    QStringList errors;
    const GatewayConfig c = GatewayConfig::fromJson(doc, &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(dump(c.toJson()), dump(doc));
}

void TestConfig::toJsonRoundTrip()
{
    GatewayConfig c = GatewayConfig::firstRun();
    c.port = 4321;
    c.bind = BindMode::Lan;
    c.auth.mode = AuthMode::Password;
    c.auth.modeExplicit = true;
    c.auth.password = QStringLiteral("pw");
    c.auth.rateLimit = RateLimitConfig {5, 100, 200, false};
    NamedToken t;
    t.name = QStringLiteral("panel");
    t.sha256Hex = QByteArray(64, 'f');
    t.agents = {QStringLiteral("main")};
    t.createdAt = QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
    c.auth.tokens = {t};
    c.maxBodyBytes = 99;
    c.corsOrigins = {QStringLiteral("http://x")};
    AgentConfig a;
    a.id = QStringLiteral("fallbacky");
    a.primary = QStringLiteral("openai/gpt");
    a.fallbacks = {QStringLiteral("echo/echo")};
    a.systemPrompt = QStringLiteral("sys");
    c.agents.append(a);
    ProviderConfig p;
    p.name = QStringLiteral("openai");
    p.baseUrl = QStringLiteral("https://api.example/v1");
    p.apiKey = QStringLiteral("k");
    p.models = {ProviderModel {QStringLiteral("gpt"), QStringLiteral("GPT")}};
    p.headers.insert(QStringLiteral("X-A"), QStringLiteral("1"));
    p.timeoutMs = 5;
    c.providers.insert(p.name, p);
    c.sessionHistoryMessages = 3;
    c.keepAliveMs = 100;
    c.uiLanguage = QStringLiteral("en");
    c.startMinimized = true;

    // through the text of a file, as ConfigStore does
    Json5Error error;
    const QJsonObject written = Json5::parse(Json5::serialize(c.toJson()), &error).toObject();
    QVERIFY(!error.isError());
    QStringList errors;
    const GatewayConfig r = GatewayConfig::fromJson(written, &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(r.port, c.port);
    QCOMPARE(r.bind, c.bind);
    QCOMPARE(r.auth.mode, c.auth.mode);
    QCOMPARE(r.auth.modeExplicit, true);
    QCOMPARE(r.auth.token, c.auth.token);
    QCOMPARE(r.auth.password, c.auth.password);
    QCOMPARE(r.auth.tokens, c.auth.tokens);
    QVERIFY(r.auth.rateLimit == c.auth.rateLimit);
    QCOMPARE(r.chatCompletionsEnabled, true);
    QCOMPARE(r.maxBodyBytes, c.maxBodyBytes);
    QCOMPARE(r.corsOrigins, c.corsOrigins);
    QCOMPARE(r.agents, c.agents);
    QCOMPARE(r.providers, c.providers);
    QCOMPARE(r.sessionHistoryMessages, 3);
    QCOMPARE(r.keepAliveMs, 100);
    QCOMPARE(r.uiLanguage, QStringLiteral("en"));
    QCOMPARE(r.startMinimized, true);
    QCOMPARE(r.startupError(), QString());
}

void TestConfig::toJsonModelForm_data()
{
    QTest::addColumn<QByteArray>("model"); // JSON5 in the document
    QTest::addColumn<QString>("primary"); // set before writing
    QTest::addColumn<QStringList>("fallbacks");
    QTest::addColumn<QByteArray>("expected"); // strict JSON of the written model

    QTest::newRow("string kept when unchanged")
        << QByteArray("'echo/a'") << QStringLiteral("echo/a") << QStringList()
        << QByteArray(R"("echo/a")");
    QTest::newRow("object kept when unchanged")
        << QByteArray("{primary: 'echo/a', note: 1}") << QStringLiteral("echo/a") << QStringList()
        << QByteArray(R"({"primary":"echo/a","note":1})");
    QTest::newRow("string changed stays a string")
        << QByteArray("'echo/a'") << QStringLiteral("echo/b") << QStringList()
        << QByteArray(R"("echo/b")");
    QTest::newRow("fallbacks added make an object")
        << QByteArray("'echo/a'") << QStringLiteral("echo/a")
        << QStringList {QStringLiteral("echo/b")}
        << QByteArray(R"({"primary":"echo/a","fallbacks":["echo/b"]})");
    QTest::newRow("object changed keeps its other keys")
        << QByteArray("{primary: 'echo/a', fallbacks: ['echo/b'], note: 1}")
        << QStringLiteral("echo/c") << QStringList()
        << QByteArray(R"({"primary":"echo/c","fallbacks":[],"note":1})");
}

void TestConfig::toJsonModelForm()
{
    QFETCH(QByteArray, model);
    QFETCH(QString, primary);
    QFETCH(QStringList, fallbacks);
    QFETCH(QByteArray, expected);

    GatewayConfig c = load("{agents: {list: [{id: 'a', model: " + model + "}]}}");
    c.agents[0].primary = primary;
    c.agents[0].fallbacks = fallbacks;
    const QJsonObject out = c.toJson();
    const QJsonValue written = out.value(QStringLiteral("agents"))
                                   .toObject()
                                   .value(QStringLiteral("list"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QStringLiteral("model"));
    const QJsonArray want = QJsonDocument::fromJson("[" + expected + "]").array();
    QCOMPARE(want.size(), 1);
    QCOMPARE(QJsonDocument(QJsonArray {written}).toJson(QJsonDocument::Compact),
             QJsonDocument(want).toJson(QJsonDocument::Compact));
}

void TestConfig::toJsonEchoProvider()
{
    // the built-in echo is never written unless the document declared it
    GatewayConfig c = GatewayConfig::fromJson(QJsonObject());
    QVERIFY(c.providers.contains(QStringLiteral("echo")));
    QVERIFY(!c.toJson().contains(QStringLiteral("models")));

    // declared: kept, with its delay
    c = load("{models: {providers: {echo: {chunkDelayMs: 10}}}}");
    QCOMPARE(dump(c.toJson()),
             QByteArray(R"({"models":{"providers":{"echo":{"chunkDelayMs":10}}}})"));

    // changed from the built-in: written
    c = GatewayConfig::fromJson(QJsonObject());
    c.providers[QStringLiteral("echo")].chunkDelayMs = 5;
    QCOMPARE(dump(c.toJson()),
             QByteArray(R"({"models":{"providers":{"echo":{"chunkDelayMs":5}}}})"));
}

void TestConfig::toJsonTokens()
{
    const QByteArray oldHash(64, 'a');
    GatewayConfig c = load("{gateway: {auth: {tokens: [{name: 'old', sha256: '" + oldHash
                           + "', createdAt: '2026-01-01T00:00:00Z', note: 'kept'}]}}}");
    NamedToken added;
    added.name = QStringLiteral("new");
    added.sha256Hex = QByteArray(64, 'b');
    added.agents = {QStringLiteral("main")};
    added.createdAt = QDateTime(QDate(2026, 2, 3), QTime(4, 5, 6), Qt::UTC);
    c.auth.tokens.append(added);

    const QByteArray want
        = R"({"gateway":{"auth":{"tokens":[)"
          R"({"createdAt":"2026-01-01T00:00:00Z","name":"old","note":"kept","sha256":")"
        + oldHash
        + R"("},)"
          R"({"agents":["main"],"createdAt":"2026-02-03T04:05:06.000Z","name":"new","sha256":")"
        + QByteArray(64, 'b') + R"("}]}}})";
    QCOMPARE(dump(c.toJson()), want);

    // revoking removes the entry
    c.auth.tokens.removeFirst();
    c.auth.tokens.removeFirst();
    QCOMPARE(dump(c.toJson()), QByteArray(R"({"gateway":{"auth":{"tokens":[]}}})"));
}

void TestConfig::toJsonAuthMode()
{
    // an explicit mode is written; an implicit one is not, and clearing it removes the key
    GatewayConfig c = load("{gateway: {auth: {token: 't'}}}");
    QCOMPARE(dump(c.toJson()), QByteArray(R"({"gateway":{"auth":{"token":"t"}}})"));
    c.auth.mode = AuthMode::Password;
    c.auth.modeExplicit = true;
    QCOMPARE(dump(c.toJson()),
             QByteArray(R"({"gateway":{"auth":{"mode":"password","token":"t"}}})"));

    c = load("{gateway: {auth: {mode: 'none', token: 't'}}}");
    c.auth.modeExplicit = false;
    QCOMPARE(dump(c.toJson()), QByteArray(R"({"gateway":{"auth":{"token":"t"}}})"));
}

void TestConfig::toJsonDropsComments()
{
    // Documented limitation: the file is rewritten from its parsed value, so comments and the
    // user's layout do not survive a save made by Passerelle (unknown keys do).
    const QByteArray text
        = "// my gateway\n{\n  gateway: { port: 1000, /* why */ },\n  extra: 'x',\n}\n";
    GatewayConfig c = load(text);
    c.port = 1001;
    const QByteArray written = Json5::serialize(c.toJson());
    QCOMPARE(written,
             QByteArray("{\n  \"extra\": \"x\",\n  \"gateway\": {\n    \"port\": 1001\n  }\n}\n"));
}

void TestConfig::messagesKeysAndModelAliases()
{
    QCOMPARE(GatewayConfig().messagesEnabled, false);
    QCOMPARE(GatewayConfig().messagesMaxBodyBytes, qint64(20971520));
    QVERIFY(GatewayConfig().modelAliases.isEmpty());
    QStringList errors;
    const GatewayConfig c = GatewayConfig::fromJson(
        parse("{passerelle: {http: {endpoints: {messages: {enabled: true, maxBodyBytes: 1000}}},"
              " modelAliases: {'claude-*': 'main', bad: 3}}}"),
        &errors);
    QCOMPARE(c.messagesEnabled, true);
    QCOMPARE(c.messagesMaxBodyBytes, qint64(1000));
    QCOMPARE(c.modelAliases,
             (QMap<QString, QString> {{QStringLiteral("claude-*"), QStringLiteral("main")}}));
    QCOMPARE(errors,
             QStringList {QStringLiteral("passerelle.modelAliases.bad: expected a string")});
    // written back where it was read
    const QJsonObject written = c.toJson();
    QCOMPARE(written.value(QStringLiteral("passerelle"))
                 .toObject()
                 .value(QStringLiteral("modelAliases"))
                 .toObject()
                 .value(QStringLiteral("claude-*"))
                 .toString(),
             QStringLiteral("main"));
}

void TestConfig::firstRun()
{
    const GatewayConfig c = GatewayConfig::firstRun();
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{48}$")).match(c.auth.token).hasMatch());
    QCOMPARE(c.chatCompletionsEnabled, true);
    QCOMPARE(c.responsesEnabled, true); // SPEC 11: the first run turns /v1/responses on too
    QCOMPARE(c.messagesEnabled, true); // SPEC 15: and /v1/messages
    QCOMPARE(c.toJson()
                 .value(QStringLiteral("passerelle"))
                 .toObject()
                 .value(QStringLiteral("http"))
                 .toObject()
                 .value(QStringLiteral("endpoints"))
                 .toObject()
                 .value(QStringLiteral("messages"))
                 .toObject()
                 .value(QStringLiteral("enabled")),
             QJsonValue(true));
    QCOMPARE(GatewayConfig().responsesEnabled, false);
    QCOMPARE(GatewayConfig().responsesMaxBodyBytes, qint64(20971520));
    QCOMPARE(GatewayConfig().responsesMaxStored, 10000);
    QCOMPARE(c.auth.mode, AuthMode::Token);
    QCOMPARE(c.port, 18789);
    QCOMPARE(c.agents.size(), 1);
    QVERIFY(c.providers.contains(QStringLiteral("echo")));
    QCOMPARE(c.startupError(), QString());
    QVERIFY(GatewayConfig::firstRun().auth.token != c.auth.token);

    // the file a first run writes stays short (SPEC 11 and 15: it turns the Responses and the
    // Messages switches on too)
    const QByteArray want = R"({"gateway":{"auth":{"token":")" + c.auth.token.toLatin1()
        + R"("},"http":{"endpoints":{"chatCompletions":{"enabled":true},"responses":{"enabled":true}}}},)"
          R"("passerelle":{"http":{"endpoints":{"messages":{"enabled":true}}}}})";
    QCOMPARE(dump(c.toJson()), want);
}

void TestConfig::startupError_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<QString>("error");

    const QByteArray token = "auth: {token: 't'}";
    const auto withAgents = [&token](const QByteArray &agents) -> QByteArray {
        return "{gateway: {" + token + "}, agents: {list: " + agents + "}}";
    };

    QTest::newRow("defaults with a token") << QByteArray("{gateway: {" + token + "}}") << QString();
    QTest::newRow("token mode without a token")
        << QByteArray("{}")
        << QStringLiteral("gateway.auth.mode is \"token\" but no token is set: set "
                          "gateway.auth.token or OPENCLAW_GATEWAY_TOKEN");
    QTest::newRow("explicit token mode without a token")
        << QByteArray("{gateway: {auth: {mode: 'token', password: 'p'}}}")
        << QStringLiteral("gateway.auth.mode is \"token\" but no token is set: set "
                          "gateway.auth.token or OPENCLAW_GATEWAY_TOKEN");
    QTest::newRow("password mode without a password")
        << QByteArray("{gateway: {auth: {mode: 'password', token: 't'}}}")
        << QStringLiteral("gateway.auth.mode is \"password\" but no password is set: set "
                          "gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD");
    QTest::newRow("implicit password mode")
        << QByteArray("{gateway: {auth: {password: 'p'}}}") << QString();
    QTest::newRow("none on loopback")
        << QByteArray("{gateway: {auth: {mode: 'none'}}}") << QString();
    QTest::newRow("none on lan")
        << QByteArray("{gateway: {bind: 'lan', auth: {mode: 'none'}}}")
        << QStringLiteral("gateway.auth.mode \"none\" is only allowed with gateway.bind "
                          "\"loopback\"");
    QTest::newRow("none on a custom address")
        << QByteArray("{gateway: {bind: 'custom', customBindHost: '192.168.1.5', "
                      "auth: {mode: 'none'}}}")
        << QStringLiteral("gateway.auth.mode \"none\" is only allowed with gateway.bind "
                          "\"loopback\"");
    QTest::newRow("none on a custom loopback address")
        << QByteArray("{gateway: {bind: 'custom', customBindHost: '127.0.0.1', "
                      "auth: {mode: 'none'}}}")
        << QString();
    QTest::newRow("custom bind without host")
        << QByteArray("{gateway: {bind: 'custom', " + token + "}}")
        << QStringLiteral("gateway.bind is \"custom\" but gateway.customBindHost is not set");
    QTest::newRow("custom bind with a host name")
        << QByteArray("{gateway: {bind: 'custom', customBindHost: 'my-host', " + token + "}}")
        << QStringLiteral("gateway.customBindHost \"my-host\" is not an IP address");
    QTest::newRow("custom bind on IPv6")
        << QByteArray("{gateway: {bind: 'custom', customBindHost: '::1', " + token + "}}")
        << QString();
    QTest::newRow("port too large") << QByteArray("{gateway: {port: 70000, " + token + "}}")
                                    << QStringLiteral("gateway.port must be between 0 and 65535 "
                                                      "(got 70000)");
    QTest::newRow("port negative") << QByteArray("{gateway: {port: -1, " + token + "}}")
                                   << QStringLiteral("gateway.port must be between 0 and 65535 "
                                                     "(got -1)");
    QTest::newRow("port 0 picks a free port")
        << QByteArray("{gateway: {port: 0, " + token + "}}") << QString();
    QTest::newRow("port 65535") << QByteArray("{gateway: {port: 65535, " + token + "}}")
                                << QString();

    QTest::newRow("agent id with a space")
        << withAgents("[{id: 'my agent'}]")
        << QStringLiteral("agents.list[0].id \"my agent\" must match [a-z0-9][a-z0-9_-]{0,63}");
    QTest::newRow("agent id starting with a dash")
        << withAgents("[{id: 'main'}, {id: '-x'}]")
        << QStringLiteral("agents.list[1].id \"-x\" must match [a-z0-9][a-z0-9_-]{0,63}");
    QTest::newRow("agent id empty")
        << withAgents("[{id: ''}]")
        << QStringLiteral("agents.list[0].id \"\" must match [a-z0-9][a-z0-9_-]{0,63}");
    QTest::newRow("agent id of 65 characters")
        << withAgents("[{id: '" + QByteArray(65, 'a') + "'}]")
        << QStringLiteral("agents.list[0].id \"%1\" must match [a-z0-9][a-z0-9_-]{0,63}")
               .arg(QString(65, QLatin1Char('a')));
    QTest::newRow("agent id of 64 characters")
        << withAgents("[{id: '" + QByteArray(64, 'a') + "'}]") << QString();
    QTest::newRow("agent id upper case is lower-cased")
        << withAgents("[{id: 'Main_Agent-2'}]") << QString();
    QTest::newRow("duplicate agent ids")
        << withAgents("[{id: 'a'}, {id: 'b'}, {id: 'A'}]")
        << QStringLiteral("agents.list[2].id \"a\" is already used by agents.list[0]");
    QTest::newRow("two default agents are fine")
        << withAgents("[{id: 'a', default: true}, {id: 'b', default: true}]") << QString();
    QTest::newRow("model without a slash")
        << withAgents("[{id: 'a', model: 'gpt-4o'}]")
        << QStringLiteral("agents.list[0].model \"gpt-4o\" is not \"provider/model\"");
    QTest::newRow("model without a provider")
        << withAgents("[{id: 'a', model: '/gpt-4o'}]")
        << QStringLiteral("agents.list[0].model \"/gpt-4o\" is not \"provider/model\"");
    QTest::newRow("model without a model")
        << withAgents("[{id: 'a', model: 'echo/'}]")
        << QStringLiteral("agents.list[0].model \"echo/\" is not \"provider/model\"");
    QTest::newRow("model object without primary")
        << withAgents("[{id: 'a', model: {fallbacks: []}}]")
        << QStringLiteral("agents.list[0].model \"\" is not \"provider/model\"");
    QTest::newRow("undeclared provider")
        << withAgents("[{id: 'a', model: 'openai/gpt-4o'}]")
        << QStringLiteral("agents.list[0].model \"openai/gpt-4o\" names provider \"openai\", "
                          "which is not declared in models.providers");
    QTest::newRow("undeclared fallback provider")
        << withAgents("[{id: 'a', model: {primary: 'echo/echo', fallbacks: ['echo/x', 'y/z']}}]")
        << QStringLiteral("agents.list[0].model.fallbacks[1] \"y/z\" names provider \"y\", "
                          "which is not declared in models.providers");
    QTest::newRow("slow echo provider")
        << QByteArray("{gateway: {" + token
                      + "}, agents: {list: [{id: 'a', model: 'slow/echo'}]},"
                        " models: {providers: {slow: {api: 'echo', chunkDelayMs: 200}}}}")
        << QString();
    QTest::newRow("openai provider")
        << QByteArray("{gateway: {" + token
                      + "}, agents: {list: [{id: 'a', model: 'o/gpt'}]},"
                        " models: {providers: {o: {baseUrl: 'https://api.example/v1'}}}}")
        << QString();
    QTest::newRow("provider without baseUrl")
        << QByteArray("{gateway: {" + token + "}, models: {providers: {o: {apiKey: 'k'}}}}")
        << QStringLiteral("models.providers.o.baseUrl is not set");
    QTest::newRow("provider with a non-http baseUrl")
        << QByteArray("{gateway: {" + token
                      + "}, models: {providers: {o: {baseUrl: 'ftp://user:secret@x'}}}}")
        << QStringLiteral("models.providers.o.baseUrl is not an http:// or https:// URL");
}

void TestConfig::startupError()
{
    QFETCH(QByteArray, json5);
    QFETCH(QString, error);

    QStringList errors;
    const GatewayConfig c = load(json5, &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.startupError(), error);
}

void TestConfig::providerAdmission_data()
{
    QTest::addColumn<QByteArray>("json5");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<int>("maxConcurrent");
    QTest::addColumn<int>("maxQueue");

    QTest::newRow("built-in echo: unlimited, queue of 64")
        << QByteArray("{}") << QStringLiteral("echo") << 0 << 64;
    QTest::newRow("openai-completions defaults")
        << QByteArray("{models: {providers: {o: {baseUrl: 'https://x'}}}}") << QStringLiteral("o")
        << 0 << 64;
    QTest::newRow("openai-completions set")
        << QByteArray("{models: {providers: {o: {baseUrl: 'https://x', maxConcurrent: 4, "
                      "maxQueue: 0}}}}")
        << QStringLiteral("o") << 4 << 0;
    QTest::newRow("echo type set")
        << QByteArray("{models: {providers: {slow: {api: 'echo', maxConcurrent: 1, maxQueue: 3}}}}")
        << QStringLiteral("slow") << 1 << 3;
    QTest::newRow("built-in echo set")
        << QByteArray("{models: {providers: {echo: {maxConcurrent: 2}}}}") << QStringLiteral("echo")
        << 2 << 64;
}

void TestConfig::providerAdmission()
{
    QFETCH(QByteArray, json5);
    QFETCH(QString, provider);
    QFETCH(int, maxConcurrent);
    QFETCH(int, maxQueue);

    QStringList errors;
    const GatewayConfig c = load(json5, &errors);
    QCOMPARE(errors, QStringList());
    const ProviderConfig *p = c.findProvider(provider);
    QVERIFY(p);
    QCOMPARE(p->maxConcurrent, maxConcurrent);
    QCOMPARE(p->maxQueue, maxQueue);
}

void TestConfig::toJsonAdmissionAndWsKeys()
{
    // written only once changed, and read back the same
    GatewayConfig c = GatewayConfig::fromJson(QJsonObject());
    c.providers[QStringLiteral("echo")].maxConcurrent = 2;
    c.wsTickIntervalMs = 500;
    QCOMPARE(dump(c.toJson()),
             QByteArray(R"({"models":{"providers":{"echo":{"maxConcurrent":2}}},)"
                        R"("passerelle":{"ws":{"tickIntervalMs":500}}})"));
    QStringList errors;
    const GatewayConfig r = GatewayConfig::fromJson(c.toJson(), &errors);
    QCOMPARE(errors, QStringList());
    QCOMPARE(r.providers, c.providers);
    QCOMPARE(r.wsTickIntervalMs, 500);
    QCOMPARE(r.wsHandshakeTimeoutMs, 10000);

    // a value the file states is kept even when it equals the default
    c = load("{models: {providers: {o: {baseUrl: 'https://x', maxQueue: 64}}}, "
             "passerelle: {ws: {handshakeTimeoutMs: 10000}}}");
    QCOMPARE(dump(c.toJson()),
             QByteArray(R"({"models":{"providers":{"o":{"baseUrl":"https://x","maxQueue":64}}},)"
                        R"("passerelle":{"ws":{"handshakeTimeoutMs":10000}}})"));
}

void TestConfig::startupErrorBounds_data()
{
    // values no file can hold (the reader refuses them) but code can set: refused at startup,
    // naming the key
    QTest::addColumn<int>("change");
    QTest::addColumn<QString>("error");

    QTest::newRow("keepAliveMs zero")
        << 0 << QStringLiteral("passerelle.http.keepAliveMs must be at least 1 (got 0)");
    QTest::newRow("rate limit attempts zero")
        << 1 << QStringLiteral("gateway.auth.rateLimit.maxAttempts must be at least 1 (got 0)");
    QTest::newRow("provider maxQueue negative")
        << 2 << QStringLiteral("models.providers.echo.maxQueue must be at least 0 (got -1)");
    QTest::newRow("provider timeout zero")
        << 3 << QStringLiteral("models.providers.o.timeoutMs must be at least 1 (got 0)");
    QTest::newRow("ws handshake negative")
        << 4 << QStringLiteral("passerelle.ws.handshakeTimeoutMs must be at least 1 (got -5)");
}

void TestConfig::startupErrorBounds()
{
    QFETCH(int, change);
    QFETCH(QString, error);

    GatewayConfig c = load("{gateway: {auth: {token: 't'}}, "
                           "models: {providers: {o: {baseUrl: 'https://x'}}}}");
    QCOMPARE(c.startupError(), QString());
    switch (change) {
    case 0:
        c.keepAliveMs = 0;
        break;
    case 1:
        c.auth.rateLimit.maxAttempts = 0;
        break;
    case 2:
        c.providers[QStringLiteral("echo")].maxQueue = -1;
        break;
    case 3:
        c.providers[QStringLiteral("o")].timeoutMs = 0;
        break;
    case 4:
        c.wsHandshakeTimeoutMs = -5;
        break;
    }
    QCOMPARE(c.startupError(), error);
}

void TestConfig::splitModelRef_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");

    QTest::newRow("plain") << QStringLiteral("openai/gpt-4o") << true << QStringLiteral("openai")
                           << QStringLiteral("gpt-4o");
    QTest::newRow("model with slashes")
        << QStringLiteral("openrouter/meta/llama-3") << true << QStringLiteral("openrouter")
        << QStringLiteral("meta/llama-3");
    QTest::newRow("no slash") << QStringLiteral("gpt-4o") << false << QString() << QString();
    QTest::newRow("no provider") << QStringLiteral("/gpt") << false << QString() << QString();
    QTest::newRow("no model") << QStringLiteral("echo/") << false << QString() << QString();
}

void TestConfig::splitModelRef()
{
    QFETCH(QString, ref);
    QFETCH(bool, ok);
    QFETCH(QString, provider);
    QFETCH(QString, model);

    QString p, m;
    QCOMPARE(GatewayConfig::splitModelRef(ref, &p, &m), ok);
    QCOMPARE(p, provider);
    QCOMPARE(m, model);
    QString onlyProvider;
    QCOMPARE(GatewayConfig::splitModelRef(ref, &onlyProvider, nullptr), ok);
    QCOMPARE(onlyProvider, provider);
}

void TestConfig::authModeNames()
{
    for (const AuthMode m : {AuthMode::Token, AuthMode::Password, AuthMode::None})
        QCOMPARE(GatewayConfig::authModeName(m), authModeName(m));
}

void TestConfig::defaultsOfTheStructs()
{
    // value-initialised structs hold the table's defaults
    const RateLimitConfig r {};
    QCOMPARE(r.maxAttempts, 10);
    QCOMPARE(r.windowMs, 60000);
    QCOMPARE(r.lockoutMs, 300000);
    QCOMPARE(r.exemptLoopback, true);
    QVERIFY(r == GatewayConfig().auth.rateLimit);
    QVERIFY(!(r == RateLimitConfig {10, 60000, 300000, false}));

    const ProviderConfig p;
    QCOMPARE(p.api, QStringLiteral("openai-completions"));
    QCOMPARE(p.connectTimeoutMs, 10000);
    QCOMPARE(p.timeoutMs, 120000);
    QCOMPARE(p.idleTimeoutMs, 60000);
    QCOMPARE(p.chunkDelayMs, 0);
    QCOMPARE(p.maxConcurrent, 0);
    QCOMPARE(p.maxQueue, 64);
    ProviderConfig q = p;
    q.maxQueue = 1;
    QVERIFY(!(q == p));

    const GatewayConfig g;
    QCOMPARE(g.port, 18789);
    QCOMPARE(g.auth.mode, AuthMode::Token);
    QCOMPARE(g.auth.modeExplicit, false);
    QCOMPARE(g.maxBodyBytes, 20971520);
    QCOMPARE(g.agents.size(), 1);
    QCOMPARE(g.providers.value(QStringLiteral("echo")).api, QStringLiteral("echo"));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
