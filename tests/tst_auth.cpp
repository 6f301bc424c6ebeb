// Authenticator: token, password and none modes, bearer parsing (scheme case, trimming), missing vs
// wrong, named tokens (SHA-256 stored) with their agent lists, and the WebSocket secret check
// (SPEC section 5).

#include "auth/Authenticator.h"

#include <QRegularExpression>
#include <QTest>

using namespace passerelle;
using Outcome = AuthResult::Outcome;

Q_DECLARE_METATYPE(passerelle::AuthResult::Outcome)
Q_DECLARE_METATYPE(passerelle::AuthMode)

class TestAuth : public QObject
{
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void checkSecret_data();
    void checkSecret();
    void bearerValue_data();
    void bearerValue();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void sha256Hex();
    void mayUseAgent();
    void emptyConfiguredSecretNeverMatches();
    void secretsNeverLogged();
};

namespace {

NamedToken named(const char *name, const char *secret, QStringList agents, bool upperHex = false)
{
    NamedToken t;
    t.name = QString::fromUtf8(name);
    t.sha256Hex = Authenticator::sha256Hex(QByteArray(secret));
    if (upperHex)
        t.sha256Hex = t.sha256Hex.toUpper();
    t.agents = std::move(agents);
    t.createdAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    return t;
}

AuthConfig authConfig(AuthMode mode)
{
    AuthConfig c;
    c.mode = mode;
    c.modeExplicit = true;
    c.token = QStringLiteral("s3cret-token");
    c.password = QStringLiteral("hunter2");
    c.tokens = {named("ci", "ci-token", {QStringLiteral("research")}),
                named("laptop", "laptop-token", {}, true)};
    return c;
}

} // namespace

void TestAuth::check_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("principal");
    QTest::addColumn<QStringList>("agents");

    const QString gateway = QStringLiteral("gateway");
    const QString none;
    const QStringList all;
    const AuthMode token = AuthMode::Token;
    const AuthMode password = AuthMode::Password;

    QTest::newRow("token: right") << token << QByteArray("Bearer s3cret-token") << Outcome::Ok
                                  << gateway << all;
    QTest::newRow("token: lower-case scheme")
        << token << QByteArray("bearer s3cret-token") << Outcome::Ok << gateway << all;
    QTest::newRow("token: upper-case scheme")
        << token << QByteArray("BEARER s3cret-token") << Outcome::Ok << gateway << all;
    QTest::newRow("token: value trimmed")
        << token << QByteArray("  Bearer    s3cret-token \t") << Outcome::Ok << gateway << all;
    QTest::newRow("token: tab after scheme")
        << token << QByteArray("Bearer\ts3cret-token") << Outcome::Ok << gateway << all;
    QTest::newRow("token: missing header")
        << token << QByteArray() << Outcome::Missing << none << all;
    QTest::newRow("token: basic scheme")
        << token << QByteArray("Basic czNjcmV0") << Outcome::Missing << none << all;
    QTest::newRow("token: scheme only")
        << token << QByteArray("Bearer") << Outcome::Missing << none << all;
    QTest::newRow("token: scheme and blanks")
        << token << QByteArray("Bearer    ") << Outcome::Missing << none << all;
    QTest::newRow("token: no space after scheme")
        << token << QByteArray("Bearers3cret-token") << Outcome::Missing << none << all;
    QTest::newRow("token: bare secret")
        << token << QByteArray("s3cret-token") << Outcome::Missing << none << all;
    QTest::newRow("token: wrong") << token << QByteArray("Bearer nope") << Outcome::Wrong << none
                                  << all;
    QTest::newRow("token: prefix of secret")
        << token << QByteArray("Bearer s3cret-toke") << Outcome::Wrong << none << all;
    QTest::newRow("token: secret plus suffix")
        << token << QByteArray("Bearer s3cret-token2") << Outcome::Wrong << none << all;
    QTest::newRow("token: secret case differs")
        << token << QByteArray("Bearer S3CRET-TOKEN") << Outcome::Wrong << none << all;
    QTest::newRow("token: password is not the token")
        << token << QByteArray("Bearer hunter2") << Outcome::Wrong << none << all;
    QTest::newRow("token: named token with agents")
        << token << QByteArray("Bearer ci-token") << Outcome::Ok << QStringLiteral("ci")
        << QStringList {QStringLiteral("research")};
    QTest::newRow("token: named token, upper-case stored hex")
        << token << QByteArray("Bearer laptop-token") << Outcome::Ok << QStringLiteral("laptop")
        << all;
    QTest::newRow("token: hash of a named token is not the token")
        << token << QByteArray(QByteArray("Bearer ") + Authenticator::sha256Hex("ci-token"))
        << Outcome::Wrong << none << all;

    QTest::newRow("password: right")
        << password << QByteArray("Bearer hunter2") << Outcome::Ok << gateway << all;
    QTest::newRow("password: token is not the password")
        << password << QByteArray("Bearer s3cret-token") << Outcome::Wrong << none << all;
    QTest::newRow("password: wrong")
        << password << QByteArray("Bearer hunter3") << Outcome::Wrong << none << all;
    QTest::newRow("password: missing")
        << password << QByteArray() << Outcome::Missing << none << all;
    QTest::newRow("password: named token still works")
        << password << QByteArray("bearer ci-token") << Outcome::Ok << QStringLiteral("ci")
        << QStringList {QStringLiteral("research")};

    QTest::newRow("none: no header")
        << AuthMode::None << QByteArray() << Outcome::Ok << QStringLiteral("anonymous") << all;
    QTest::newRow("none: any bearer") << AuthMode::None << QByteArray("Bearer whatever")
                                      << Outcome::Ok << QStringLiteral("anonymous") << all;
    QTest::newRow("none: other scheme") << AuthMode::None << QByteArray("Basic x") << Outcome::Ok
                                        << QStringLiteral("anonymous") << all;
}

