// AgentResolver: header over model over default, every model prefix, case folding, the two 400
// messages, and the default agent with and without `default: true` (SPEC section 6); model aliases
// (passerelle.modelAliases, SPEC section 15): globs, precedence, the agent they name.

#include "engine/AgentResolver.h"

#include <QTest>

using namespace passerelle;

class TestAgentResolver : public QObject
{
    Q_OBJECT

private slots:
    void resolve_data();
    void resolve();
    void isValidAgentId_data();
    void isValidAgentId();
    void unknownAgentMessage();
    void globMatches_data();
    void globMatches();
    void aliases_data();
    void aliases();
};

namespace {

AgentConfig agent(const char *id, bool isDefault = false)
{
    AgentConfig a;
    a.id = QString::fromLatin1(id);
    a.isDefault = isDefault;
    a.primary = QStringLiteral("echo/echo");
    return a;
}

// "marked": research carries default:true. "first": no flag, the first listed (main) is default.
GatewayConfig config(bool marked)
{
    GatewayConfig c;
    c.agents = {agent("main"), agent("research", marked), agent("ops-2")};
    return c;
}

const QString kInvalidModel
    = QStringLiteral("Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.");
const QString kInvalidHeader = QStringLiteral("Invalid `x-openclaw-agent-id` header.");

QString unknown(const QString &id)
{
    return QStringLiteral("Unknown agent '") + id + QStringLiteral("'.");
}

} // namespace

void TestAgentResolver::resolve_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("markedDefault");
    QTest::addColumn<QString>("agentId");
    QTest::addColumn<QString>("error");

    const QString none;
    const auto s = [](const char *v) { return QString::fromUtf8(v); };
    const QString id64 = QStringLiteral("a") + QString(63, QLatin1Char('b'));
    const QString id65 = id64 + QStringLiteral("c");

    // Default selection
    QTest::newRow("no model, default:true") << none << none << true << s("research") << none;
    QTest::newRow("no model, first listed") << none << none << false << s("main") << none;
    QTest::newRow("openclaw, default:true")
        << none << s("openclaw") << true << s("research") << none;
    QTest::newRow("openclaw, first listed") << none << s("openclaw") << false << s("main") << none;
    QTest::newRow("openclaw/default")
        << none << s("openclaw/default") << true << s("research") << none;
    QTest::newRow("OpenClaw upper case") << none << s("OpenClaw") << true << s("research") << none;
    QTest::newRow("OPENCLAW/DEFAULT")
        << none << s("OPENCLAW/DEFAULT") << false << s("main") << none;
    QTest::newRow("model trimmed") << none << s("  openclaw ") << false << s("main") << none;
    QTest::newRow("whitespace model") << none << s("   ") << true << s("research") << none;

    // Every prefix
    QTest::newRow("openclaw:<id>") << none << s("openclaw:main") << true << s("main") << none;
    QTest::newRow("openclaw/<id>") << none << s("openclaw/main") << true << s("main") << none;
    QTest::newRow("agent:<id>") << none << s("agent:main") << true << s("main") << none;
    QTest::newRow("id with dash and digit")
        << none << s("openclaw/ops-2") << true << s("ops-2") << none;
    QTest::newRow("prefix and id case")
        << none << s("OpenClaw/Research") << false << s("research") << none;
    QTest::newRow("AGENT:MAIN") << none << s("AGENT:MAIN") << true << s("main") << none;
    QTest::newRow("OPENCLAW:OPS-2") << none << s("OPENCLAW:OPS-2") << true << s("ops-2") << none;

    // Invalid model
    QTest::newRow("foreign model") << none << s("gpt-4o") << true << none << kInvalidModel;
    QTest::newRow("provider/model") << none << s("echo/echo") << true << none << kInvalidModel;
    QTest::newRow("openclaw/ empty id") << none << s("openclaw/") << true << none << kInvalidModel;
    QTest::newRow("agent: empty id") << none << s("agent:") << true << none << kInvalidModel;
    QTest::newRow("id with space") << none << s("openclaw/bad id") << true << none << kInvalidModel;
    QTest::newRow("id starting with dash")
        << none << s("openclaw/-main") << true << none << kInvalidModel;
    QTest::newRow("id with slash") << none << s("openclaw/main/x") << true << none << kInvalidModel;
    QTest::newRow("id with colon") << none << s("openclaw:main:x") << true << none << kInvalidModel;
    QTest::newRow("id too long") << none << QString(s("openclaw/") + id65) << true << none
                                 << kInvalidModel;
    QTest::newRow("non-ASCII id") << none << s("openclaw/\u212Aey") << true << none
                                  << kInvalidModel;
    QTest::newRow("openclaw.main") << none << s("openclaw.main") << true << none << kInvalidModel;
    QTest::newRow("openclawx") << none << s("openclawx") << true << none << kInvalidModel;

    // Unknown agent
    QTest::newRow("unknown via openclaw/")
        << none << s("openclaw/ghost") << true << none << unknown(s("ghost"));
    QTest::newRow("unknown lower-cased")
        << none << s("agent:Ghost") << true << none << unknown(s("ghost"));
    QTest::newRow("unknown 64-char id")
        << none << QString(s("openclaw:") + id64) << true << none << unknown(id64);

    // Header wins
    QTest::newRow("header over model")
        << s("research") << s("openclaw/main") << false << s("research") << none;
    QTest::newRow("header over default") << s("ops-2") << none << true << s("ops-2") << none;
    QTest::newRow("header over invalid model")
        << s("main") << s("gpt-4o") << true << s("main") << none;
    QTest::newRow("header lower-cased") << s("MAIN") << none << true << s("main") << none;
    QTest::newRow("header trimmed") << s("  research ") << none << false << s("research") << none;
    QTest::newRow("header unknown")
        << s("Ghost") << s("openclaw/main") << true << none << unknown(s("ghost"));
    QTest::newRow("header malformed")
        << s("bad id!") << s("openclaw/main") << true << none << kInvalidHeader;
    QTest::newRow("header with prefix is malformed")
        << s("openclaw/main") << none << true << none << kInvalidHeader;
    QTest::newRow("blank header ignored")
        << s("  ") << s("agent:ops-2") << true << s("ops-2") << none;
}

