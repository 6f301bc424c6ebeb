#include "GuiRoot.h"

#include "LanguageManager.h"
#include "MainWindow.h"
#include "TrayController.h"

#include <QApplication>

namespace passerelle {

GuiRoot::GuiRoot(ConfigStore *store, GatewayController *controller, const QString &dataDir,
                 QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_controller(controller)
    , m_language(std::make_unique<LanguageManager>())
{
    // Before any widget exists, so every string is created in the right language.
    m_language->setLanguage(store->config().uiLanguage);

    m_window = std::make_unique<MainWindow>(store, controller, m_language.get(), dataDir);
    m_tray = std::make_unique<TrayController>(store, controller);
    m_window->setTrayAvailable(m_tray->isVisible());
    // With a tray, closing the window must not end the app.
    QApplication::setQuitOnLastWindowClosed(!m_tray->isVisible());

    connect(m_tray.get(), &TrayController::openPanelRequested, m_window.get(),
            &MainWindow::showPanel);
    connect(m_tray.get(), &TrayController::quitRequested, this, &GuiRoot::quit);
    connect(m_window.get(), &MainWindow::quitRequested, this, &GuiRoot::quit);
    connect(m_window.get(), &MainWindow::hiddenToTray, this, [this] {
        if (m_toldAboutTray)
            return;
        m_toldAboutTray = true;
        m_tray->notify(MainWindow::tr("Passerelle is still running"),
                       MainWindow::tr("The gateway keeps serving. Use the tray icon to open the "
                                      "panel or to quit."),
                       false);
    });
}

GuiRoot::~GuiRoot() = default;

int GuiRoot::run()
{
    const bool minimised = m_store->config().startMinimized && m_tray->isVisible();
    if (!minimised)
        m_window->show();
    return QApplication::exec();
}

void GuiRoot::quit()
{
    m_window->allowClose();
    m_window->close();
    QApplication::quit();
}

} // namespace passerelle
