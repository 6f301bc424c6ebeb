// ConfigStore on real files in a temporary directory: first run, environment overrides and their
// precedence, atomic writes with a .bak, and the watched file (valid edit, broken edit, our own
// write's echo, delete and re-create).

#include "config/ConfigStore.h"
#include "config/Json5.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace passerelle;

Q_DECLARE_METATYPE(passerelle::AuthMode)

namespace {

const char *const EnvNames[] = {"OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD",
                                "OPENCLAW_GATEWAY_PORT", "OPENCLAW_CONFIG_PATH"};

// Clears the variables the store reads and puts the previous values back afterwards.
class EnvGuard
{
public:
    EnvGuard()
    {
        for (const char *name : EnvNames) {
            m_saved.append({name, qgetenv(name), qEnvironmentVariableIsSet(name)});
            qunsetenv(name);
        }
    }
    ~EnvGuard()
    {
        for (const Saved &s : std::as_const(m_saved)) {
            if (s.wasSet)
                qputenv(s.name, s.value);
            else
                qunsetenv(s.name);
        }
    }
    Q_DISABLE_COPY_MOVE(EnvGuard)

private:
    struct Saved
    {
        const char *name;
        QByteArray value;
        bool wasSet;
    };
    QList<Saved> m_saved;
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

// As an editor that saves atomically (write a temporary file, rename it over the original).
void saveAtomically(const QString &path, const QByteArray &content)
{
    QSaveFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    QVERIFY(f.commit());
}

// As an editor that rewrites the file in place.
void writeInPlace(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
}

QJsonObject parseObject(const QByteArray &json5)
{
    Json5Error error;
    return Json5::parse(json5, &error).toObject();
}

QJsonValue valueAt(const QJsonObject &root, const QString &dotted)
{
    QJsonValue v = root;
    for (const QString &part : dotted.split(QLatin1Char('.')))
        v = v.toObject().value(part);
    return v;
}

constexpr QFileDevice::Permissions OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QFileDevice::Permissions ownerGroupOther(const QString &path)
{
    // ReadUser/WriteUser mirror the owner bits for the current user: keep only the unix bits
    return QFile::permissions(path)
        & (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
           | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
           | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther);
}

} // namespace

class TestConfigStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void firstRunWritesADefaultFile();
    void existingFileIsRead();
    void defaultPath_data();
    void defaultPath();
    void environment_data();
    void environment();
    void overridesPrecedence_data();
    void overridesPrecedence();
    void brokenFileAtLoad_data();
    void brokenFileAtLoad();

    void updateWritesAtomicallyWithBackup();
    void updateNeverWritesEnvironmentValues();
    void updateRefusesAConfigThatCannotStart();
    void ownWriteIsNotReportedAgain();