void TestAuth::check()
{
    QFETCH(AuthMode, mode);
    QFETCH(QByteArray, header);
    QFETCH(Outcome, outcome);
    QFETCH(QString, principal);
    QFETCH(QStringList, agents);

    const Authenticator auth(authConfig(mode));
    const AuthResult result = auth.check(header);
    QCOMPARE(result.outcome, outcome);
    QCOMPARE(result.ok(), outcome == Outcome::Ok);
    QCOMPARE(result.principal, principal);
    QCOMPARE(result.agents, agents);
}

void TestAuth::checkSecret_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<bool>("isPassword");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("principal");

    QTest::newRow("token mode, token") << AuthMode::Token << QByteArray("s3cret-token") << false
                                       << Outcome::Ok << QStringLiteral("gateway");
    QTest::newRow("token mode, token sent as password")
        << AuthMode::Token << QByteArray("s3cret-token") << true << Outcome::Wrong << QString();
    QTest::newRow("token mode, password")
        << AuthMode::Token << QByteArray("hunter2") << true << Outcome::Wrong << QString();
    QTest::newRow("token mode, empty")
        << AuthMode::Token << QByteArray() << false << Outcome::Missing << QString();
    QTest::newRow("token mode, wrong")
        << AuthMode::Token << QByteArray("x") << false << Outcome::Wrong << QString();
    QTest::newRow("token mode, named token") << AuthMode::Token << QByteArray("ci-token") << false
                                             << Outcome::Ok << QStringLiteral("ci");
    QTest::newRow("named token sent as password")
        << AuthMode::Token << QByteArray("ci-token") << true << Outcome::Wrong << QString();
    QTest::newRow("password mode, password") << AuthMode::Password << QByteArray("hunter2") << true
                                             << Outcome::Ok << QStringLiteral("gateway");
    QTest::newRow("password mode, password sent as token")
        << AuthMode::Password << QByteArray("hunter2") << false << Outcome::Wrong << QString();
    QTest::newRow("password mode, named token") << AuthMode::Password << QByteArray("laptop-token")
                                                << false << Outcome::Ok << QStringLiteral("laptop");
    QTest::newRow("password mode, empty")
        << AuthMode::Password << QByteArray() << true << Outcome::Missing << QString();
    QTest::newRow("none mode, empty")
        << AuthMode::None << QByteArray() << false << Outcome::Ok << QStringLiteral("anonymous");
}

