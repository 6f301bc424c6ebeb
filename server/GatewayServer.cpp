#include "GatewayServer.h"

#include "Logging.h"
#include "auth/CredentialGuard.h"
#include "engine/RunEngine.h"
#include "http/ClientSocket.h"
#include "http/DescriptorLimit.h"
#include "http/HealthRoutes.h"
#include "http/HttpExchange.h"
#include "http/StreamTicker.h"
#include "providers/BackendRouter.h"
#include "stats/MetricsRoute.h"
#include "stats/TokenUsageMeter.h"
#include "store/PostgresSessionStore.h"
#include "store/SqliteSessionStore.h"
#include "surfaces/chat/ChatCompletionsRoute.h"
#include "surfaces/chat/ModelsRoute.h"
#include "surfaces/messages/MessagesRoute.h"
#include "surfaces/responses/ResponsesRoute.h"
#include "ws/WsGateway.h"
#include "ws/WsHandshake.h"
#include "ws/WsSocket.h"

#include <QDateTime>
#include <QTimer>
#include <QUrl>

namespace passerelle {

GatewayServer::GatewayServer(QObject *parent) : QObject(parent) { }

GatewayServer::~GatewayServer()
{
    shutdown();
}

void GatewayServer::initialize(const QString &sessionDatabase, const StoreConfig &store)
{
    m_backends = std::make_unique<BackendRouter>();
    m_log = new RequestLog(this);
    m_log->setRecordListener([this](const RequestRecord &r) { onRecord(r); });
    connect(m_log, &RequestLog::batchReady, this, [this](const LogBatch &batch) {
        emit trafficChanged(m_traffic.snapshot());
        emit logBatch(batch);
    });
    // The store opens on its own thread(s); runs that need it wait for the open.
    m_storeConfig = store;
    if (store.kind == StoreKind::Postgres) {
        // The password only ever goes from the environment to the driver.
        const QString password = store.passwordEnv.isEmpty()
            ? QString()
            : qEnvironmentVariable(store.passwordEnv.toLocal8Bit().constData());
        if (!store.passwordEnv.isEmpty() && password.isEmpty())
            qCWarning(lcSessions).noquote()
                << "passerelle.store.passwordEnv names" << store.passwordEnv
                << "but that environment variable is not set";
        m_store = new PostgresSessionStore(store, password, this);
    } else {
        m_store = new SqliteSessionStore(
            sessionDatabase.isEmpty() ? SessionStore::defaultPath() : sessionDatabase, this);
    }
    qCInfo(lcSessions).noquote() << "session store:" << m_store->kind() << m_store->location();
    m_status.storeKind = m_store->kind();
    m_status.storeLocation = m_store->location();
    m_usage = new TokenUsageMeter(this);
    m_usage->setStore(m_store);
    connect(m_usage, &TokenUsageMeter::summaryReady, this, &GatewayServer::tokenUsage);

    m_guard = new CredentialGuard(this);
    m_guard->setSharedState(m_store);
    connect(m_store, &SessionStore::sharedLockout, m_guard, &CredentialGuard::applySharedLockout);
    connect(m_store, &SessionStore::stateChanged, this, &GatewayServer::onStoreState);
    connect(m_guard, &CredentialGuard::lockedOut, this, &GatewayServer::ipLockedOut);
    connect(m_guard, &CredentialGuard::lockoutsChanged, this, &GatewayServer::lockoutsChanged);
    m_engine = new RunEngine(m_backends.get(), m_log, this);
    m_engine->setStore(m_store);
    m_engine->addRunListener(&m_metrics);
    connect(m_engine, &RunEngine::providerLoadChanged, this, &GatewayServer::providerLoadChanged);
    m_ticker = new StreamTicker(this);
    m_pipeline = std::make_unique<HttpPipeline>(&m_routes, m_guard);
    registerRoutes();
    m_ws = new WsGateway(m_engine, m_guard, this);
    // SPEC section 14: as many descriptors as the system allows, the connection cap from them.
    m_connectionCap = DescriptorLimit::connectionCap(DescriptorLimit::raise());
    m_http = new HttpFrontend(
        this,
        [this](const RequestHead &head, ClientSocket *socket) { return checkHead(head, socket); },
        this);
}

void GatewayServer::onStoreState(SessionStore::State state)
{
    m_status.storeState = state;
    m_status.storeError = m_store ? m_store->unavailableReason() : QString();
    if (state == SessionStore::State::Available && m_store && m_store->sharesAuthState()) {
        // Lockouts other gateways decided while this one was away from the database.
        m_store->sharedLockouts(this, [this](const StoreResult<QList<Lockout>> &lockouts) {
            for (const Lockout &l : lockouts.value)
                m_guard->applySharedLockout(l.ip, l.remainingMs);
        });
    }
    emit statusChanged(m_status);
}

void GatewayServer::registerRoutes()
{
    const QList<HttpRoute> probes = HealthRoutes::routes([this] { return notReadyReason(); });
    for (const HttpRoute &probe : probes)
        m_routes.add(probe);
    m_routes.add(ChatCompletionsRoute::route(m_engine, m_ticker));
    m_routes.add(ModelsRoute::route(m_engine));
    m_routes.add(ResponsesRoute::create(m_engine, m_ticker));
    m_routes.add(ResponsesRoute::stored(m_engine));
    m_routes.add(MessagesRoute::create(m_engine, m_ticker));
    m_routes.add(MessagesRoute::countTokens(m_engine));
    m_routes.add(MetricsRoute::route([this] { return renderMetrics(); }));
    m_metrics.setRoutes(m_routes.routes());
}

void GatewayServer::onRecord(const RequestRecord &record)
{
    m_traffic.ingest(record);
    m_metrics.recordRequest(record);
    if (m_usage)
        m_usage->record(record);
    // The last run in flight ended: the drain is over (after this turn, so that the record and
    // the answer's last bytes go out first).
    if (m_draining && !m_drained && record.finished && m_engine && m_engine->activeRuns() == 0)
        QTimer::singleShot(0, this, &GatewayServer::finishDrain);
}

QString GatewayServer::notReadyReason() const
{
    if (m_draining)
        return QStringLiteral("draining");
    if (!m_http || !m_http->isListening() || !m_store
        || m_store->state() == SessionStore::State::Opening)
        return QStringLiteral("starting");
    if (m_store->state() == SessionStore::State::Unavailable)
        return QStringLiteral("session store unavailable");
    return {};
}

QByteArray GatewayServer::renderMetrics() const
{
    GatewayMetrics::Levels levels;
    levels.traffic = m_traffic.snapshot();
    levels.openConnections = m_http ? m_http->openConnections() : 0;
    levels.webSocketConnections = m_ws ? m_ws->connectionCount() : 0;
    if (m_engine)
        levels.providerLoads = m_engine->providerLoads();
    levels.authFailures = m_guard->failures();
    levels.authLockouts = m_guard->lockoutsStarted();
    levels.lockedOutAddresses = int(m_guard->lockouts().size());
    if (m_store) {
        levels.storeKind = m_store->kind();
        levels.storeUp = m_store->isAvailable();
    }
    levels.process = ProcessStats::read();
    return m_metrics.render(levels, m_usage);
}

void GatewayServer::drain(int graceMs)
{
    if (m_draining)
        return;
    m_draining = true;
    if (m_http)
        m_http->stopListening();
    const int inFlight = m_engine ? m_engine->activeRuns() : 0;
    qCInfo(lcHttp).noquote() << "draining:" << inFlight << "runs in flight, up to" << graceMs
                             << "ms";
    if (inFlight == 0) {
        QTimer::singleShot(0, this, &GatewayServer::finishDrain);
        return;
    }
    QTimer::singleShot(graceMs, this, &GatewayServer::finishDrain);
}

void GatewayServer::finishDrain()
{
    if (m_drained)
        return;
    m_drained = true;
    // Hand what the answers wrote to the kernel before the connections are destroyed.
    if (m_http) {
        const QList<ClientSocket *> sockets = m_http->findChildren<ClientSocket *>();
        for (ClientSocket *socket : sockets)
            socket->flush();
    }
    emit drained();
}

void GatewayServer::requestTokenUsage()
{
    m_usage->requestSummary();
}

void GatewayServer::shutdown()
{
    if (m_ws) { // before the engine its runs use
        m_ws->closeAll(QStringLiteral("gateway stopping"));
        delete m_ws;
    }
    if (m_http) {
        m_http->stopListening();
        delete m_http;
    }
    delete m_engine; // ends the runs still going, before the store and the log they use
    if (m_usage)
        m_usage->flush(); // the last usage, before the store goes
    delete m_store; // completes the writes already handed over, then joins its thread
    m_status.state = ServerState::Stopped;
}

void GatewayServer::applyConfig(const GatewayConfig &config)
{
    if (m_configured && config.store != m_storeConfig && config.store != m_config.store)
        qCWarning(lcSessions).noquote()
            << "passerelle.store changed: the gateway keeps its store until it restarts";
    const bool relisten = !m_configured || config.port != m_config.port
        || config.bind != m_config.bind || config.customBindHost != m_config.customBindHost;
    m_config = config;
    m_guard->setConfig(config.auth);
    m_pipeline->setConfig(config);
    m_engine->setConfig(config);
    m_metrics.setEnabled(config.metricsEnabled);
    m_metrics.setConfig(config);
    m_usage->setConfig(config);
    m_ticker->setKeepAliveMs(config.keepAliveMs);
    ConnectionLimits limits;
    // A configured cap above what the descriptors allow would make accept() fail: keep the lower.
    limits.maxConnections = config.maxConnections > 0 ? qMin(config.maxConnections, m_connectionCap)
                                                      : m_connectionCap;
    limits.maxPerAddress = config.maxConnectionsPerAddress;
    limits.exemptLoopback = config.auth.rateLimit.exemptLoopback;
    limits.headerTimeoutMs = config.headerTimeoutMs;
    limits.idleTimeoutMs = config.idleTimeoutMs;
    limits.maxBufferedBytes = config.maxBufferedBytes;
    limits.maxBufferedTotalBytes = config.maxBufferedTotalBytes;
    m_http->setLimits(limits);
    if (m_ws)
        m_ws->setConfig(config);
    m_configured = true;
    ++m_status.configsApplied;
    m_status.endpointEnabled = config.chatCompletionsEnabled;
    if (relisten)
        listen();
    else
        emit statusChanged(m_status);
}

void GatewayServer::listen()
{
    if (!m_http)
        return;
    QString error;
    const QHostAddress address = m_config.bindAddress();
    if (address.isNull()) {
        m_status.error = QStringLiteral("gateway.customBindHost '%1' is not an IP address")
                             .arg(m_config.customBindHost);
    } else if (m_http->listen(address, quint16(m_config.port), &error)) {
        m_status.error.clear();
    } else {
        m_status.error = QStringLiteral("Cannot listen on %1:%2: %3")
                             .arg(address.toString())
                             .arg(m_config.port)
                             .arg(error);
        qCWarning(lcHttp).noquote() << m_status.error;
    }
    if (m_http->isListening()) {
        m_status.state = ServerState::Serving;
        m_status.host = m_http->address().toString();
        m_status.port = m_http->port();
    } else {
        m_status.state = ServerState::Error;
        m_status.port = 0;
    }
    emit statusChanged(m_status);
}

void GatewayServer::clearLockout(const QString &ip)
{
    m_guard->clearLockout(ip);
}

void GatewayServer::publishLockouts()
{
    emit lockoutsChanged(m_guard->lockouts());
}

RequestRecord GatewayServer::newRecord(const QHostAddress &peer, const QByteArray &method,
                                       const QString &path, int route)
{
    RequestRecord record;
    record.id = m_log->nextId();
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.client = peer.toString();
    record.method = QString::fromLatin1(method);
    record.path = path;
    record.route = route;
    return record;
}

HeadDecision GatewayServer::checkHead(const RequestHead &head, ClientSocket *socket)
{
    HeadDecision decision;
    if (head.upgrade)
        return decision;
    RequestView view;
    view.method = head.method;
    view.path = QUrl(QString::fromLatin1(head.target)).path();
    view.version = head.version;
    view.headers = &head.headers;
    view.peer = socket->peerAddress();
    view.contentLength = head.contentLength;
    view.chunked = head.chunked;
    // Only a request whose body decides is screened now (the dispatch screens every request once
    // complete): one that is too large or chunked is refused before a byte of it is read, and
    // one that waits for 100-continue gets it only if it would pass.
    if (!head.expectContinue && !head.chunked && !m_pipeline->bodyTooLarge(view))
        return decision;
    HttpPipeline::Outcome outcome = m_pipeline->screen(view);
    if (!outcome.reply) {
        decision.sendContinue = head.expectContinue;
        return decision;
    }
    // The body will not be read: the connection closes after the answer.
    outcome.context.close = true;
    decision.rejection = outcome.reply->toBytes(outcome.context);
    RequestRecord record = newRecord(view.peer, head.method, view.path, outcome.match.index);
    record.status = outcome.reply->status;
    record.error = outcome.reply->errorMessage;
    record.durationMs = 0;
    record.ttfbMs = 0;
    record.finished = true;
    m_log->record(record);
    return decision;
}

void GatewayServer::handleHttp(const HttpRequest &request, ClientSocket *socket)
{
    RequestView view;
    view.method = request.method;
    view.path = request.path;
    view.version = request.version;
    view.headers = &request.headers;
    view.peer = request.peer;
    view.contentLength = request.body.size();
    HttpPipeline::Outcome outcome = m_pipeline->screen(view);
    HttpExchange exchange(
        request, socket, outcome.context,
        newRecord(request.peer, request.method, request.path, outcome.match.index), m_log);
    if (outcome.reply)
        return exchange.respond(*outcome.reply);
    exchange.setCaller(outcome.caller);
    exchange.record().principal = outcome.caller.principal;
    exchange.setParams(outcome.match.params);
    outcome.match.route->handler(exchange);
}

QByteArray GatewayServer::checkUpgrade(const HttpRequest &request)
{
    // SPEC sections 3, 8 and 14, in this order: Host (400, 403), RFC 6455 (400), the browser
    // Origin (403), then the handshakes pending from this address (429).
    ReplyContext ctx {HttpPipeline::requestId(request.value("x-request-id")), {}, false, true};
    if (!HttpPipeline::hostValid(request.headers))
        return HttpReply::error(ApiError::invalidHost()).toBytes(ctx);
    if (!m_pipeline->hostAllowed(request.value("host")))
        return HttpReply::error(ApiError::hostNotAllowed()).toBytes(ctx);
    if (const auto refusal = WsHandshake::check(request.method, request.version, request.headers))
        return refusal->toBytes(ctx);
    const QByteArray origin = request.value("origin");
    if (!origin.isEmpty() && !m_config.corsOrigins.contains(QString::fromUtf8(origin)))
        return HttpReply::error(ApiError::originNotAllowed()).toBytes(ctx);
    if (!m_ws)
        return HttpReply::notFound().toBytes(ctx);
    // Refuse an address with too many connections still handshaking.
    if (!m_ws->acceptsUpgradeFrom(request.peer)) {
        const int seconds = (m_ws->limits().handshakeTimeoutMs + 999) / 1000;
        return HttpReply::text(429, QByteArrayLiteral("Too Many Requests"))
            .withHeader("Retry-After", QByteArray::number(seconds))
            .toBytes(ctx);
    }
    return {};
}

void GatewayServer::handleWebSocket(std::unique_ptr<WsSocket> socket, const HttpRequest &upgrade)
{
    if (!m_ws) {
        socket->close(QWebSocketProtocol::CloseCodeGoingAway);
        return;
    }
    m_ws->accept(std::move(socket), upgrade.path);
}

} // namespace passerelle
