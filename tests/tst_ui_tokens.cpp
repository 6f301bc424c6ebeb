// The tokens tab against a real gateway (port 0): named tokens created in the panel get in and
// revoked ones do not, agent-limited tokens get 403 elsewhere, a regenerated main token replaces
// the old one, the secret is shown once and only its hash is stored, lockouts appear and clear.

#include "NamedTokenDialog.h"
#include "SecretDialog.h"
#include "TokensPage.h"
#include "support/TestGateway.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace passerelle;
using namespace passerelle::test;

namespace {

const QByteArray kAgents = R"(agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },
                                                 { id: 'writer', model: 'echo/echo' } ] })";

QByteArray body(const char *model = "openclaw")
{
    return R"({"model":")" + QByteArray(model)
        + R"(","messages":[{"role":"user","content":"hi"}]})";
}

// Runs `act` on the next modal dialog as soon as it is shown.
void onNextModal(const std::function<void(QWidget *)> &act)
{
    QTimer::singleShot(0, qApp, [act] {
        QWidget *w = nullptr;
        QTRY_VERIFY((w = QApplication::activeModalWidget()) != nullptr);
        act(w);
    });
}

} // namespace

class TestTokens : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void namedTokenStoredAsHash();
    void createAndRevokeChangesWhoGetsIn();
    void agentLimitedToken();
    void newTokenThroughTheDialogsShowsSecretOnce();
    void regenerateReplacesMainToken();
    void mainTokenMaskedUntilRevealed();
    void noneModeOnlyOnLoopback();
    void lockoutAppearsAndClears();
    void nameValidation_data();
    void nameValidation();
    void usagePerTokenTodayWeekTotal();

private:
    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<TokensPage> m_page;
};

void TestTokens::init()
{
    m_gw = std::make_unique<TestGateway>(TestGateway::configText({}, kAgents));
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_page = std::make_unique<TokensPage>(&m_gw->store(), &m_gw->controller());
    m_page->show();
}

void TestTokens::cleanup()
{
    m_page.reset();
    m_gw.reset();
}

void TestTokens::namedTokenStoredAsHash()
{
    const QDateTime when(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
    const NamedToken t = TokensPage::makeNamedToken(
        QStringLiteral(" ci "), {QStringLiteral("main")}, QStringLiteral("abc"), when);
    QCOMPARE(t.name, QStringLiteral("ci"));
    // sha256("abc")
    QCOMPARE(t.sha256Hex,
             QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(t.createdAt.toString(Qt::ISODate), QStringLiteral("2026-01-02T03:04:05Z"));
    QCOMPARE(t.agents, QStringList {QStringLiteral("main")});
}

void TestTokens::createAndRevokeChangesWhoGetsIn()
{
    const QString secret = m_page->createNamedToken(QStringLiteral("laptop"), {});
    QCOMPARE(secret.size(), 48);
    QTRY_COMPARE(m_gw->client().post("/v1/chat/completions", body(), secret.toUtf8()).status, 200);
    QCOMPARE(m_page->namedTable()->rowCount(), 1);
    QCOMPARE(m_page->namedTable()->item(0, 0)->text(), QStringLiteral("laptop"));
    QCOMPARE(m_page->namedTable()->item(0, 1)->text(), QStringLiteral("all agents"));

    // The file holds the hash, never the secret.
    QFile file(m_gw->configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains(secret.toUtf8()));
    QVERIFY(text.contains(
        QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex()));

    QVERIFY(m_page->revokeNamedToken(QStringLiteral("laptop")));
    QCOMPARE(m_page->namedTable()->rowCount(), 0);
    QTRY_COMPARE(m_gw->client().post("/v1/chat/completions", body(), secret.toUtf8()).status, 401);
    // The main token is untouched.
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), TestGateway::kToken).status, 200);
}

