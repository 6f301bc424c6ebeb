#include "GuiRoot.h"

#include "LanguageManager.h"
#include "MainWindow.h"
#include "TrayController.h"
#include "store/SessionStore.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>

namespace passerelle {

GuiRoot::GuiRoot(QObject *parent) : QObject(parent) { }

GuiRoot::~GuiRoot()
{
    // Widgets first (they hold pointers to the controller and the store), then the server
    // thread, then the store.
    m_tray.reset();
    m_window.reset();
    m_controller.reset();
}

int GuiRoot::run(const LaunchOptions &options)
{
    m_language = std::make_unique<LanguageManager>();
    ConfigOverrides overrides = ConfigOverrides::fromEnvironment();
    overrides.port = options.port;
    m_store = std::make_unique<ConfigStore>();
    QString error;
    if (!m_store->load(ConfigStore::defaultPath(options.configPath), overrides, &error)) {
        m_language->setLanguage({});
        QMessageBox::critical(nullptr, tr("Passerelle cannot start"),
                              tr("The configuration file cannot be used:\n%1").arg(error));
        return 2;
    }
    // Before any widget exists, so every string is created in the right language.
    m_language->setLanguage(m_store->config().uiLanguage);

    m_controller = std::make_unique<GatewayController>(m_store.get());
    const QString database = SessionStore::defaultPath();
    m_window = std::make_unique<MainWindow>(m_store.get(), m_controller.get(), m_language.get(),
                                            QFileInfo(database).absolutePath());
    m_tray = std::make_unique<TrayController>(m_store.get(), m_controller.get());
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
        m_tray->notify(tr("Passerelle is still running"),
                       tr("The gateway keeps serving. Use the tray icon to open the "
                          "panel or to quit."),
                       false);
    });

    m_controller->start(database);
    // The panel shows SSE frames: ask again now that the server exists (a request made before
    // start() is not kept by the controller).
    m_controller->setCaptureFrames(true);
    const bool minimised = m_store->config().startMinimized && m_tray->isVisible();
    if (!minimised)
        m_window->show();
    const int code = QApplication::exec();
    m_controller->stop();
    return code;
}

void GuiRoot::quit()
{
    m_window->allowClose();
    m_window->close();
    if (m_quitting)
        return;
    m_quitting = true;
    // As SIGTERM does headless: streams in flight get up to 10 s, then the app ends.
    connect(m_controller.get(), &GatewayController::drained, qApp, &QApplication::quit);
    m_controller->drain();
}

} // namespace passerelle