    void externalValidEdit();
    void externalBrokenEditKeepsThePreviousConfig();
    void externalEditBreakingAStartupRule();
    void deletedThenRecreated();

private:
    QString configPath() const { return m_dir->filePath(QStringLiteral("passerelle.json")); }
    void write(const QByteArray &content) { writeInPlace(configPath(), content); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<EnvGuard> m_env;
};

void TestConfigStore::init()
{
    m_env = std::make_unique<EnvGuard>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestConfigStore::cleanup()
{
    m_dir.reset();
    m_env.reset();
}

void TestConfigStore::firstRunWritesADefaultFile()
{
    const QString path = m_dir->filePath(QStringLiteral("sub/dir/passerelle.json"));
    ConfigStore store;
    QString error;
    QVERIFY2(store.load(path, ConfigOverrides(), &error), qPrintable(error));
    QCOMPARE(error, QString());
    QVERIFY(store.createdOnLoad());
    QCOMPARE(store.path(), path);

    const QJsonObject written = parseObject(readFile(path));
    const QString token = valueAt(written, QStringLiteral("gateway.auth.token")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{48}$")).match(token).hasMatch(),
             qPrintable(token));
    QCOMPARE(valueAt(written, QStringLiteral("gateway.http.endpoints.chatCompletions.enabled")),
             QJsonValue(true));
    QCOMPARE(valueAt(written, QStringLiteral("gateway.http.endpoints.responses.enabled")),
             QJsonValue(true));
    QCOMPARE(ownerGroupOther(path), OwnerOnly);
    QVERIFY(!QFile::exists(path + QStringLiteral(".bak"))); // nothing to back up on a first run

    QCOMPARE(store.config().auth.token, token);
    QCOMPARE(store.config().chatCompletionsEnabled, true);
    QCOMPARE(store.config().port, 18789);
    QCOMPARE(store.config().startupError(), QString());

    // the next start reads the same file: same token, not a first run
    ConfigStore again;
    QVERIFY(again.load(path, ConfigOverrides(), &error));
    QVERIFY(!again.createdOnLoad());
    QCOMPARE(again.config().auth.token, token);
}

void TestConfigStore::existingFileIsRead()
{
    write("// hand-written\n{gateway: {port: 1234, auth: {token: 'tok'}}, custom: 1,}\n");
    ConfigStore store;
    QString error;
    QVERIFY2(store.load(configPath(), ConfigOverrides(), &error), qPrintable(error));
    QVERIFY(!store.createdOnLoad());
    QCOMPARE(store.config().port, 1234);
    QCOMPARE(store.config().auth.token, QStringLiteral("tok"));
    QCOMPARE(store.config().chatCompletionsEnabled, false); // omitted: off, as in OpenClaw
    QCOMPARE(store.config().responsesEnabled, false);
    QCOMPARE(store.fileConfig().document.value(QStringLiteral("custom")), QJsonValue(1));
}

void TestConfigStore::defaultPath_data()
{
    QTest::addColumn<QString>("cli");
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<QString>("expected");

    const QString platform = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/passerelle.json");
    QTest::newRow("--config wins") << QStringLiteral("/a/cli.json") << QByteArray("/b/env.json")
                                   << QStringLiteral("/a/cli.json");
    QTest::newRow("then OPENCLAW_CONFIG_PATH")
        << QString() << QByteArray("/b/env.json") << QStringLiteral("/b/env.json");
    QTest::newRow("~ in OPENCLAW_CONFIG_PATH")
        << QString() << QByteArray("~/x/openclaw.json")
        << QDir::homePath() + QStringLiteral("/x/openclaw.json");
    QTest::newRow("else the platform config dir") << QString() << QByteArray() << platform;
}

void TestConfigStore::defaultPath()
{
    QFETCH(QString, cli);
    QFETCH(QByteArray, env);
    QFETCH(QString, expected);

    if (!env.isEmpty())
        qputenv("OPENCLAW_CONFIG_PATH", env);
    QCOMPARE(ConfigStore::defaultPath(cli), expected);
    QVERIFY(ConfigStore::defaultPath().endsWith(env.isEmpty() ? QStringLiteral("/passerelle.json")
                                                              : QString::fromUtf8(env).mid(1)));
}

void TestConfigStore::environment_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("port");
    QTest::addColumn<QString>("expectedToken");
    QTest::addColumn<QString>("expectedPassword");
    QTest::addColumn<int>("expectedPort"); // -1: none
    QTest::addColumn<bool>("warns");

    QTest::newRow("nothing set") << QByteArray() << QByteArray() << QByteArray() << QString()
                                 << QString() << -1 << false;
    QTest::newRow("all set") << QByteArray("tok") << QByteArray("pw") << QByteArray("8080")
                             << QStringLiteral("tok") << QStringLiteral("pw") << 8080 << false;
    QTest::newRow("values trimmed")
        << QByteArray(" tok\n") << QByteArray("\tpw ") << QByteArray(" 9000 ")
        << QStringLiteral("tok") << QStringLiteral("pw") << 9000 << false;
    QTest::newRow("port 1") << QByteArray() << QByteArray() << QByteArray("1") << QString()
                            << QString() << 1 << false;
    QTest::newRow("port 65535") << QByteArray() << QByteArray() << QByteArray("65535") << QString()
                                << QString() << 65535 << false;
    QTest::newRow("port 0 ignored")
        << QByteArray() << QByteArray() << QByteArray("0") << QString() << QString() << -1 << true;
    QTest::newRow("port 65536 ignored") << QByteArray() << QByteArray() << QByteArray("65536")
                                        << QString() << QString() << -1 << true;
    QTest::newRow("port not a number ignored") << QByteArray() << QByteArray() << QByteArray("http")
                                               << QString() << QString() << -1 << true;
}

void TestConfigStore::environment()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, port);
    QFETCH(QString, expectedToken);
    QFETCH(QString, expectedPassword);
    QFETCH(int, expectedPort);
    QFETCH(bool, warns);

    if (!token.isEmpty())
        qputenv("OPENCLAW_GATEWAY_TOKEN", token);
    if (!password.isEmpty())
        qputenv("OPENCLAW_GATEWAY_PASSWORD", password);
    if (!port.isEmpty())
        qputenv("OPENCLAW_GATEWAY_PORT", port);
    if (warns)
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral(
                "^OPENCLAW_GATEWAY_PORT=\".*\" is not a port \\(1\\.\\.65535\\): ignored$")));

    const ConfigOverrides o = ConfigOverrides::fromEnvironment();
    QCOMPARE(o.envToken, expectedToken);
    QCOMPARE(o.envPassword, expectedPassword);
    QCOMPARE(o.envPort.has_value(), expectedPort >= 0);
    if (expectedPort >= 0)
        QCOMPARE(*o.envPort, expectedPort);
    QVERIFY(!o.port.has_value()); // --port is the command line's business
}

