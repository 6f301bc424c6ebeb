// The table of config keys and the provider registry: README.md's key table lists exactly the
// table's keys with the table's defaults, paths are unique, the config structs' default state is
// what the table says, every registered type reads its keys, creates its runs and has its panel
// texts translated in French.

#include "config/ConfigKeys.h"
#include "providers/BackendRouter.h"
#include "providers/EchoBackend.h"
#include "providers/OpenAiCompletionsBackend.h"
#include "providers/ProviderRegistry.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace passerelle;

namespace {

const QString kSourceDir = QStringLiteral(PASSERELLE_SOURCE_DIR);

struct ReadmeRow
{
    QString key;
    QString defaultText;
};

// The rows "| `key` | default | meaning |" of README.md's "## Configuration" section.
QList<ReadmeRow> readmeRows(QString *error)
{
    QFile f(kSourceDir + QStringLiteral("/README.md"));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    QList<ReadmeRow> rows;
    bool inSection = false;
    static const QRegularExpression row(
        QStringLiteral("^\\|\\s*`([^`]+)`\\s*\\|\\s*(.*?)\\s*\\|(.*)\\|\\s*$"));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("## ")))
            inSection = line.startsWith(QLatin1String("## Configuration"));
        if (!inSection)
            continue;
        const QRegularExpressionMatch m = row.match(line);
        if (!m.hasMatch())
            continue;
        QString def = m.captured(2);
        if (def.size() >= 2 && def.startsWith(u'`') && def.endsWith(u'`'))
            def = def.mid(1, def.size() - 2);
        rows << ReadmeRow {m.captured(1), def};
    }
    if (rows.isEmpty())
        *error = QStringLiteral("no key table in README.md's Configuration section");
    return rows;
}

QString readmeLine(const ConfigKeyDoc &d)
{
    return QStringLiteral("| `%1` | `%2` | %3 |").arg(d.path, d.defaultText, d.meaning);
}

// source -> translation of the finished messages of one context of a .ts file
QHash<QString, QString> translations(const QString &path, const QString &context, QString *error)
{
    QHash<QString, QString> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return out;
    }
    QXmlStreamReader xml(&f);
    QString current;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            current = xml.readElementText();
        } else if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation") && current == context) {
            const bool finished = xml.attributes().value(QLatin1String("type")).isEmpty();
            const QString text = xml.readElementText();
            if (finished && !text.trimmed().isEmpty())
                out.insert(source, text);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return out;
}

BackendRequest request(const QString &modelRef)
{
    BackendRequest r;
    r.runId = QStringLiteral("run-1");
    r.agentId = QStringLiteral("main");
    r.modelRef = modelRef;
    r.prompt = QStringLiteral("one two three");
    return r;
}

} // namespace

class TestConfigKeys : public QObject
{
    Q_OBJECT

private slots:
    void readmeListsEveryKeyWithItsDefault();
    void pathsAreUnique();
    void everyKeyHasADefaultAndAMeaning();
    void defaultStateIsTheTables();
    void intBoundsNameTheirRange();
    void registryTypes();
    void apiIsCheckedAgainstTheRegistry();
    void eachTypeReadsItsOwnKeys();
    void factoriesCreateTheirRuns();
    void routerRefusesAnUnregisteredApi();
    void registryTextsAreTranslated();
};