void TestTokens::agentLimitedToken()
{
    const QString secret
        = m_page->createNamedToken(QStringLiteral("writer-only"), {QStringLiteral("writer")});
    QVERIFY(!secret.isEmpty());
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("openclaw/writer"), secret.toUtf8())
                     .status,
                 200);
    const HttpResponse denied
        = m_gw->client().post("/v1/chat/completions", body("openclaw/main"), secret.toUtf8());
    QCOMPARE(denied.status, 403);
    QCOMPARE(denied.json()
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             QStringLiteral("token may not use agent 'main'"));
}

void TestTokens::newTokenThroughTheDialogsShowsSecretOnce()
{
    QString shownSecret;
    onNextModal([&shownSecret](QWidget *w) {
        auto *dialog = qobject_cast<NamedTokenDialog *>(w);
        QVERIFY(dialog);
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("ci"));
        dialog->agentList()->item(1)->setCheckState(Qt::Checked); // "writer"
        onNextModal([&shownSecret](QWidget *w2) {
            auto *secret = qobject_cast<SecretDialog *>(w2);
            QVERIFY(secret);
            shownSecret = secret->secret();
            secret->copyButton()->click();
            secret->accept();
        });
        dialog->accept();
    });
    const auto buttons = m_page->findChildren<QPushButton *>();
    QPushButton *newButton = nullptr;
    for (QPushButton *b : buttons) {
        if (b->text() == QStringLiteral("New token…"))
            newButton = b;
    }
    QVERIFY(newButton);
    newButton->click();
    QCOMPARE(shownSecret.size(), 48);
    QCOMPARE(QApplication::clipboard()->text(), shownSecret);
    const GatewayConfig cfg = m_gw->store().config();
    QCOMPARE(cfg.auth.tokens.size(), 1);
    QCOMPARE(cfg.auth.tokens.first().name, QStringLiteral("ci"));
    QCOMPARE(cfg.auth.tokens.first().agents, QStringList {QStringLiteral("writer")});
    QCOMPARE(cfg.auth.tokens.first().sha256Hex,
             QCryptographicHash::hash(shownSecret.toUtf8(), QCryptographicHash::Sha256).toHex());
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("openclaw/writer"), shownSecret.toUtf8())
                     .status,
                 200);
}

void TestTokens::regenerateReplacesMainToken()
{
    QVERIFY(m_page->regenerateToken());
    const QString fresh = m_gw->store().config().auth.token;
    QCOMPARE(fresh.size(), 48);
    QVERIFY(fresh != QLatin1String(TestGateway::kToken));
    QTRY_COMPARE(m_gw->client().post("/v1/chat/completions", body(), TestGateway::kToken).status,
                 401);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), fresh.toUtf8()).status, 200);
}

void TestTokens::mainTokenMaskedUntilRevealed()
{
    QLineEdit *field = m_page->tokenField();
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QCOMPARE(field->displayText().contains(QLatin1String(TestGateway::kToken)), false);
    m_page->revealButton()->click();
    QCOMPARE(field->echoMode(), QLineEdit::Normal);
    QCOMPARE(field->displayText(), QLatin1String(TestGateway::kToken));
}

void TestTokens::noneModeOnlyOnLoopback()
{
    m_gw->update([](GatewayConfig &c) { c.bind = BindMode::Lan; });
    QVERIFY(!m_page->setAuthMode(AuthMode::None));
    QCOMPARE(m_gw->store().config().auth.mode, AuthMode::Token);
    m_gw->update([](GatewayConfig &c) { c.bind = BindMode::Loopback; });
    QVERIFY(m_page->setAuthMode(AuthMode::None));
    QCOMPARE(m_gw->store().config().auth.mode, AuthMode::None);
    QTRY_COMPARE(m_gw->client().post("/v1/chat/completions", body(), {}).status, 200);
}

