#pragma once

// The GUI composition root: given the ConfigStore and GatewayController main() built, it installs
// the translators (configured language, else the system's), creates the control panel and the
// tray icon, wires open/quit between them and shows the window unless the config asks to start
// minimised (and a tray exists to start in). GUI thread; lives for the whole run.

#include <QObject>
#include <QString>

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
    // dataDir: where the sessions database lives, shown in Settings.
    GuiRoot(ConfigStore *store, GatewayController *controller, const QString &dataDir,
            QObject *parent = nullptr);
    ~GuiRoot() override;

    // Shows the panel (or only the tray), runs the event loop and returns its exit code.
    int run();

    MainWindow *window() const { return m_window.get(); }
    TrayController *tray() const { return m_tray.get(); }

private:
    void quit();

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    std::unique_ptr<LanguageManager> m_language;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayController> m_tray;
    bool m_toldAboutTray = false;
};

} // namespace passerelle
