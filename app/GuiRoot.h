#pragma once

// Composition root of the GUI app: loads the config (as the headless root does), starts the
// gateway in its thread, installs the translators (configured language, else the system's),
// creates the control panel and the tray icon, wires open/quit between them and shows the window
// unless the config asks to start minimised and a tray exists to start in. GUI thread.

#include "HeadlessRoot.h" // LaunchOptions

#include <QObject>

#include <memory>

namespace passerelle {

class ConfigStore;
class GatewayController;
class LanguageManager;
class MainWindow;
class TrayController;

class GuiRoot final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiRoot)

public:
    explicit GuiRoot(QObject *parent = nullptr);
    ~GuiRoot() override;

    // Runs the app until Quit; returns the process exit code (2: the config cannot be used).
    int run(const LaunchOptions &options);

private:
    void quit();

    std::unique_ptr<ConfigStore> m_store;
    std::unique_ptr<GatewayController> m_controller;
    std::unique_ptr<LanguageManager> m_language;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayController> m_tray;
    bool m_toldAboutTray = false;
    bool m_quitting = false;
};

} // namespace passerelle