void TestConfigStore::overridesPrecedence_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("envToken");
    QTest::addColumn<QByteArray>("envPassword");
    QTest::addColumn<QByteArray>("envPort");
    QTest::addColumn<int>("cliPort"); // -1: no --port
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("port");
    QTest::addColumn<AuthMode>("mode");

    QTest::newRow("file token wins over env")
        << QByteArray("{gateway: {auth: {token: 'file-tok'}}}") << QByteArray("env-tok")
        << QByteArray() << QByteArray() << -1 << QStringLiteral("file-tok") << QString() << 18789
        << AuthMode::Token;
    QTest::newRow("env token fills a missing one")
        << QByteArray("{}") << QByteArray("env-tok") << QByteArray() << QByteArray() << -1
        << QStringLiteral("env-tok") << QString() << 18789 << AuthMode::Token;
    QTest::newRow("env password makes password mode")
        << QByteArray("{}") << QByteArray() << QByteArray("env-pw") << QByteArray() << -1
        << QString() << QStringLiteral("env-pw") << 18789 << AuthMode::Password;
    QTest::newRow("file password wins over env")
        << QByteArray("{gateway: {auth: {password: 'file-pw'}}}") << QByteArray()
        << QByteArray("env-pw") << QByteArray() << -1 << QString() << QStringLiteral("file-pw")
        << 18789 << AuthMode::Password;
    QTest::newRow("explicit token mode stays with an env password")
        << QByteArray("{gateway: {auth: {mode: 'token', token: 't'}}}") << QByteArray()
        << QByteArray("env-pw") << QByteArray() << -1 << QStringLiteral("t")
        << QStringLiteral("env-pw") << 18789 << AuthMode::Token;
    QTest::newRow("file port") << QByteArray("{gateway: {port: 1000, auth: {token: 't'}}}")
                               << QByteArray() << QByteArray() << QByteArray() << -1
                               << QStringLiteral("t") << QString() << 1000 << AuthMode::Token;
    QTest::newRow("env port over file")
        << QByteArray("{gateway: {port: 1000, auth: {token: 't'}}}") << QByteArray() << QByteArray()
        << QByteArray("2000") << -1 << QStringLiteral("t") << QString() << 2000 << AuthMode::Token;
    QTest::newRow("--port over env and file")
        << QByteArray("{gateway: {port: 1000, auth: {token: 't'}}}") << QByteArray() << QByteArray()
        << QByteArray("2000") << 3000 << QStringLiteral("t") << QString() << 3000
        << AuthMode::Token;
    QTest::newRow("--port 0 for tests")
        << QByteArray("{gateway: {auth: {token: 't'}}}") << QByteArray() << QByteArray()
        << QByteArray() << 0 << QStringLiteral("t") << QString() << 0 << AuthMode::Token;
    QTest::newRow("--port fixes a bad file port")
        << QByteArray("{gateway: {port: 99999, auth: {token: 't'}}}") << QByteArray()
        << QByteArray() << QByteArray() << 3000 << QStringLiteral("t") << QString() << 3000
        << AuthMode::Token;
}

