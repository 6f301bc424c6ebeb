// The main window and the tray: five tabs, run-time language switching (every open page
// retranslates, back and forth), closing hides to the tray only when there is one (otherwise the
// window says so and stays), and the tray's state icons and menu actions.

#include "LanguageManager.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "SettingsPage.h"
#include "TokensPage.h"
#include "TrayController.h"
#include "support/TestGateway.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGroupBox>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

using namespace passerelle;
using namespace passerelle::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void tabsInEnglish();
    void switchesLanguageAtRunTime();
    void closeHidesToTrayWhenThereIsOne();
    void closeWithoutTraySaysSoAndStays();
    void trayState_data();
    void trayState();
    void trayMenuTogglesEndpointAndCopiesUrl();
    void trayStateWithEitherEndpoint_data();
    void trayStateWithEitherEndpoint();
    void trayMenuTogglesBothEndpoints();

private:
    QStringList tabTexts() const;

    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<LanguageManager> m_lang;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    m_gw = std::make_unique<TestGateway>();
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_lang = std::make_unique<LanguageManager>();
    QVERIFY(m_lang->setLanguage(QStringLiteral("en")));
    m_window = std::make_unique<MainWindow>(&m_gw->store(), &m_gw->controller(), m_lang.get(),
                                            m_gw->dir());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_lang.reset();
    m_gw.reset();
}

QStringList TestMainWindow::tabTexts() const
{
    QStringList out;
    for (int i = 0; i < m_window->tabs()->count(); ++i)
        out << m_window->tabs()->tabText(i);
    return out;
}

void TestMainWindow::tabsInEnglish()
{
    QCOMPARE(tabTexts(),
             (QStringList {QStringLiteral("Overview"), QStringLiteral("Tokens"),
                           QStringLiteral("Agents"), QStringLiteral("Requests"),
                           QStringLiteral("Settings")}));
}

void TestMainWindow::switchesLanguageAtRunTime()
{
    // As a user does it: the Settings page's language box, which goes through the config.
    SettingsPage *settings = m_window->settingsPage();
    const int fr = settings->languageBox()->findData(QStringLiteral("fr"));
    QVERIFY(fr >= 0);
    settings->languageBox()->setCurrentIndex(fr);
    emit settings->languageBox()->activated(fr);
    QCOMPARE(m_gw->store().config().uiLanguage, QStringLiteral("fr"));
    QTRY_COMPARE(m_window->tabs()->tabText(0), QStringLiteral("Aperçu"));
    QCOMPARE(
        tabTexts(),
        (QStringList {QStringLiteral("Aperçu"), QStringLiteral("Jetons"), QStringLiteral("Agents"),
                      QStringLiteral("Requêtes"), QStringLiteral("Réglages")}));
    // Pages that were already open retranslated too.
    QCOMPARE(m_window->overviewPage()->endpointSwitch()->text(),
             QStringLiteral("Servir l’endpoint Chat Completions (/v1/chat/completions)"));
    QCOMPARE(m_window->tokensPage()->findChild<QGroupBox *>()->title(),
             QStringLiteral("Authentification"));
    QCOMPARE(m_window->overviewPage()->stateLabel()->text(), QStringLiteral("En service"));

    const int en = settings->languageBox()->findData(QStringLiteral("en"));
    settings->languageBox()->setCurrentIndex(en);
    emit settings->languageBox()->activated(en);
    QTRY_COMPARE(m_window->tabs()->tabText(0), QStringLiteral("Overview"));
    QCOMPARE(m_window->overviewPage()->stateLabel()->text(), QStringLiteral("Serving"));
}

void TestMainWindow::closeHidesToTrayWhenThereIsOne()
{
    QSignalSpy hidden(m_window.get(), &MainWindow::hiddenToTray);
    m_window->setTrayAvailable(true);
    QVERIFY(!m_window->close());
    QVERIFY(!m_window->isVisible());
    QCOMPARE(hidden.count(), 1);
    m_window->showPanel();
    QVERIFY(m_window->isVisible());
}

void TestMainWindow::closeWithoutTraySaysSoAndStays()
{
    m_window->setTrayAvailable(false);
    QString shownText;
    QTimer::singleShot(0, qApp, [&shownText] {
        QWidget *w = nullptr;
        QTRY_VERIFY((w = QApplication::activeModalWidget()) != nullptr);
        auto *box = qobject_cast<QMessageBox *>(w);
        QVERIFY(box);
        shownText = box->text();
        for (QAbstractButton *b : box->buttons()) {
            if (b->text() == QStringLiteral("Keep the window"))
                b->click();
        }
    });
    QSignalSpy quit(m_window.get(), &MainWindow::quitRequested);
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QCOMPARE(quit.count(), 0);
    QVERIFY(shownText.startsWith(QStringLiteral("This desktop has no system tray")));
}

