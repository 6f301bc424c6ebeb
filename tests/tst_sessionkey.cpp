// SessionKey: x-openclaw-session-key (verbatim, reserved namespaces, agent:<id>: override),
// the `user` key, and the per-request uuid key (SPEC section 7).

#include "engine/SessionKey.h"

#include <QRegularExpression>
#include <QTest>

using namespace passerelle;

class TestSessionKey : public QObject
{
    Q_OBJECT

private slots:
    void resolve_data();
    void resolve();
    void freshKeysDiffer();
};

namespace {

GatewayConfig config()
{
    GatewayConfig c;
    AgentConfig main;
    main.id = QStringLiteral("main");
    AgentConfig research;
    research.id = QStringLiteral("research");
    c.agents = {main, research};
    return c;
}

const QString kReserved
    = QStringLiteral("`x-openclaw-session-key` cannot use reserved internal session namespaces.");
const QString kUuid
    = QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

} // namespace

void TestSessionKey::resolve_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("resolved");
    QTest::addColumn<QString>("keyPattern"); // anchored regular expression
    QTest::addColumn<QString>("agentId");
    QTest::addColumn<bool>("stable");
    QTest::addColumn<QString>("error");

    const QString none;
    const auto s = [](const char *v) { return QString::fromUtf8(v); };
    const auto exact
        = [](const char *v) { return QRegularExpression::escape(QString::fromUtf8(v)); };
    const QString main = s("main");

    // Header: verbatim and stable
    QTest::newRow("header verbatim")
        << s("my-session") << none << main << exact("my-session") << main << true << none;
    QTest::newRow("header trimmed")
        << s("  chat 1 \t") << none << main << exact("chat 1") << main << true << none;
    QTest::newRow("header keeps case")
        << s("Team:Chat-1") << none << main << exact("Team:Chat-1") << main << true << none;
    QTest::newRow("header over user")
        << s("k1") << s("alice") << main << exact("k1") << main << true << none;
    QTest::newRow("blank header ignored")
        << s("   ") << s("alice") << main << exact("agent:main:openai-user:alice") << main << true
        << none;
    QTest::newRow("top-level harness is allowed")
        << s("harness:x") << none << main << exact("harness:x") << main << true << none;
    QTest::newRow("reserved word later is allowed")
        << s("agent:main:chat:subagent:x") << none << main << exact("agent:main:chat:subagent:x")
        << main << true << none;
    QTest::newRow("reserved word as suffix is allowed")
        << s("mycron:x") << none << main << exact("mycron:x") << main << true << none;

    // Reserved namespaces
    QTest::newRow("subagent:") << s("subagent:abc") << none << main << none << none << false
                               << kReserved;
    QTest::newRow("cron:") << s("cron:nightly") << none << main << none << none << false
                           << kReserved;
    QTest::newRow("acp:") << s("acp:1") << none << main << none << none << false << kReserved;
    QTest::newRow("CRON: upper case")
        << s("CRON:x") << none << main << none << none << false << kReserved;
    QTest::newRow("reserved after trimming")
        << s("  subagent:x") << none << main << none << none << false << kReserved;
    QTest::newRow("agent:<id>:subagent:")
        << s("agent:main:subagent:x") << none << main << none << none << false << kReserved;
    QTest::newRow("agent:<id>:cron:")
        << s("agent:main:cron:x") << none << main << none << none << false << kReserved;
    QTest::newRow("agent:<id>:acp:")
        << s("agent:research:acp:x") << none << main << none << none << false << kReserved;
    QTest::newRow("agent:<id>:harness:")
        << s("agent:main:harness:run-1") << none << main << none << none << false << kReserved;
    QTest::newRow("Agent:MAIN:HARNESS: mixed case")
        << s("Agent:MAIN:HARNESS:x") << none << main << none << none << false << kReserved;
    QTest::newRow("reserved wins over unknown agent")
        << s("agent:ghost:cron:x") << none << main << none << none << false << kReserved;

    // agent:<id>: prefix names the agent
    QTest::newRow("agent prefix overrides resolved")
        << s("agent:research:chat-1") << none << main << exact("agent:research:chat-1")
        << s("research") << true << none;
    QTest::newRow("agent prefix case-insensitive, key verbatim")
        << s("Agent:RESEARCH:Chat") << none << main << exact("Agent:RESEARCH:Chat") << s("research")
        << true << none;
    QTest::newRow("agent prefix same as resolved")
        << s("agent:main:x") << none << main << exact("agent:main:x") << main << true << none;
    QTest::newRow("unknown agent in prefix") << s("agent:ghost:chat") << none << main << none
                                             << none << false << s("Unknown agent 'ghost'.");
    QTest::newRow("unknown agent lower-cased") << s("agent:Ghost:chat") << none << main << none
                                               << none << false << s("Unknown agent 'ghost'.");
    QTest::newRow("malformed agent in prefix") << s("agent:bad id:chat") << none << main << none
                                               << none << false << s("Unknown agent 'bad id'.");
    QTest::newRow("agent:<id> without rest is not a prefix")
        << s("agent:research") << none << main << exact("agent:research") << main << true << none;
    QTest::newRow("agent:<id>: with empty rest is not a prefix")
        << s("agent:research:") << none << main << exact("agent:research:") << main << true << none;
    QTest::newRow("agent:: empty id is not a prefix")
        << s("agent::x") << none << main << exact("agent::x") << main << true << none;

    // user
    QTest::newRow("user") << none << s("alice") << main << exact("agent:main:openai-user:alice")
                          << main << true << none;
    QTest::newRow("user trimmed and lower-cased")
        << none << s("  Bob@Example.COM ") << main
        << exact("agent:main:openai-user:bob@example.com") << main << true << none;
    QTest::newRow("user on another agent")
        << none << s("alice") << s("research") << exact("agent:research:openai-user:alice")
        << s("research") << true << none;

    // fresh uuid
    QTest::newRow("no header, no user")
        << none << none << main << QString(QStringLiteral("agent:main:openai:") + kUuid) << main
        << false << none;
    QTest::newRow("blank user") << none << s("  ") << s("research")
                                << QString(QStringLiteral("agent:research:openai:") + kUuid)
                                << s("research") << false << none;
}