void TestConfigStore::overridesPrecedence()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, envToken);
    QFETCH(QByteArray, envPassword);
    QFETCH(QByteArray, envPort);
    QFETCH(int, cliPort);
    QFETCH(QString, token);
    QFETCH(QString, password);
    QFETCH(int, port);
    QFETCH(AuthMode, mode);

    if (!envToken.isEmpty())
        qputenv("OPENCLAW_GATEWAY_TOKEN", envToken);
    if (!envPassword.isEmpty())
        qputenv("OPENCLAW_GATEWAY_PASSWORD", envPassword);
    if (!envPort.isEmpty())
        qputenv("OPENCLAW_GATEWAY_PORT", envPort);
    ConfigOverrides overrides = ConfigOverrides::fromEnvironment();
    if (cliPort >= 0)
        overrides.port = cliPort;

    write(file);
    ConfigStore store;
    QString error;
    QVERIFY2(store.load(configPath(), overrides, &error), qPrintable(error));
    QCOMPARE(store.config().auth.token, token);
    QCOMPARE(store.config().auth.password, password);
    QCOMPARE(store.config().port, port);
    QCOMPARE(store.config().auth.mode, mode);

    // the file config is what the file says, without the environment
    const GatewayConfig fromFile = GatewayConfig::fromJson(parseObject(file));
    QCOMPARE(store.fileConfig().auth.token, fromFile.auth.token);
    QCOMPARE(store.fileConfig().auth.password, fromFile.auth.password);
    QCOMPARE(store.fileConfig().port, fromFile.port);
}

void TestConfigStore::brokenFileAtLoad_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // after "<path>: "

    QTest::newRow("syntax error") << QByteArray("{\n  gateway: {port: 1,,},\n}")
                                  << QStringLiteral(
                                         "line 2, column 21: expected a key or '}', found ','");
    QTest::newRow("unterminated string")
        << QByteArray("{gateway: {auth: {token: 'abc}}}\n")
        << QStringLiteral("line 1, column 26: unterminated string");
    QTest::newRow("empty file") << QByteArray()
                                << QStringLiteral("line 1, column 1: unexpected end of input");
    QTest::newRow("not an object")
        << QByteArray("[1]") << QStringLiteral("the top-level value must be an object");
    QTest::newRow("wrong type") << QByteArray("{gateway: {port: 'x', auth: {token: 't'}}}")
                                << QStringLiteral("gateway.port: expected an integer");
    QTest::newRow("two wrong types")
        << QByteArray("{gateway: {port: 'x', bind: 1, auth: {token: 't'}}}")
        << QStringLiteral("gateway.port: expected an integer; gateway.bind: expected "
                          "\"loopback\", \"lan\" or \"custom\"");
    QTest::newRow("no token") << QByteArray("{gateway: {port: 1}}")
                              << QStringLiteral(
                                     "gateway.auth.mode is \"token\" but no token is set: set "
                                     "gateway.auth.token or OPENCLAW_GATEWAY_TOKEN");
}