void TestMainWindow::trayState_data()
{
    QTest::addColumn<int>("serverState");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("icon");
    QTest::newRow("serving") << int(ServerState::Serving) << true
                             << int(TrayController::State::Serving)
                             << QStringLiteral(":/icons/tray-serving.svg");
    QTest::newRow("endpoint off") << int(ServerState::Serving) << false
                                  << int(TrayController::State::EndpointDisabled)
                                  << QStringLiteral(":/icons/tray-disabled.svg");
    QTest::newRow("error") << int(ServerState::Error) << true << int(TrayController::State::Error)
                           << QStringLiteral(":/icons/tray-error.svg");
    QTest::newRow("stopped") << int(ServerState::Stopped) << true
                             << int(TrayController::State::Stopped)
                             << QStringLiteral(":/icons/tray-stopped.svg");
    QTest::newRow("starting") << int(ServerState::Starting) << true
                              << int(TrayController::State::Stopped)
                              << QStringLiteral(":/icons/tray-stopped.svg");
}

void TestMainWindow::trayState()
{
    QFETCH(int, serverState);
    QFETCH(bool, enabled);
    QFETCH(int, expected);
    QFETCH(QString, icon);
    ServerStatus st;
    st.state = static_cast<ServerState>(serverState);
    GatewayConfig cfg;
    cfg.chatCompletionsEnabled = enabled;
    const auto state = TrayController::stateFor(st, cfg);
    QCOMPARE(int(state), expected);
    QCOMPARE(TrayController::iconPath(state), icon);
    // The icon is in the binary and renders (the SVG plugin is installed).
    QVERIFY(!QIcon(icon).pixmap(22, 22).isNull());
}

void TestMainWindow::trayMenuTogglesEndpointAndCopiesUrl()
{
    TrayController tray(&m_gw->store(), &m_gw->controller());
    QTRY_COMPARE(int(tray.state()), int(TrayController::State::Serving));
    QVERIFY(tray.endpointAction()->isChecked());
    tray.endpointAction()->trigger();
    QCOMPARE(m_gw->store().config().chatCompletionsEnabled, false);
    QTRY_COMPARE(int(tray.state()), int(TrayController::State::EndpointDisabled));
    QTRY_COMPARE(m_gw->client().post("/v1/chat/completions", "{}", TestGateway::kToken).status,
                 404);
    tray.endpointAction()->trigger();
    QCOMPARE(m_gw->store().config().chatCompletionsEnabled, true);

    tray.copyUrlAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(),
             QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_gw->port()));
    QSignalSpy quit(&tray, &TrayController::quitRequested);
    tray.quitAction()->trigger();
    QCOMPARE(quit.count(), 1);
    QCOMPARE(tray.menu()->actions().size(), 7); // status, separator, 3 actions, separator, quit
}

void TestMainWindow::trayStateWithEitherEndpoint_data()
{
    QTest::addColumn<bool>("chat");
    QTest::addColumn<bool>("responses");
    QTest::addColumn<int>("expected");
    QTest::newRow("both") << true << true << int(TrayController::State::Serving);
    QTest::newRow("responses only") << false << true << int(TrayController::State::Serving);
    QTest::newRow("chat only") << true << false << int(TrayController::State::Serving);
    QTest::newRow("neither") << false << false << int(TrayController::State::EndpointDisabled);
}

void TestMainWindow::trayStateWithEitherEndpoint()
{
    QFETCH(bool, chat);
    QFETCH(bool, responses);
    QFETCH(int, expected);
    ServerStatus st;
    st.state = ServerState::Serving;
    GatewayConfig cfg;
    cfg.chatCompletionsEnabled = chat;
    cfg.responsesEnabled = responses;
    QCOMPARE(int(TrayController::stateFor(st, cfg)), expected);
}

void TestMainWindow::trayMenuTogglesBothEndpoints()
{
    TrayController tray(&m_gw->store(), &m_gw->controller());
    QTRY_COMPARE(int(tray.state()), int(TrayController::State::Serving));
    const QByteArray body = R"({"input":"hi"})";
    QCOMPARE(m_gw->client().post("/v1/responses", body, TestGateway::kToken).status, 200);
    tray.endpointAction()->trigger(); // off: both
    QCOMPARE(m_gw->store().config().chatCompletionsEnabled, false);
    QCOMPARE(m_gw->store().config().responsesEnabled, false);
    QTRY_COMPARE(m_gw->client().post("/v1/responses", body, TestGateway::kToken).status, 404);
    QVERIFY(!tray.endpointAction()->isChecked());
    tray.endpointAction()->trigger(); // on: both
    QCOMPARE(m_gw->store().config().chatCompletionsEnabled, true);
    QCOMPARE(m_gw->store().config().responsesEnabled, true);
    QTRY_COMPARE(m_gw->client().post("/v1/responses", body, TestGateway::kToken).status, 200);
    // With only one of them on, the action shows on; a click turns both off.
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    QTRY_VERIFY(tray.endpointAction()->isChecked());
    tray.endpointAction()->trigger();
    QCOMPARE(m_gw->store().config().responsesEnabled, false);
    QCOMPARE(m_gw->store().config().chatCompletionsEnabled, false);
}

QTEST_MAIN(TestMainWindow)
#include "tst_ui_mainwindow.moc"