void TestAuth::checkSecret()
{
    QFETCH(AuthMode, mode);
    QFETCH(QByteArray, secret);
    QFETCH(bool, isPassword);
    QFETCH(Outcome, outcome);
    QFETCH(QString, principal);

    const Authenticator auth(authConfig(mode));
    const AuthResult result = auth.checkSecret(secret, isPassword);
    QCOMPARE(result.outcome, outcome);
    QCOMPARE(result.principal, principal);
}

void TestAuth::bearerValue_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");

    QTest::newRow("plain") << QByteArray("Bearer abc") << QByteArray("abc");
    QTest::newRow("mixed case scheme") << QByteArray("bEaReR abc") << QByteArray("abc");
    QTest::newRow("trimmed") << QByteArray(" Bearer   abc  ") << QByteArray("abc");
    QTest::newRow("inner spaces kept") << QByteArray("Bearer a b") << QByteArray("a b");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("scheme only") << QByteArray("Bearer") << QByteArray();
    QTest::newRow("glued") << QByteArray("Bearerabc") << QByteArray();
    QTest::newRow("basic") << QByteArray("Basic abc") << QByteArray();
    QTest::newRow("token scheme") << QByteArray("Token abc") << QByteArray();
}

void TestAuth::bearerValue()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QCOMPARE(Authenticator::bearerValue(header), value);
}

void TestAuth::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    QTest::newRow("same") << QByteArray("secret") << QByteArray("secret") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("last byte differs") << QByteArray("secret") << QByteArray("secreT") << false;
    QTest::newRow("prefix") << QByteArray("secret") << QByteArray("secre") << false;
    QTest::newRow("empty vs not") << QByteArray() << QByteArray("x") << false;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestAuth::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(Authenticator::constantTimeEquals(a, b), equal);
    QCOMPARE(Authenticator::constantTimeEquals(b, a), equal);
}

void TestAuth::sha256Hex()
{
    QCOMPARE(Authenticator::sha256Hex("abc"),
             QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(Authenticator::sha256Hex(QByteArray()),
             QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void TestAuth::mayUseAgent()
{
    const Authenticator auth(authConfig(AuthMode::Token));
    const AuthResult limited = auth.check("Bearer ci-token");
    QVERIFY(limited.mayUseAgent(QStringLiteral("research")));
    QVERIFY(!limited.mayUseAgent(QStringLiteral("main")));
    const AuthResult gateway = auth.check("Bearer s3cret-token");
    QVERIFY(gateway.mayUseAgent(QStringLiteral("main")));
    QVERIFY(gateway.mayUseAgent(QStringLiteral("research")));
}

void TestAuth::emptyConfiguredSecretNeverMatches()
{
    AuthConfig c = authConfig(AuthMode::Token);
    c.token.clear();
    const Authenticator auth(c);
    QCOMPARE(auth.check("Bearer x").outcome, Outcome::Wrong);
    QCOMPARE(auth.check("Bearer ").outcome, Outcome::Missing);
    QCOMPARE(auth.check("Bearer ci-token").outcome, Outcome::Ok);

    c = authConfig(AuthMode::Password);
    c.password.clear();
    QCOMPARE(Authenticator(c).checkSecret("x", true).outcome, Outcome::Wrong);
}

namespace {
QStringList *g_logged = nullptr;
void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logged->append(message);
}
} // namespace

void TestAuth::secretsNeverLogged()
{
    QStringList logged;
    g_logged = &logged;
    const QtMessageHandler previous = qInstallMessageHandler(capture);
    for (const AuthMode mode : {AuthMode::Token, AuthMode::Password, AuthMode::None}) {
        const Authenticator auth(authConfig(mode));
        auth.check("Bearer s3cret-token");
        auth.check("Bearer hunter2");
        auth.check("Bearer wrong-guess");
        auth.check("Bearer ci-token");
        auth.checkSecret("hunter2", true);
    }
    qInstallMessageHandler(previous);
    g_logged = nullptr;
    const QRegularExpression secrets(QStringLiteral("s3cret|hunter2|wrong-guess|ci-token"));
    for (const QString &line : logged)
        QVERIFY2(!secrets.match(line).hasMatch(), qPrintable(line));
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