void TestConfigStore::brokenFileAtLoad()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);

    write(content);
    ConfigStore store;
    QString actual;
    QVERIFY(!store.load(configPath(), ConfigOverrides(), &actual));
    QCOMPARE(actual, configPath() + QStringLiteral(": ") + error);
    QCOMPARE(readFile(configPath()), content); // a broken file is never overwritten
}

void TestConfigStore::updateWritesAtomicallyWithBackup()
{
    const QByteArray original
        = "// mine\n{gateway: {auth: {token: 'tok'}}, unknownTop: {keep: [1, 2]},"
          " agents: {list: [{id: 'main', workspace: '~/w'}]}}\n";
    write(original);
    ConfigStore store;
    QString error;
    QVERIFY2(store.load(configPath(), ConfigOverrides(), &error), qPrintable(error));
    QSignalSpy changed(&store, &ConfigStore::changed);

    QVERIFY2(store.update(
                 [](GatewayConfig &c) {
                     c.port = 9000;
                     c.chatCompletionsEnabled = true;
                     c.agents[0].name = QStringLiteral("Main");
                 },
                 &error),
             qPrintable(error));

    // changed() at once, with the new values
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<GatewayConfig>().port, 9000);
    QCOMPARE(store.config().port, 9000);
    QCOMPARE(store.fileConfig().chatCompletionsEnabled, true);

    const QByteArray written = readFile(configPath());
    const QJsonObject doc = parseObject(written);
    QCOMPARE(valueAt(doc, QStringLiteral("gateway.port")), QJsonValue(9000));
    QCOMPARE(valueAt(doc, QStringLiteral("gateway.auth.token")), QJsonValue(QStringLiteral("tok")));
    QCOMPARE(valueAt(doc, QStringLiteral("unknownTop.keep")), QJsonValue(QJsonArray {1, 2}));
    const QJsonObject agent
        = valueAt(doc, QStringLiteral("agents.list")).toArray().at(0).toObject();
    QCOMPARE(agent.value(QStringLiteral("workspace")), QJsonValue(QStringLiteral("~/w")));
    QCOMPARE(agent.value(QStringLiteral("name")), QJsonValue(QStringLiteral("Main")));

    // the previous content, byte for byte, in the .bak; both files private
    QCOMPARE(readFile(configPath() + QStringLiteral(".bak")), original);
    QCOMPARE(ownerGroupOther(configPath()), OwnerOnly);
    QCOMPARE(ownerGroupOther(configPath() + QStringLiteral(".bak")), OwnerOnly);
    // atomic: no temporary file left behind
    QCOMPARE(
        QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden, QDir::Name),
        (QStringList {QStringLiteral("passerelle.json"), QStringLiteral("passerelle.json.bak")}));

    // a second update keeps one .bak: the content before that update
    QVERIFY(store.update([](GatewayConfig &c) { c.port = 9001; }, &error));
    QCOMPARE(readFile(configPath() + QStringLiteral(".bak")), written);
    QCOMPARE(changed.count(), 2);

    // an update that changes nothing writes nothing
    QVERIFY(store.update([](GatewayConfig &) {}, &error));
    QCOMPARE(readFile(configPath() + QStringLiteral(".bak")), written);
    QCOMPARE(changed.count(), 2);
}

