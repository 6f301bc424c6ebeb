#pragma once

// The tray icon: shows the gateway's state (stopped, serving, endpoints disabled, error), offers
// enable/disable of both OpenAI endpoints (Chat Completions and Responses), open panel, copy URL
// and quit, and notifies when the port cannot be
// opened or an address gets locked out. Only shown where the desktop has a system tray
// (QSystemTrayIcon::isSystemTrayAvailable); the menu exists either way. GUI thread.

#include "GatewayController.h"

#include <QIcon>
#include <QObject>

#include <memory>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace passerelle {

class TrayController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayController)

public:
    enum class State { Stopped, Serving, EndpointDisabled, Error };

    TrayController(ConfigStore *store, GatewayController *controller, QObject *parent = nullptr);
    ~TrayController() override;

    static bool systemTrayAvailable();
    static State stateFor(const ServerStatus &status, const GatewayConfig &config);
    static QString iconPath(State state);

    bool isVisible() const; // a tray icon is shown
    State state() const { return m_state; }
    QMenu *menu() const { return m_menu.get(); }
    QAction *endpointAction() const { return m_endpoint; }
    QAction *openAction() const { return m_open; }
    QAction *copyUrlAction() const { return m_copyUrl; }
    QAction *quitAction() const { return m_quit; }
    QString toolTip() const { return m_toolTip; }

    // Shows a balloon when the tray is visible; returns false otherwise.
    bool notify(const QString &title, const QString &message, bool critical);

signals:
    void openPanelRequested();
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void onStatus(const ServerStatus &status);

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    std::unique_ptr<QMenu> m_menu; // a top-level widget: owned here, not by a parent
    QSystemTrayIcon *m_tray = nullptr;
    QAction *m_status = nullptr;
    QAction *m_endpoint = nullptr;
    QAction *m_open = nullptr;
    QAction *m_copyUrl = nullptr;
    QAction *m_quit = nullptr;
    State m_state = State::Stopped;
    QString m_lastError;
    QString m_toolTip;
};

} // namespace passerelle