void TestTokens::lockoutAppearsAndClears()
{
    m_page->maxAttemptsBox()->setValue(2);
    // Loopback is exempt by default: the test client is loopback, so lift the exemption.
    auto *exempt = m_page->findChild<QCheckBox *>();
    QVERIFY(exempt);
    exempt->setChecked(false);
    QSignalSpy applied(&m_gw->controller(), &GatewayController::statusChanged);
    QVERIFY(m_page->applyRateLimit());
    QCOMPARE(m_gw->store().config().auth.rateLimit.maxAttempts, 2);
    QTRY_VERIFY(applied.count() > 0); // the server thread has the new limiter settings
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), "bad").status, 401);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), "bad").status, 401);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), TestGateway::kToken).status, 429);
    m_gw->controller().refreshLockouts();
    QTRY_COMPARE(m_page->lockoutTable()->rowCount(), 1);
    QCOMPARE(m_page->lockoutTable()->item(0, 0)->text(), QStringLiteral("127.0.0.1"));
    m_page->clearLockout(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(m_page->lockoutTable()->rowCount(), 0);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), TestGateway::kToken).status, 200);
}

void TestTokens::nameValidation_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ok") << QStringLiteral("ci") << QString();
    QTest::newRow("empty") << QStringLiteral("  ") << QStringLiteral("Give the token a name.");
    QTest::newRow("taken, other case")
        << QStringLiteral("Laptop") << QStringLiteral("A token named “laptop” already exists.");
    QTest::newRow("too long") << QString(65, QLatin1Char('x'))
                              << QStringLiteral("The name is longer than 64 characters.");
    QTest::newRow("reserved main")
        << QStringLiteral("Main")
        << QStringLiteral(
               "“Main” is reserved for the gateway's own credential: choose another name.");
    QTest::newRow("reserved anonymous")
        << QStringLiteral("anonymous")
        << QStringLiteral(
               "“anonymous” is reserved for the gateway's own credential: choose another name.");
}

void TestTokens::nameValidation()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(NamedTokenDialog::validateName(name, {QStringLiteral("laptop")}), expected);
}

void TestTokens::usagePerTokenTodayWeekTotal()
{
    const QString secret = m_page->createNamedToken(QStringLiteral("laptop"), {});
    // Until the server has the new token its requests get 401 (not counted for it); QTRY_*
    // evaluates its expression several times, so it posts only until the first 200.
    bool answered = false;
    QTRY_VERIFY(
        answered
        || (answered
            = m_gw->client().post("/v1/chat/completions", body(), secret.toUtf8()).status == 200));
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body("nope"), secret.toUtf8()).status,
             400);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body(), TestGateway::kToken).status, 200);
    const auto row = [this](const QString &token) {
        QStringList cells;
        for (int r = 0; r < m_page->usageTable()->rowCount(); ++r) {
            if (m_page->usageTable()->item(r, 0)->text() != token)
                continue;
            for (int c = 1; c < m_page->usageTable()->columnCount(); ++c)
                cells << m_page->usageTable()->item(r, c)->text();
        }
        return cells.join(QLatin1Char(' '));
    };
    m_page->refreshUsage();
    // "hi" in, "hi" out (the echo agent) per answered request; the 400 is an error.
    QTRY_COMPARE(row(QStringLiteral("laptop")), QStringLiteral("2 1 1 1"));
    QCOMPARE(row(QStringLiteral("main token")), QStringLiteral("1 1 1 0"));
    for (int period : {1, 2}) {
        m_page->usagePeriodBox()->setCurrentIndex(period);
        QCOMPARE(row(QStringLiteral("laptop")), QStringLiteral("2 1 1 1"));
    }
    QCOMPARE(m_page->usageTable()->rowCount(), 2);
    QVERIFY(m_page->usageNote()->text().contains(QLatin1String("/metrics")));
    QVERIFY(!m_page->usageTable()->findItems(secret, Qt::MatchContains).size());
}

QTEST_MAIN(TestTokens)
#include "tst_ui_tokens.moc"