void TestConfigStore::updateNeverWritesEnvironmentValues()
{
    write("{gateway: {port: 1000}}");
    ConfigOverrides overrides;
    overrides.envToken = QStringLiteral("env-secret-token");
    overrides.envPassword = QStringLiteral("env-secret-password");
    overrides.port = 4000;
    ConfigStore store;
    QString error;
    QVERIFY2(store.load(configPath(), overrides, &error), qPrintable(error));
    QCOMPARE(store.config().auth.token, QStringLiteral("env-secret-token"));
    QCOMPARE(store.config().port, 4000);

    // a panel that edits a copy of the effective config and saves it all
    const GatewayConfig effective = store.config();
    QVERIFY2(store.update(
                 [&effective](GatewayConfig &c) {
                     c = effective;
                     c.chatCompletionsEnabled = true;
                 },
                 &error),
             qPrintable(error));

    const QByteArray written = readFile(configPath());
    QVERIFY2(!written.contains("env-secret"), written.constData());
    const QJsonObject doc = parseObject(written);
    QCOMPARE(valueAt(doc, QStringLiteral("gateway.port")), QJsonValue(1000));
    QVERIFY(valueAt(doc, QStringLiteral("gateway.auth.token")).isUndefined());
    QVERIFY(valueAt(doc, QStringLiteral("gateway.auth.password")).isUndefined());
    QCOMPARE(valueAt(doc, QStringLiteral("gateway.http.endpoints.chatCompletions.enabled")),
             QJsonValue(true));
    // and the effective config still has them
    QCOMPARE(store.config().auth.token, QStringLiteral("env-secret-token"));
    QCOMPARE(store.config().port, 4000);
    QCOMPARE(store.fileConfig().auth.token, QString());

    // a token set on purpose in the panel is written
    QVERIFY(
        store.update([](GatewayConfig &c) { c.auth.token = QStringLiteral("chosen"); }, &error));
    QCOMPARE(valueAt(parseObject(readFile(configPath())), QStringLiteral("gateway.auth.token")),
             QJsonValue(QStringLiteral("chosen")));
    QCOMPARE(store.config().auth.token, QStringLiteral("chosen")); // config wins
}

