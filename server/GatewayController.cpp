#include "GatewayController.h"

#include "EpollEventDispatcher.h"
#include "GatewayServer.h"

#include <QEventLoop>
#include <QTimer>

namespace passerelle {

QString ServerStatus::baseUrl() const
{
    QString h = host;
    if (h.isEmpty() || h == QLatin1String("0.0.0.0"))
        h = QStringLiteral("127.0.0.1");
    if (h.contains(QLatin1Char(':')))
        h = QLatin1Char('[') + h + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(h).arg(port);
}

GatewayController::GatewayController(ConfigStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
    qRegisterMetaType<passerelle::GatewayConfig>();
    qRegisterMetaType<passerelle::ServerStatus>();
    qRegisterMetaType<passerelle::LogBatch>();
    qRegisterMetaType<QList<passerelle::Lockout>>();
    qRegisterMetaType<passerelle::TrafficStats::Snapshot>();
    qRegisterMetaType<QList<passerelle::ProviderLoad>>();
    qRegisterMetaType<QList<passerelle::TokenUsageSummary>>();
    connect(m_store, &ConfigStore::changed, this, &GatewayController::applyConfig);
}

GatewayController::~GatewayController()
{
    stop();
}

void GatewayController::start(const QString &sessionDatabase)
{
    if (m_thread)
        return;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("passerelle-server"));
    // epoll instead of Qt's dispatcher (EpollEventDispatcher.h says why);
    // PASSERELLE_QT_DISPATCHER=1 keeps Qt's, to compare.
    if (!qEnvironmentVariableIsSet("PASSERELLE_QT_DISPATCHER")) {
        auto dispatcher = std::make_unique<EpollEventDispatcher>();
        if (dispatcher->isValid())
            m_thread->setEventDispatcher(dispatcher.release());
    }
    auto *server = new GatewayServer;
    server->moveToThread(m_thread.get());
    m_server = server;
    connect(server, &GatewayServer::statusChanged, this, &GatewayController::onStatus);
    connect(server, &GatewayServer::logBatch, this, &GatewayController::logBatch);
    connect(server, &GatewayServer::lockoutsChanged, this, &GatewayController::lockoutsChanged);
    connect(server, &GatewayServer::ipLockedOut, this, &GatewayController::ipLockedOut);
    connect(server, &GatewayServer::drained, this, &GatewayController::drained);
    connect(server, &GatewayServer::tokenUsage, this, &GatewayController::tokenUsageChanged);
    // Emitted by the server just before each log batch, so a batch's reader sees its figures.
    connect(server, &GatewayServer::trafficChanged, this,
            [this](const TrafficStats::Snapshot &traffic) { m_traffic = traffic; });
    connect(server, &GatewayServer::providerLoadChanged, this,
            [this](const QList<ProviderLoad> &loads) {
                m_providerLoads = loads;
                emit providerLoadChanged(loads);
            });
    m_thread->start();
    m_status.state = ServerState::Starting;
    emit statusChanged(m_status);
    const GatewayConfig config = m_store->config();
    QMetaObject::invokeMethod(server, [server, sessionDatabase, config] {
        server->initialize(sessionDatabase, config.store);
        server->applyConfig(config);
    });
}

void GatewayController::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        GatewayServer *server = m_server;
        // Deterministic: the server is destroyed in its own thread, then the thread ends.
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_status = ServerStatus {};
    emit statusChanged(m_status);
}

bool GatewayController::waitUntilListening(int timeoutMs)
{
    if (!m_listenAttempted) {
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(this, &GatewayController::statusChanged, &loop, [this, &loop] {
            if (m_listenAttempted)
                loop.quit();
        });
        timeout.start(timeoutMs);
        loop.exec();
    }
    return m_status.state == ServerState::Serving;
}

void GatewayController::applyConfig(const GatewayConfig &config)
{
    if (!m_server)
        return;
    GatewayServer *server = m_server;
    QMetaObject::invokeMethod(server, [server, config] { server->applyConfig(config); });
}

void GatewayController::onStatus(const ServerStatus &status)
{
    m_status = status;
    if (status.state == ServerState::Serving || status.state == ServerState::Error)
        m_listenAttempted = true;
    emit statusChanged(m_status);
}

void GatewayController::drain(int graceMs)
{
    GatewayServer *server = m_server;
    if (!server) {
        QMetaObject::invokeMethod(this, &GatewayController::drained, Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(server, [server, graceMs] { server->drain(graceMs); });
}

void GatewayController::requestTokenUsage()
{
    if (GatewayServer *server = m_server)
        QMetaObject::invokeMethod(server, [server] { server->requestTokenUsage(); });
}

void GatewayController::setCaptureFrames(bool on)
{
    if (GatewayServer *server = m_server)
        QMetaObject::invokeMethod(server, [server, on] { server->setCaptureFrames(on); });
}

void GatewayController::clearLockout(const QString &ip)
{
    if (GatewayServer *server = m_server)
        QMetaObject::invokeMethod(server, [server, ip] { server->clearLockout(ip); });
}

void GatewayController::refreshLockouts()
{
    if (GatewayServer *server = m_server)
        QMetaObject::invokeMethod(server, [server] { server->publishLockouts(); });
}

} // namespace passerelle
