// passerelle: the GUI control panel where there is a display, headless otherwise (or with
// --headless). Only argument handling and the choice of composition root live here.

#include "HeadlessRoot.h"
#ifdef PASSERELLE_HAS_UI
#include "GuiRoot.h"
#include <QApplication>
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <csignal>
#include <cstring>

namespace {

// A file-size limit (ulimit -f) or a full quota must fail a write, not kill the gateway: with
// SIGXFSZ ignored the write returns EFBIG, the store reports it and every request is still
// answered.
void ignoreFileSizeSignal()
{
    std::signal(SIGXFSZ, SIG_IGN);
}

bool wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0 || std::strcmp(argv[i], "--help") == 0
            || std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--version") == 0
            || std::strcmp(argv[i], "-v") == 0)
            return true;
    }
#ifdef PASSERELLE_HAS_UI
    const bool display = qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
    return !display;
#else
    return true;
#endif
}

} // namespace

int main(int argc, char **argv)
{
    // The descriptor limit is the server's to raise, when it starts (DescriptorLimit).
    ignoreFileSizeSignal();
    [[maybe_unused]] const bool headless = wantsHeadless(argc, argv);
    std::unique_ptr<QCoreApplication> app;
#ifdef PASSERELLE_HAS_UI
    if (!headless)
        app = std::make_unique<QApplication>(argc, argv);
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("passerelle"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PASSERELLE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Local OpenAI-compatible gateway (POST /v1/chat/completions) with agents, sessions and a "
        "control panel."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headlessOption(QStringLiteral("headless"),
                                            QStringLiteral("Run without the control panel."));
    const QCommandLineOption configOption(
        QStringLiteral("config"),
        QStringLiteral("Config file (default: $OPENCLAW_CONFIG_PATH, else the platform config "
                       "directory)."),
        QStringLiteral("path"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QStringLiteral("Port to listen on (over $OPENCLAW_GATEWAY_PORT and gateway.port; 0 picks "
                       "a free one)."),
        QStringLiteral("n"));
    parser.addOptions({headlessOption, configOption, portOption});
    parser.process(*app);

    passerelle::LaunchOptions options;
    options.configPath = parser.value(configOption);
    if (parser.isSet(portOption)) {
        bool ok = false;
        const int port = parser.value(portOption).toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            QTextStream(stderr) << "passerelle: --port expects a number between 0 and 65535"
                                << Qt::endl;
            return 2;
        }
        options.port = port;
    }

#ifdef PASSERELLE_HAS_UI
    if (!headless) {
        passerelle::GuiRoot gui;
        return gui.run(options);
    }
#endif
    passerelle::HeadlessRoot::installSignalHandlers();
    passerelle::HeadlessRoot root;
    return root.run(options);
}