void TestConfigStore::updateRefusesAConfigThatCannotStart()
{
    write("{gateway: {auth: {token: 't'}}}");
    const QByteArray before = readFile(configPath());
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    QSignalSpy changed(&store, &ConfigStore::changed);

    QVERIFY(!store.update(
        [](GatewayConfig &c) {
            c.bind = BindMode::Lan;
            c.auth.mode = AuthMode::None;
            c.auth.modeExplicit = true;
        },
        &error));
    QCOMPARE(error,
             configPath()
                 + QStringLiteral(": gateway.auth.mode \"none\" is only allowed with "
                                  "gateway.bind \"loopback\""));
    QCOMPARE(readFile(configPath()), before);
    QVERIFY(!QFile::exists(configPath() + QStringLiteral(".bak")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(store.config().bind, BindMode::Loopback);
}

void TestConfigStore::ownWriteIsNotReportedAgain()
{
    write("{gateway: {auth: {token: 't'}}}");
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    auto *watcher = store.findChild<QFileSystemWatcher *>(QString(), Qt::FindDirectChildrenOnly);
    auto *debounce = store.findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    QVERIFY(watcher);
    QVERIFY(debounce);
    QSignalSpy changed(&store, &ConfigStore::changed);
    QSignalSpy failed(&store, &ConfigStore::loadFailed);
    QSignalSpy seen(watcher, &QFileSystemWatcher::directoryChanged);

    QVERIFY(store.update([](GatewayConfig &c) { c.port = 5555; }, &error));
    QCOMPARE(changed.count(), 1);
    // the watcher sees our write, the debounced reload runs and finds its own bytes
    QTRY_VERIFY(seen.count() > 0);
    QTRY_VERIFY(!debounce->isActive());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(failed.count(), 0);

    // and the watch survived the atomic rename: an external edit is still seen
    saveAtomically(configPath(), "{gateway: {port: 6666, auth: {token: 't'}}}");
    QTRY_COMPARE(changed.count(), 2);
    QCOMPARE(store.config().port, 6666);
}

void TestConfigStore::externalValidEdit()
{
    write("{gateway: {port: 1000, auth: {token: 't'}}}");
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    QSignalSpy changed(&store, &ConfigStore::changed);
    QSignalSpy failed(&store, &ConfigStore::loadFailed);

    // an editor that saves by renaming a new file over the old one
    saveAtomically(configPath(),
                   "{gateway: {port: 2000, auth: {token: 't'}}, "
                   "agents: {list: [{id: 'coder'}]}}");
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<GatewayConfig>().port, 2000);
    QCOMPARE(store.config().port, 2000);
    QCOMPARE(store.config().agents.at(0).id, QStringLiteral("coder"));
    QCOMPARE(store.fileConfig().port, 2000);

    // then one that rewrites in place: the new inode is watched too
    write("{gateway: {port: 3000, auth: {token: 't'}}}");
    QTRY_COMPARE(changed.count(), 2);
    QCOMPARE(store.config().port, 3000);
    QCOMPARE(failed.count(), 0);
}

void TestConfigStore::externalBrokenEditKeepsThePreviousConfig()
{
    write("{gateway: {port: 1000, auth: {token: 't'}}}");
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    QSignalSpy changed(&store, &ConfigStore::changed);
    QSignalSpy failed(&store, &ConfigStore::loadFailed);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("line 2, column 14")));
    write("{gateway: {\n  port: 2000 auth: {token: 't'}}}");
    QTRY_COMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(0).toString();
    QCOMPARE(message,
             configPath()
                 + QStringLiteral(": line 2, column 14: expected ',' or '}' after a member, "
                                  "found 'a'"));
    QVERIFY(message.contains(QStringLiteral("line")));
    QVERIFY(message.contains(QStringLiteral("column")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(store.config().port, 1000);
    QCOMPARE(store.fileConfig().port, 1000);

    // fixing the file applies it
    write("{gateway: {\n  port: 2000, auth: {token: 't'}}}");
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(store.config().port, 2000);
    QCOMPARE(failed.count(), 1);
}

void TestConfigStore::externalEditBreakingAStartupRule()
{
    write("{gateway: {auth: {token: 't'}}}");
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    QSignalSpy failed(&store, &ConfigStore::loadFailed);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("only allowed")));
    write("{gateway: {bind: 'lan', auth: {mode: 'none'}}}");
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(),
             configPath()
                 + QStringLiteral(": gateway.auth.mode \"none\" is only allowed with "
                                  "gateway.bind \"loopback\""));
    QCOMPARE(store.config().bind, BindMode::Loopback);
    QCOMPARE(store.config().auth.mode, AuthMode::Token);
}

void TestConfigStore::deletedThenRecreated()
{
    write("{gateway: {port: 1000, auth: {token: 't'}}}");
    ConfigStore store;
    QString error;
    QVERIFY(store.load(configPath(), ConfigOverrides(), &error));
    auto *watcher = store.findChild<QFileSystemWatcher *>(QString(), Qt::FindDirectChildrenOnly);
    auto *debounce = store.findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    QSignalSpy changed(&store, &ConfigStore::changed);
    QSignalSpy failed(&store, &ConfigStore::loadFailed);
    QSignalSpy seen(watcher, &QFileSystemWatcher::directoryChanged);

    QVERIFY(QFile::remove(configPath()));
    QTRY_VERIFY(seen.count() > 0);
    QTRY_VERIFY(!debounce->isActive()); // the deletion has been handled
    QCOMPARE(changed.count(), 0); // deleting is not a change: the config stays
    QCOMPARE(failed.count(), 0);
    QCOMPARE(store.config().port, 1000);

    write("{gateway: {port: 2000, auth: {token: 't'}}}");
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(store.config().port, 2000);

    // and it is watched again
    write("{gateway: {port: 3000, auth: {token: 't'}}}");
    QTRY_COMPARE(changed.count(), 2);
    QCOMPARE(store.config().port, 3000);
    QCOMPARE(failed.count(), 0);
}

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_configstore.moc"
