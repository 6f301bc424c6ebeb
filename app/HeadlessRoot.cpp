#include "HeadlessRoot.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

namespace passerelle {

namespace {

int g_signalFds[2] = {-1, -1};
// What SIGINT/SIGTERM do once run() is under way (before: quit).
std::function<void()> g_onStopSignal;

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &c, 1);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

} // namespace

HeadlessRoot::HeadlessRoot(QObject *parent) : QObject(parent) { }

HeadlessRoot::~HeadlessRoot()
{
    m_controller.reset(); // stops the server thread before the store goes
}

void HeadlessRoot::installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(g_signalFds[1], &c, 1);
        if (g_onStopSignal) {
            g_onStopSignal();
            return;
        }
        out() << "Stopping Passerelle." << Qt::endl;
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int HeadlessRoot::run(const LaunchOptions &options)
{
    ConfigOverrides overrides = ConfigOverrides::fromEnvironment();
    overrides.port = options.port;
    m_store = std::make_unique<ConfigStore>();
    QString error;
    const QString path = ConfigStore::defaultPath(options.configPath);
    if (!m_store->load(path, overrides, &error)) {
        QTextStream(stderr) << "passerelle: " << error << Qt::endl;
        return 2;
    }
    const GatewayConfig config = m_store->config();
    out() << "Config: " << m_store->path() << Qt::endl;
    if (m_store->createdOnLoad()) {
        // The only time the token is ever printed: the file was just created with it.
        out() << "First run: created the config with a new gateway token:" << Qt::endl
              << "  " << config.auth.token << Qt::endl
              << "Use it as: Authorization: Bearer <token>" << Qt::endl;
    }
    connect(m_store.get(), &ConfigStore::loadFailed, this, [](const QString &message) {
        QTextStream(stderr) << "passerelle: config not applied, previous settings kept: " << message
                            << Qt::endl;
    });
    connect(m_store.get(), &ConfigStore::changed, this, [](const GatewayConfig &c) {
        out() << "Config reloaded; chat completions endpoint "
              << (c.chatCompletionsEnabled ? "enabled" : "disabled") << ", responses endpoint "
              << (c.responsesEnabled ? "enabled" : "disabled") << ", messages endpoint "
              << (c.messagesEnabled ? "enabled" : "disabled") << Qt::endl;
    });

    m_controller = std::make_unique<GatewayController>(m_store.get());
    connect(m_controller.get(), &GatewayController::logBatch, this, &HeadlessRoot::printRecords);
    connect(m_controller.get(), &GatewayController::ipLockedOut, this, [](const QString &ip) {
        out() << "Locked out " << ip << " after repeated failed authentication" << Qt::endl;
    });
    m_controller->start(); // sessions in the default data directory
    if (!m_controller->waitUntilListening()) {
        QTextStream(stderr) << "passerelle: " << m_controller->status().error << Qt::endl;
        return 3;
    }
    const ServerStatus status = m_controller->status();
    out() << "Passerelle listening on " << status.baseUrl() << " (chat completions endpoint "
          << (status.endpointEnabled ? "enabled" : "disabled") << ")" << Qt::endl;
    connect(m_controller.get(), &GatewayController::statusChanged, this, [](const ServerStatus &s) {
        if (!s.error.isEmpty())
            QTextStream(stderr) << "passerelle: " << s.error << Qt::endl;
    });
    // The first signal drains (SPEC section 12: the streams in flight get up to 10 s), a second
    // one stops at once.
    bool draining = false;
    connect(m_controller.get(), &GatewayController::drained, this, [] {
        out() << "Stopping Passerelle." << Qt::endl;
        QCoreApplication::quit();
    });
    g_onStopSignal = [this, &draining] {
        if (draining) {
            out() << "Stopping Passerelle now." << Qt::endl;
            QCoreApplication::quit();
            return;
        }
        draining = true;
        out() << "Draining: no new connections; requests in flight get up to "
              << GatewayController::kDrainGraceMs / 1000 << " s." << Qt::endl;
        m_controller->drain();
    };
    const int code = QCoreApplication::exec();
    g_onStopSignal = nullptr;
    m_controller->stop();
    return code;
}

void HeadlessRoot::printRecords(const LogBatch &batch)
{
    for (const RequestRecord &r : batch.records) {
        if (!r.finished)
            continue;
        out() << r.startedAt.toString(Qt::ISODateWithMs) << ' ' << r.client << ' ' << r.method
              << ' ' << r.path << ' ' << r.status << ' ' << r.durationMs << "ms";
        if (!r.agentId.isEmpty())
            out() << " agent=" << r.agentId;
        if (r.stream)
            out() << " stream";
        if (r.usage.known)
            out() << " tokens=" << r.usage.promptTokens << '+' << r.usage.completionTokens;
        out() << '\n';
    }
    out().flush(); // once per batch (every 100 ms at most), not once per line
}

} // namespace passerelle