void TestSessionKey::resolve()
{
    QFETCH(QString, header);
    QFETCH(QString, user);
    QFETCH(QString, resolved);
    QFETCH(QString, keyPattern);
    QFETCH(QString, agentId);
    QFETCH(bool, stable);
    QFETCH(QString, error);

    const SessionChoice choice = SessionKey::resolve(header, user, resolved, config());
    QCOMPARE(choice.error, error);
    if (!error.isEmpty())
        return;
    const QRegularExpression re(QRegularExpression::anchoredPattern(keyPattern));
    QVERIFY2(re.match(choice.key).hasMatch(), qPrintable(choice.key));
    QCOMPARE(choice.agentId, agentId);
    QCOMPARE(choice.stable, stable);
}

void TestSessionKey::freshKeysDiffer()
{
    const SessionChoice a
        = SessionKey::resolve(QString(), QString(), QStringLiteral("main"), config());
    const SessionChoice b
        = SessionKey::resolve(QString(), QString(), QStringLiteral("main"), config());
    QVERIFY(a.key != b.key);
    const SessionChoice u1
        = SessionKey::resolve(QString(), QStringLiteral("Alice"), QStringLiteral("main"), config());
    const SessionChoice u2 = SessionKey::resolve(QString(), QStringLiteral("alice "),
                                                 QStringLiteral("main"), config());
    QCOMPARE(u1.key, u2.key);
}

QTEST_GUILESS_MAIN(TestSessionKey)
#include "tst_sessionkey.moc"
