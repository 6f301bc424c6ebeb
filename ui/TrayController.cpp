#include "TrayController.h"

#include "EndpointAddress.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QMenu>
#include <QSystemTrayIcon>

namespace passerelle {

TrayController::TrayController(ConfigStore *store, GatewayController *controller, QObject *parent)
    : QObject(parent), m_store(store), m_controller(controller), m_menu(std::make_unique<QMenu>())
{
    m_status = m_menu->addAction(QString());
    m_status->setEnabled(false);
    m_menu->addSeparator();
    m_endpoint = m_menu->addAction(QString());
    m_endpoint->setCheckable(true);
    m_open = m_menu->addAction(QString());
    m_copyUrl = m_menu->addAction(QString());
    m_menu->addSeparator();
    m_quit = m_menu->addAction(QString());

    connect(m_endpoint, &QAction::triggered, this, [this](bool on) {
        QString error;
        // One switch for every endpoint (Chat Completions, Responses, Anthropic Messages).
        const auto both = [on](GatewayConfig &c) {
            c.chatCompletionsEnabled = on;
            c.responsesEnabled = on;
            c.messagesEnabled = on;
        };
        if (!m_store->update(both, &error)) {
            notify(tr("Passerelle"), tr("The change could not be saved: %1").arg(error), true);
            refresh();
        }
    });
    connect(m_open, &QAction::triggered, this, &TrayController::openPanelRequested);
    connect(m_copyUrl, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(
            EndpointAddress::chatCompletionsUrl(m_controller->status(), m_store->config()));
    });
    connect(m_quit, &QAction::triggered, this, &TrayController::quitRequested);
    connect(store, &ConfigStore::changed, this, &TrayController::refresh);
    connect(controller, &GatewayController::statusChanged, this, &TrayController::onStatus);
    connect(controller, &GatewayController::ipLockedOut, this, [this](const QString &ip) {
        notify(tr("Address locked out"),
               tr("%1 failed to sign in too many times and is locked out for now.").arg(ip), false);
    });

    if (systemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        m_tray->setContextMenu(m_menu.get());
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger
                        || reason == QSystemTrayIcon::DoubleClick)
                        emit openPanelRequested();
                });
    }
    // The menu is a top-level widget, so it hears of every language change.
    m_menu->installEventFilter(this);
    m_lastError = controller->status().error;
    retranslateUi();
    if (m_tray)
        m_tray->show();
}

TrayController::~TrayController()
{
    m_menu->removeEventFilter(this);
}

bool TrayController::systemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

TrayController::State TrayController::stateFor(const ServerStatus &status,
                                               const GatewayConfig &config)
{
    switch (status.state) {
    case ServerState::Error:
        return State::Error;
    case ServerState::Serving:
        return config.chatCompletionsEnabled || config.responsesEnabled || config.messagesEnabled
            ? State::Serving
            : State::EndpointDisabled;
    case ServerState::Stopped:
    case ServerState::Starting:
        break;
    }
    return State::Stopped;
}

QString TrayController::iconPath(State state)
{
    switch (state) {
    case State::Serving:
        return QStringLiteral(":/icons/tray-serving.svg");
    case State::EndpointDisabled:
        return QStringLiteral(":/icons/tray-disabled.svg");
    case State::Error:
        return QStringLiteral(":/icons/tray-error.svg");
    case State::Stopped:
        break;
    }
    return QStringLiteral(":/icons/tray-stopped.svg");
}

bool TrayController::isVisible() const
{
    return m_tray && m_tray->isVisible();
}

bool TrayController::notify(const QString &title, const QString &message, bool critical)
{
    if (!isVisible() || !QSystemTrayIcon::supportsMessages())
        return false;
    m_tray->showMessage(title, message,
                        critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 10000);
    return true;
}

void TrayController::onStatus(const ServerStatus &status)
{
    // Notify on the change into the error state, not on every repeated status.
    // Notify when a listen error appears (the server may keep serving on its previous address).
    if (!status.error.isEmpty() && status.error != m_lastError)
        notify(tr("Passerelle cannot listen"), status.error, true);
    m_lastError = status.error;
    refresh();
}

void TrayController::refresh()
{
    const GatewayConfig cfg = m_store->config();
    const ServerStatus st = m_controller->status();
    m_state = stateFor(st, cfg);
    m_endpoint->setChecked(cfg.chatCompletionsEnabled || cfg.responsesEnabled
                           || cfg.messagesEnabled);
    QString text;
    switch (m_state) {
    case State::Serving:
        text = tr("Serving on %1").arg(EndpointAddress::baseUrl(st, cfg));
        break;
    case State::EndpointDisabled:
        text = tr("Endpoints off (%1)").arg(EndpointAddress::baseUrl(st, cfg));
        break;
    case State::Error:
        text = tr("Not listening: %1").arg(st.error);
        break;
    case State::Stopped:
        text = st.state == ServerState::Starting ? tr("Starting…") : tr("Stopped");
        break;
    }
    m_status->setText(text);
    m_toolTip = tr("Passerelle — %1").arg(text);
    if (m_tray) {
        m_tray->setIcon(QIcon(iconPath(m_state)));
        m_tray->setToolTip(m_toolTip);
    }
}

void TrayController::retranslateUi()
{
    m_endpoint->setText(tr("Endpoints enabled (Chat Completions, Responses, Messages)"));
    m_open->setText(tr("Open the panel"));
    m_copyUrl->setText(tr("Copy the endpoint URL"));
    m_quit->setText(tr("Quit Passerelle"));
    refresh();
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_menu.get() && event->type() == QEvent::LanguageChange)
        retranslateUi();
    return QObject::eventFilter(watched, event);
}

} // namespace passerelle
