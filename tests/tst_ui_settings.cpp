// The settings tab against a real gateway (port 0): a port change re-listens without a restart,
// a taken port shows the server's error and the gateway comes back when it is free again, CORS
// origins are validated and applied to real responses, language and start-minimised persist.

#include "NoticeLabel.h"
#include "SettingsPage.h"
#include "support/TestGateway.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void showsPathsAndAddress();
    void portChangeRelistens();
    void takenPortShowsTheError();
    void corsOriginsApplied();
    void originValidation_data();
    void originValidation();
    void languageAndStartMinimisedPersist();

private:
    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<SettingsPage> m_page;
};

void TestSettings::init()
{
    m_gw = std::make_unique<TestGateway>();
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_page = std::make_unique<SettingsPage>(&m_gw->store(), &m_gw->controller(), m_gw->dir());
    m_page->show();
}

void TestSettings::cleanup()
{
    m_page.reset();
    m_gw.reset();
}

void TestSettings::showsPathsAndAddress()
{
    QCOMPARE(m_page->configPathLabel()->text(), m_gw->configPath());
    QTRY_COMPARE(m_page->listeningLabel()->text(),
                 QStringLiteral("http://127.0.0.1:%1").arg(m_gw->port()));
}

void TestSettings::portChangeRelistens()
{
    // Find a free port, then ask the gateway to move there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 target = probe.serverPort();
    probe.close();
    const quint16 before = m_gw->port();
    m_page->portBox()->setValue(target);
    QVERIFY(m_page->applyNetwork());
    QTRY_COMPARE(m_gw->port(), target);
    QTRY_COMPARE(m_page->networkNotice()->text(),
                 QStringLiteral("Listening on http://127.0.0.1:%1.").arg(target));
    QCOMPARE(TestHttpClient(target).request("GET", "/health").status, 200);
    QVERIFY(TestHttpClient(before).request("GET", "/health", {}, {}, 2000).status != 200);
}

void TestSettings::takenPortShowsTheError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = squatter.serverPort();
    const quint16 before = m_gw->port();
    m_page->portBox()->setValue(taken);
    QVERIFY(m_page->applyNetwork());
    QTRY_VERIFY(!m_gw->controller().status().error.isEmpty());
    QTRY_COMPARE(m_page->networkNotice()->kind(), NoticeLabel::Kind::Error);
    const QString error = m_gw->controller().status().error;
    QVERIFY2(error.contains(QString::number(taken)), qPrintable(error));
    // The server keeps its previous listener and the panel says so, with the reason.
    QCOMPARE(m_page->networkNotice()->text(),
             QStringLiteral("The new address could not be opened, so the gateway still listens on "
                            "http://127.0.0.1:%1.\n%2")
                 .arg(before)
                 .arg(error));
    QCOMPARE(m_gw->client().request("GET", "/health").status, 200);

    // Back to a free port: serving again, without a restart.
    m_page->portBox()->setValue(0);
    QVERIFY(m_page->applyNetwork());
    QTRY_COMPARE(m_gw->controller().status().state, ServerState::Serving);
    QTRY_COMPARE(m_page->networkNotice()->kind(), NoticeLabel::Kind::Success);
    QCOMPARE(m_gw->client().request("GET", "/health").status, 200);
}

void TestSettings::corsOriginsApplied()
{
    const TestHttpClient::Headers origin {{"Origin", "http://localhost:3000"}};
    QCOMPARE(m_gw->client().request("GET", "/health", origin).header("access-control-allow-origin"),
             QByteArray());
    m_page->corsEdit()->setPlainText(
        QStringLiteral("http://localhost:3000/\n\nhttps://app.example.com"));
    QVERIFY(m_page->applyCors());
    QCOMPARE(m_gw->store().config().corsOrigins,
             (QStringList {QStringLiteral("http://localhost:3000"),
                           QStringLiteral("https://app.example.com")}));
    QTRY_COMPARE(
        m_gw->client().request("GET", "/health", origin).header("access-control-allow-origin"),
        QByteArray("http://localhost:3000"));
    m_page->corsEdit()->setPlainText(QStringLiteral("*"));
    QVERIFY(!m_page->applyCors());
    QCOMPARE(m_gw->store().config().corsOrigins.size(), 2);
}

void TestSettings::originValidation_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("ok");
    QTest::newRow("http with port") << QStringLiteral("http://localhost:3000") << true;
    QTest::newRow("https") << QStringLiteral("https://app.example.com") << true;
    QTest::newRow("wildcard") << QStringLiteral("*") << false;
    QTest::newRow("with a path") << QStringLiteral("https://example.com/app") << false;
    QTest::newRow("no scheme") << QStringLiteral("example.com") << false;
    QTest::newRow("other scheme") << QStringLiteral("ftp://example.com") << false;
}

void TestSettings::originValidation()
{
    QFETCH(QString, origin);
    QFETCH(bool, ok);
    QCOMPARE(SettingsPage::validateOrigins({origin}).isEmpty(), ok);
}

void TestSettings::languageAndStartMinimisedPersist()
{
    QVERIFY(m_page->setLanguage(QStringLiteral("fr")));
    QVERIFY(m_page->setStartMinimized(true));
    ConfigStore reread;
    QString error;
    QVERIFY2(reread.load(m_gw->configPath(), ConfigOverrides {}, &error), qPrintable(error));
    QCOMPARE(reread.config().uiLanguage, QStringLiteral("fr"));
    QCOMPARE(reread.config().startMinimized, true);
    QCOMPARE(m_page->languageBox()->currentData().toString(), QStringLiteral("fr"));
}

QTEST_MAIN(TestSettings)
#include "tst_ui_settings.moc"