void TestAgentResolver::resolve()
{
    QFETCH(QString, header);
    QFETCH(QString, model);
    QFETCH(bool, markedDefault);
    QFETCH(QString, agentId);
    QFETCH(QString, error);

    const AgentChoice choice = AgentResolver::resolve(header, model, config(markedDefault));
    QCOMPARE(choice.agentId, agentId);
    QCOMPARE(choice.error, error);
}

void TestAgentResolver::isValidAgentId_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");

    QTest::newRow("main") << QStringLiteral("main") << true;
    QTest::newRow("single char") << QStringLiteral("a") << true;
    QTest::newRow("digit first") << QStringLiteral("9lives") << true;
    QTest::newRow("upper case folds") << QStringLiteral("Main") << true;
    QTest::newRow("underscore and dash") << QStringLiteral("a_b-c") << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('x')) << true;
    QTest::newRow("65 chars") << QString(65, QLatin1Char('x')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("underscore first") << QStringLiteral("_a") << false;
    QTest::newRow("dash first") << QStringLiteral("-a") << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("accented") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("kelvin sign") << QStringLiteral("\u212A") << false;
}

void TestAgentResolver::isValidAgentId()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(AgentResolver::isValidAgentId(id), valid);
}

void TestAgentResolver::unknownAgentMessage()
{
    QCOMPARE(AgentResolver::unknownAgentMessage(QStringLiteral("ghost")),
             QStringLiteral("Unknown agent 'ghost'."));
}

