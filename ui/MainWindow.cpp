#include "MainWindow.h"

#include "AgentsPage.h"
#include "EndpointAddress.h"
#include "LanguageManager.h"
#include "OverviewPage.h"
#include "RequestLogModel.h"
#include "RequestLogPage.h"
#include "SettingsPage.h"
#include "TokensPage.h"

#include <QAction>
#include <QCloseEvent>
#include <QEvent>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>

namespace passerelle {

MainWindow::MainWindow(ConfigStore *store, GatewayController *controller, LanguageManager *language,
                       const QString &dataDir, QWidget *parent)
    : QMainWindow(parent), m_store(store), m_controller(controller), m_language(language),
      m_log(new RequestLogModel(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/passerelle.svg")));
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_overview = new OverviewPage(store, controller, m_tabs);
    m_tokens = new TokensPage(store, controller, m_tabs);
    m_agents = new AgentsPage(store, controller, m_tabs);
    m_requests = new RequestLogPage(m_log, m_tabs);
    m_settings = new SettingsPage(store, controller, dataDir, m_tabs);
    for (QWidget *page : {static_cast<QWidget *>(m_overview), static_cast<QWidget *>(m_tokens),
                          static_cast<QWidget *>(m_agents), static_cast<QWidget *>(m_requests),
                          static_cast<QWidget *>(m_settings)})
        m_tabs->addTab(page, QString());
    setCentralWidget(m_tabs);

    m_fileMenu = menuBar()->addMenu(QString());
    m_exportAction = m_fileMenu->addAction(QString());
    m_exportAction->setShortcut(QKeySequence::Save);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString());
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_exportAction, &QAction::triggered, m_requests, &RequestLogPage::exportWithDialog);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::quitRequested);

    m_statusLine = new QLabel(this);
    statusBar()->addWidget(m_statusLine, 1);

    // The panel shows SSE frames, so the server keeps copies of them while it is open.
    controller->setCaptureFrames(true);
    connect(controller, &GatewayController::logBatch, this, &MainWindow::onLogBatch);
    connect(controller, &GatewayController::statusChanged, this, &MainWindow::updateStatusLine);
    connect(store, &ConfigStore::changed, this, &MainWindow::updateStatusLine);
    connect(store, &ConfigStore::changed, this, [this](const GatewayConfig &cfg) {
        if (m_language)
            m_language->setLanguage(cfg.uiLanguage);
    });
    connect(store, &ConfigStore::loadFailed, this, [this](const QString &message) {
        statusBar()->showMessage(
            tr("The configuration file has an error and was not applied: %1").arg(message));
    });

    resize(1180, 760);
    retranslateUi();
}

MainWindow::~MainWindow() = default;

void MainWindow::onLogBatch(const LogBatch &batch)
{
    m_log->appendBatch(batch);
    m_overview->refreshCounters();
}

void MainWindow::showPanel()
{
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

void MainWindow::updateStatusLine()
{
    const ServerStatus st = m_controller->status();
    const GatewayConfig cfg = m_store->config();
    switch (st.state) {
    case ServerState::Serving:
        if (!st.error.isEmpty()) {
            m_statusLine->setText(
                tr("Serving on %1 — %2").arg(EndpointAddress::baseUrl(st, cfg), st.error));
            break;
        }
        m_statusLine->setText(
            cfg.chatCompletionsEnabled
                ? tr("Serving on %1").arg(EndpointAddress::baseUrl(st, cfg))
                : tr("Listening on %1, chat endpoint off").arg(EndpointAddress::baseUrl(st, cfg)));
        break;
    case ServerState::Error:
        m_statusLine->setText(tr("Not listening: %1").arg(st.error));
        break;
    case ServerState::Starting:
        m_statusLine->setText(tr("Starting…"));
        break;
    case ServerState::Stopped:
        m_statusLine->setText(tr("Stopped"));
        break;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_allowClose) {
        event->accept();
        return;
    }
    if (m_trayAvailable) {
        hide();
        event->ignore();
        emit hiddenToTray();
        return;
    }
    // No tray to keep the gateway reachable from: say so, and keep the window unless the user
    // really wants to stop the gateway.
    event->ignore();
    QMessageBox box(QMessageBox::Information, tr("No system tray"),
                    tr("This desktop has no system tray, so Passerelle cannot keep running in "
                       "the background. The window stays open; quit to stop the gateway."),
                    QMessageBox::NoButton, this);
    QPushButton *keep = box.addButton(tr("Keep the window"), QMessageBox::AcceptRole);
    QPushButton *quit = box.addButton(tr("Quit Passerelle"), QMessageBox::DestructiveRole);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() == quit)
        emit quitRequested();
}

void MainWindow::retranslateUi()
{
    setWindowTitle(tr("Passerelle — control panel"));
    m_tabs->setTabText(0, tr("Overview"));
    m_tabs->setTabText(1, tr("Tokens"));
    m_tabs->setTabText(2, tr("Agents"));
    m_tabs->setTabText(3, tr("Requests"));
    m_tabs->setTabText(4, tr("Settings"));
    m_fileMenu->setTitle(tr("&File"));
    m_exportAction->setText(tr("&Export the request log…"));
    m_quitAction->setText(tr("&Quit"));
    updateStatusLine();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

} // namespace passerelle