void TestConfigKeys::readmeListsEveryKeyWithItsDefault()
{
    QString error;
    const QList<ReadmeRow> rows = readmeRows(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QHash<QString, QString> readme;
    QStringList problems;
    for (const ReadmeRow &r : rows) {
        if (readme.contains(r.key))
            problems << QStringLiteral("README.md lists `%1` twice").arg(r.key);
        readme.insert(r.key, r.defaultText);
    }
    QSet<QString> table;
    for (const ConfigKeyDoc &d : ConfigKeys::documentation()) {
        table.insert(d.path);
        if (!readme.contains(d.path))
            problems << QStringLiteral("README.md lacks the key: ") + readmeLine(d);
        else if (readme.value(d.path) != d.defaultText)
            problems << QStringLiteral("README.md gives `%1` the default `%2`; the table says `%3`")
                            .arg(d.path, readme.value(d.path), d.defaultText);
    }
    for (const ReadmeRow &r : rows) {
        if (!table.contains(r.key))
            problems << QStringLiteral("README.md lists `%1`, which is not a key").arg(r.key);
    }
    for (const QString &p : std::as_const(problems))
        qWarning().noquote() << p; // QTest cuts long messages
    QVERIFY2(problems.isEmpty(), "README.md's key table differs from the table of keys (above)");
    QVERIFY(rows.size() >= 30);
}

void TestConfigKeys::pathsAreUnique()
{
    QSet<QString> seen;
    for (const ConfigKey<GatewayConfig> &k : ConfigKeys::gateway().keys) {
        QVERIFY2(!seen.contains(k.path), qPrintable(k.path));
        seen.insert(k.path);
    }
    const ProviderRegistry &registry = ProviderRegistry::instance();
    for (const ProviderType &type : registry.types()) {
        QSet<QString> own;
        for (const ConfigKey<ProviderConfig> &k : registry.keysOf(type).keys) {
            QVERIFY2(!own.contains(k.path), qPrintable(type.api + u'.' + k.path));
            own.insert(k.path);
        }
    }
}

void TestConfigKeys::everyKeyHasADefaultAndAMeaning()
{
    const QList<ConfigKeyDoc> docs = ConfigKeys::documentation();
    for (const ConfigKeyDoc &d : docs) {
        QVERIFY2(!d.defaultText.isEmpty(), qPrintable(d.path));
        QVERIFY2(!d.meaning.isEmpty(), qPrintable(d.path));
        QVERIFY2(!d.meaning.contains(u'|') && !d.defaultText.contains(u'|'), qPrintable(d.path));
    }
    // the keys this product added for the run engine
    const auto has = [&docs](const QString &path) {
        return std::any_of(docs.cbegin(), docs.cend(),
                           [&path](const ConfigKeyDoc &d) { return d.path == path; });
    };
    QVERIFY(has(QStringLiteral("models.providers.<name>.maxConcurrent")));
    QVERIFY(has(QStringLiteral("models.providers.<name>.maxQueue")));
    QVERIFY(has(QStringLiteral("passerelle.ws.handshakeTimeoutMs")));
    QVERIFY(has(QStringLiteral("passerelle.ws.tickIntervalMs")));
}

void TestConfigKeys::defaultStateIsTheTables()
{
    // a default-constructed struct holds, key by key, the default the table documents
    const GatewayConfig c;
    for (const ConfigKey<GatewayConfig> &k : ConfigKeys::gateway().keys) {
        if (k.encode)
            QCOMPARE(configjson::compact(k.encode(c)), k.defaultText);
    }
    const ProviderConfig p;
    for (const ConfigKey<ProviderConfig> &k : ProviderRegistry::instance().allKeys().keys)
        QCOMPARE(configjson::compact(k.encode(p)), k.defaultText);
    const RateLimitConfig r {};
    for (const ConfigKey<RateLimitConfig> &k : ConfigKeys::rateLimit().keys)
        QCOMPARE(configjson::compact(k.encode(r)), k.defaultText);

    QCOMPARE(c.wsHandshakeTimeoutMs, 10000);
    QCOMPARE(c.wsTickIntervalMs, 15000);
    QCOMPARE(p.maxConcurrent, 0);
    QCOMPARE(p.maxQueue, 64);
    QCOMPARE(c.providers.keys(), QStringList {QStringLiteral("echo")});
    QCOMPARE(c.agents.size(), 1);
    QVERIFY(c.toJson().isEmpty());
}

void TestConfigKeys::intBoundsNameTheirRange()
{
    QCOMPARE(configjson::integerType(1, 100, 0, 1000),
             QStringLiteral("an integer between 1 and 100"));
    QCOMPARE(configjson::integerType(5, 1000, 0, 1000), QStringLiteral("an integer of at least 5"));
    QCOMPARE(configjson::integerType(0, 1000, -1000, 1000),
             QStringLiteral("a non-negative integer"));
    QCOMPARE(configjson::oneOf({QStringLiteral("a")}), QStringLiteral("\"a\""));
    QCOMPARE(configjson::oneOf({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}),
             QStringLiteral("\"a\", \"b\" or \"c\""));

    // a bound checked when read: the key keeps its default and the message names the range
    QStringList errors;
    GatewayConfig c = GatewayConfig::fromJson(
        QJsonDocument::fromJson(R"({"passerelle":{"ws":{"tickIntervalMs":0}}})").object(), &errors);
    QCOMPARE(
        errors,
        QStringList {QStringLiteral("passerelle.ws.tickIntervalMs: expected a positive integer")});
    QCOMPARE(c.wsTickIntervalMs, 15000);
    // the same bound, broken by a value set in code, refuses to start
    c.auth.token = QStringLiteral("t");
    c.wsTickIntervalMs = 0;
    QCOMPARE(c.startupError(),
             QStringLiteral("passerelle.ws.tickIntervalMs must be at least 1 (got 0)"));
}

void TestConfigKeys::registryTypes()
{
    const ProviderRegistry &registry = ProviderRegistry::instance();
    QStringList apis;
    for (const ProviderType &t : registry.types()) {
        apis << t.api;
        QVERIFY(t.label);
        QVERIFY(t.create);
        QCOMPARE(registry.find(t.api), &t);
    }
    QCOMPARE(apis, (QStringList {QStringLiteral("openai-completions"), QStringLiteral("echo")}));
    QCOMPARE(registry.defaultType().api, QStringLiteral("openai-completions"));
    QCOMPARE(registry.builtinProviderName(), QStringLiteral("echo"));
    QCOMPARE(registry.expectedApis(), QStringLiteral("\"openai-completions\" or \"echo\""));
    QVERIFY(!registry.find(QStringLiteral("anthropic-messages")));
    QCOMPARE(registry.defaultsFor(QStringLiteral("echo")).api, QStringLiteral("echo"));
    QCOMPARE(registry.defaultsFor(QStringLiteral("other")).api,
             QStringLiteral("openai-completions"));
}

void TestConfigKeys::apiIsCheckedAgainstTheRegistry()
{
    QStringList errors;
    const GatewayConfig c = GatewayConfig::fromJson(
        QJsonDocument::fromJson(R"({"models":{"providers":{"x":{"api":1,"baseUrl":"http://h"}}}})")
            .object(),
        &errors);
    QCOMPARE(errors,
             QStringList {QStringLiteral(
                 "models.providers.x.api: expected \"openai-completions\" or \"echo\"")});
    QCOMPARE(c.findProvider(QStringLiteral("x"))->api, QStringLiteral("openai-completions"));

    // an api set in code that no type has refuses to start, naming the key
    GatewayConfig d = GatewayConfig::fromJson(QJsonObject());
    d.auth.token = QStringLiteral("t");
    d.providers[QStringLiteral("echo")].api = QStringLiteral("nope");
    QCOMPARE(
        d.startupError(),
        QStringLiteral("models.providers.echo.api: expected \"openai-completions\" or \"echo\""));
}

void TestConfigKeys::eachTypeReadsItsOwnKeys()
{
    // an echo provider reads chunkDelayMs and the admission keys, not the HTTP keys: those stay in
    // the document untouched, as keys it does not know
    QStringList errors;
    const QJsonObject doc = QJsonDocument::fromJson(
                                R"({"models":{"providers":{"slow":{"api":"echo","chunkDelayMs":5,)"
                                R"("timeoutMs":"soon","maxQueue":2}}}})")
                                .object();
    GatewayConfig c = GatewayConfig::fromJson(doc, &errors);
    QCOMPARE(errors, QStringList());
    const ProviderConfig *slow = c.findProvider(QStringLiteral("slow"));
    QCOMPARE(slow->chunkDelayMs, 5);
    QCOMPARE(slow->maxQueue, 2);
    QCOMPARE(slow->timeoutMs, 120000);
    c.providers[QStringLiteral("slow")].maxConcurrent = 3;
    QCOMPARE(QJsonDocument(c.toJson()).toJson(QJsonDocument::Compact),
             QByteArray(R"({"models":{"providers":{"slow":{"api":"echo","chunkDelayMs":5,)"
                        R"("maxConcurrent":3,"maxQueue":2,"timeoutMs":"soon"}}}})"));

    // the same key on an openai-completions provider is read, and checked
    GatewayConfig::fromJson(
        QJsonDocument::fromJson(R"({"models":{"providers":{"o":{"timeoutMs":"soon"}}}})").object(),
        &errors);
    QCOMPARE(
        errors,
        QStringList {QStringLiteral("models.providers.o.timeoutMs: expected a positive integer")});
}

void TestConfigKeys::factoriesCreateTheirRuns()
{
    GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderConfig http = ProviderRegistry::instance().defaultsFor(QStringLiteral("up"));
    http.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    config.providers.insert(http.name, http);
    ProviderConfig slow = ProviderRegistry::instance().defaultsFor(QStringLiteral("slow"));
    slow.api = QStringLiteral("echo");
    slow.chunkDelayMs = 1;
    config.providers.insert(slow.name, slow);

    BackendRouter router;
    QString error;
    std::unique_ptr<BackendRun> run
        = router.create(request(QStringLiteral("up/m")), config, &error);
    QVERIFY2(run, qPrintable(error));
    QVERIFY(qobject_cast<OpenAiCompletionsBackend *>(run.get()));

    run = router.create(request(QStringLiteral("slow/echo")), config, &error);
    QVERIFY(qobject_cast<EchoBackend *>(run.get()));
    QStringList pieces;
    connect(run.get(), &BackendRun::contentDelta, this,
            [&pieces](const QString &t) { pieces << t; });
    QSignalSpy finished(run.get(), &BackendRun::finished);
    run->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(pieces.join(QString()), QStringLiteral("one two three"));
}

void TestConfigKeys::routerRefusesAnUnregisteredApi()
{
    GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    config.providers[QStringLiteral("echo")].api = QStringLiteral("nope");
    QCOMPARE(BackendRouter::problemWith(QStringLiteral("echo/echo"), config),
             QStringLiteral("provider 'echo' uses unsupported api 'nope'"));
    QCOMPARE(BackendRouter::problemWith(QStringLiteral("echo"), config),
             QStringLiteral("model reference 'echo' is not provider/model"));
    BackendRouter router;
    QString error;
    QVERIFY(!router.create(request(QStringLiteral("echo/echo")), config, &error));
    QCOMPARE(error, QStringLiteral("provider 'echo' uses unsupported api 'nope'"));
}

void TestConfigKeys::registryTextsAreTranslated()
{
    QString error;
    const QHash<QString, QString> french
        = translations(kSourceDir + QStringLiteral("/translations/passerelle_fr.ts"),
                       QStringLiteral("ProviderType"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList texts;
    const ProviderRegistry &registry = ProviderRegistry::instance();
    for (const ProviderType &t : registry.types())
        texts << QString::fromUtf8(t.label);
    for (const ConfigKey<ProviderConfig> &k : registry.allKeys().keys) {
        for (const char *text : {k.editor.label, k.editor.placeholder, k.editor.zeroText,
                                 k.editor.missing, k.editor.invalid}) {
            if (text)
                texts << QString::fromUtf8(text);
        }
    }
    QVERIFY(texts.size() > 10);
    QStringList missing;
    for (const QString &t : std::as_const(texts)) {
        if (!french.contains(t))
            missing << t;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestConfigKeys)
#include "tst_configkeys.moc"
