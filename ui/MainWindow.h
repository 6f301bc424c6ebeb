#pragma once

// The control panel's window: the five tabs (Overview, Tokens, Agents, Requests, Settings), a
// File menu and a status line. Feeds the request log model and the traffic counters from the
// controller's log batches and follows the configured language. Closing hides it to the tray
// when there is one; otherwise it says so and stays. GUI thread.

#include "GatewayController.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace passerelle {

class AgentsPage;
class LanguageManager;
class OverviewPage;
class RequestLogModel;
class RequestLogPage;
class SettingsPage;
class TokensPage;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(ConfigStore *store, GatewayController *controller, LanguageManager *language,
               const QString &dataDir, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Whether closing the window can leave the app in a tray icon.
    void setTrayAvailable(bool available) { m_trayAvailable = available; }
    bool trayAvailable() const { return m_trayAvailable; }
    // Lets the next close really close (Quit).
    void allowClose() { m_allowClose = true; }

    void showPanel(); // show, raise, activate

    QTabWidget *tabs() const { return m_tabs; }
    OverviewPage *overviewPage() const { return m_overview; }
    TokensPage *tokensPage() const { return m_tokens; }
    AgentsPage *agentsPage() const { return m_agents; }
    RequestLogPage *requestLogPage() const { return m_requests; }
    SettingsPage *settingsPage() const { return m_settings; }
    RequestLogModel *logModel() const { return m_log; }

signals:
    void hiddenToTray();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onLogBatch(const LogBatch &batch);
    void updateStatusLine();

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    LanguageManager *m_language = nullptr;
    RequestLogModel *m_log = nullptr;
    bool m_trayAvailable = false;
    bool m_allowClose = false;

    QTabWidget *m_tabs = nullptr;
    OverviewPage *m_overview = nullptr;
    TokensPage *m_tokens = nullptr;
    AgentsPage *m_agents = nullptr;
    RequestLogPage *m_requests = nullptr;
    SettingsPage *m_settings = nullptr;
    QMenu *m_fileMenu = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QLabel *m_statusLine = nullptr;
};

} // namespace passerelle