void TestAgentResolver::globMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << "gpt-4o"
                           << "gpt-4o" << true;
    QTest::newRow("exact other") << "gpt-4o"
                                 << "gpt-4o-mini" << false;
    QTest::newRow("prefix") << "claude-*"
                            << "claude-opus-5-5" << true;
    QTest::newRow("prefix empty rest") << "claude-*"
                                       << "claude-" << true;
    QTest::newRow("prefix miss") << "claude-*"
                                 << "claudex" << false;
    QTest::newRow("case") << "Claude-*"
                          << "CLAUDE-haiku" << true;
    QTest::newRow("middle") << "claude-*-5-*"
                            << "claude-opus-5-5" << true;
    QTest::newRow("middle miss") << "claude-*-4-*"
                                 << "claude-opus-5-5" << false;
    QTest::newRow("suffix") << "*-haiku"
                            << "claude-3-5-haiku" << true;
    QTest::newRow("star alone") << "*"
                                << "anything" << true;
    QTest::newRow("backtrack") << "a*b*c"
                               << "aXbYbZc" << true;
    QTest::newRow("backtrack miss") << "a*b*c"
                                    << "aXbYbZ" << false;
    QTest::newRow("many stars") << "**a**"
                                << "bab" << true;
    QTest::newRow("long no match") << "*a*a*a*a*a*b" << QString(200, QLatin1Char('a')) << false;
}

void TestAgentResolver::globMatches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, name);
    QFETCH(bool, matches);
    QCOMPARE(AgentResolver::globMatches(pattern, name), matches);
}

void TestAgentResolver::aliases_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QString>("error");
    QTest::newRow("glob") << ""
                          << "claude-opus-5-5"
                          << "research"
                          << "";
    QTest::newRow("more literal wins") << ""
                                       << "claude-3-5-haiku-latest"
                                       << "ops-2"
                                       << "";
    QTest::newRow("exact wins") << ""
                                << "claude-exact"
                                << "main"
                                << "";
    QTest::newRow("catch-all last") << ""
                                    << "gpt-4o"
                                    << "main"
                                    << "";
    QTest::newRow("section 6 forms first") << ""
                                           << "openclaw/ops-2"
                                           << "ops-2"
                                           << "";
    QTest::newRow("header first") << "main"
                                  << "claude-opus-5-5"
                                  << "main"
                                  << "";
    QTest::newRow("alias to an unknown agent") << ""
                                               << "ghost-1"
                                               << ""
                                               << "Unknown agent 'nobody'.";
    QTest::newRow("alias to a bad id") << ""
                                       << "bad-1"
                                       << ""
                                       << "Unknown agent 'Not Valid'.";
    QTest::newRow("empty model: the default") << ""
                                              << ""
                                              << "main"
                                              << "";
}

void TestAgentResolver::aliases()
{
    QFETCH(QString, header);
    QFETCH(QString, model);
    QFETCH(QString, agent);
    QFETCH(QString, error);
    GatewayConfig c = config(false);
    c.modelAliases = {{QStringLiteral("claude-*"), QStringLiteral("Research")},
                      {QStringLiteral("claude-*-haiku-*"), QStringLiteral("ops-2")},
                      {QStringLiteral("claude-exact"), QStringLiteral("main")},
                      {QStringLiteral("claude-exac*"), QStringLiteral("ops-2")},
                      {QStringLiteral("ghost-*"), QStringLiteral("nobody")},
                      {QStringLiteral("bad-*"), QStringLiteral("Not Valid")},
                      {QStringLiteral("*"), QStringLiteral("main")}};
    const AgentChoice choice = AgentResolver::resolve(header, model, c);
    QCOMPARE(choice.agentId, agent);
    QCOMPARE(choice.error, error);
    // without aliases, a model name that is no section 6 form stays the 400
    if (!model.isEmpty() && !model.startsWith(QLatin1String("openclaw")) && header.isEmpty())
        QCOMPARE(AgentResolver::resolve(header, model, config(false)).error,
                 QStringLiteral("Invalid `model`. Use `openclaw` or `openclaw/<agentId>`."));
}

QTEST_GUILESS_MAIN(TestAgentResolver)
#include "tst_agentresolver.moc"
