#include "GatewayServer.h"

#include "Logging.h"
#include "engine/AgentResolver.h"
#include "engine/PromptBuilder.h"
#include "engine/SessionKey.h"
#include "store/SqliteSessionStore.h"
#include "surfaces/chat/ChatCompletionRun.h"
#include "surfaces/chat/ChatRequest.h"
#include "surfaces/chat/CompletionFormat.h"
#include "surfaces/chat/ModelList.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUuid>
#include <QWebSocket>

namespace passerelle {

namespace {

const QString kChatPath = QStringLiteral("/v1/chat/completions");
const QString kModelsPath = QStringLiteral("/v1/models");
const QString kHealthPath = QStringLiteral("/health");

bool isModelsPath(const QString &path)
{
    return path == kModelsPath || path.startsWith(kModelsPath + QLatin1Char('/'));
}

} // namespace

GatewayServer::GatewayServer(QObject *parent) : QObject(parent) { }

GatewayServer::~GatewayServer()
{
    shutdown();
}

void GatewayServer::initialize(const QString &sessionDatabase)
{
    m_backends = std::make_unique<BackendRouter>();
    // Created here so its results come back to the server thread ("" = the default file in the
    // data directory); it opens in its own thread. If it cannot be opened, chats still work,
    // stateless.
    m_sessions = std::make_unique<SqliteSessionStore>(
        sessionDatabase.isEmpty() ? SessionStore::defaultPath() : sessionDatabase);
    connect(m_sessions.get(), &SessionStore::stateChanged, this, [](SessionStore::State state) {
        if (state == SessionStore::State::Unavailable)
            qCWarning(lcSessions) << "session store unavailable: chats are served stateless";
    });
    m_log = new RequestLog(this);
    connect(m_log, &RequestLog::batchReady, this, &GatewayServer::logBatch);
    // --- WebSocket gateway
    m_ws = new WsGateway(
        m_backends.get(), m_log,
        [this](const QByteArray &secret, bool isPassword, const QHostAddress &peer) {
            return checkWsCredential(secret, isPassword, peer);
        },
        this);
    m_ws->setSessionStore(m_sessions.get());
    // ---
    // Created here, in the server thread (QT64-NOTES: WebSockets need that).
    m_http = new HttpFrontend(
        this,
        [this](const RequestHead &head, QTcpSocket *socket) { return checkHead(head, socket); },
        this);
}

void GatewayServer::shutdown()
{
    if (m_ws) { // before the backends and the log its runs use
        m_ws->closeAll(QStringLiteral("gateway stopping"));
        delete m_ws;
    }
    if (m_http) {
        m_http->stopListening();
        delete m_http;
    }
    m_status.state = ServerState::Stopped;
}

void GatewayServer::applyConfig(const GatewayConfig &config)
{
    const bool relisten = !m_configured || config.port != m_config.port
        || config.bind != m_config.bind || config.customBindHost != m_config.customBindHost;
    m_config = config;
    m_auth = Authenticator(config.auth);
    m_limiter.setConfig(config.auth.rateLimit);
    if (m_ws)
        m_ws->setConfig(config);
    m_configured = true;
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
    m_limiter.clear(ip);
    publishLockouts();
}

void GatewayServer::publishLockouts()
{
    emit lockoutsChanged(m_limiter.lockouts());
}

QByteArray GatewayServer::requestId(const QByteArray &clientValue) const
{
    // Keep a client's own id when it is short and plain, so its logs and ours line up.
    if (!clientValue.isEmpty() && clientValue.size() <= 128) {
        bool plain = true;
        for (const char c : clientValue) {
            if (!(QChar::isLetterOrNumber(uchar(c)) && uchar(c) < 128) && c != '-' && c != '_'
                && c != '.' && c != ':') {
                plain = false;
                break;
            }
        }
        if (plain)
            return clientValue;
    }
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

bool GatewayServer::hostAllowed(const QByteArray &hostHeader) const
{
    if (!m_config.isLoopbackBind() || hostHeader.isEmpty())
        return true;
    QByteArray host = hostHeader.trimmed().toLower();
    if (host.startsWith('[')) {
        host = host.left(host.indexOf(']') + 1);
    } else {
        const qsizetype colon = host.lastIndexOf(':');
        if (colon >= 0)
            host.truncate(colon);
    }
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

QByteArray GatewayServer::corsOrigin(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return {};
    const QString o = QString::fromUtf8(origin);
    return m_config.corsOrigins.contains(o) ? origin : QByteArray();
}

QByteArray GatewayServer::preflight(const HttpRequest &request, const ReplyContext &ctx) const
{
    // Allow only the headers asked for among Authorization, Content-Type and x-stainless-*.
    QList<QByteArray> allowed;
    const QList<QByteArray> asked = request.value("access-control-request-headers").split(',');
    for (const QByteArray &raw : asked) {
        const QByteArray h = raw.trimmed();
        const QByteArray lower = h.toLower();
        if (lower == "authorization" || lower == "content-type" || lower.startsWith("x-stainless-"))
            allowed.append(h);
    }
    HeaderList extra {{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                      {"Access-Control-Max-Age", "600"}};
    if (!allowed.isEmpty())
        extra.append({"Access-Control-Allow-Headers", allowed.join(", ")});
    return HttpReply::build(204, {}, {}, ctx, extra);
}

AuthResult GatewayServer::checkCredential(const QHostAddress &peer,
                                          const std::function<AuthResult()> &check,
                                          qint64 *lockedForMs)
{
    *lockedForMs = 0;
    const bool exempt = m_limiter.isExempt(peer);
    if (!exempt) {
        *lockedForMs = m_limiter.lockedForMs(peer);
        if (*lockedForMs > 0)
            return {};
    }
    const AuthResult result = check();
    switch (result.outcome) {
    case AuthResult::Outcome::Ok:
        if (!exempt)
            m_limiter.recordSuccess(peer);
        break;
    case AuthResult::Outcome::Wrong:
        if (!exempt && m_limiter.recordFailure(peer)) {
            qCWarning(lcAuth).noquote()
                << "locked out" << peer.toString() << "after repeated failed authentication";
            emit ipLockedOut(peer.toString());
            publishLockouts();
        }
        break;
    case AuthResult::Outcome::Missing:
        break;
    }
    return result;
}

GatewayServer::Auth GatewayServer::authenticate(const QByteArray &authorization,
                                                const QHostAddress &peer, const ReplyContext &ctx)
{
    Auth out;
    if (m_config.auth.mode == AuthMode::None) {
        out.result.outcome = AuthResult::Outcome::Ok;
        return out;
    }
    qint64 lockedMs = 0;
    out.result = checkCredential(
        peer, [&] { return m_auth.check(authorization); }, &lockedMs);
    if (lockedMs > 0) {
        const QByteArray seconds = QByteArray::number(AuthRateLimiter::retryAfterSeconds(lockedMs));
        out.rejection
            = HttpReply::error(ApiError::tooManyAuthFailures(), ctx, {{"Retry-After", seconds}});
    } else if (!out.result.ok()) {
        out.rejection = HttpReply::error(ApiError::unauthorized(), ctx);
    }
    return out;
}

HeadDecision GatewayServer::checkHead(const RequestHead &head, QTcpSocket *socket)
{
    HeadDecision decision;
    if (head.upgrade)
        return decision;
    const bool tooLarge = head.contentLength > m_config.maxBodyBytes;
    if (!tooLarge && !head.expectContinue && !head.chunked)
        return decision;

    // The body will not be read: answer as the pipeline would have, in its order, and close.
    ReplyContext ctx {requestId(head.value("x-request-id")), corsOrigin(head.value("origin")),
                      false, true};
    const QString path = QString::fromUtf8(head.path());
    const QHostAddress peer = socket->peerAddress();
    RequestRecord record;
    record.id = m_log->nextId();
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.client = peer.toString();
    record.method = QString::fromLatin1(head.method);
    record.path = path;

    QByteArray rejection;
    if (!hostAllowed(head.value("host"))) {
        rejection = HttpReply::error(ApiError::hostNotAllowed(), ctx);
    } else if (path == kChatPath) {
        if (!m_config.chatCompletionsEnabled) {
            rejection = HttpReply::notFound(ctx);
        } else if (head.method != "POST") {
            rejection = HttpReply::methodNotAllowed("POST", ctx);
        } else {
            const Auth auth = authenticate(head.value("authorization"), peer, ctx);
            if (auth.rejection)
                rejection = *auth.rejection;
        }
    } else if (!isModelsPath(path) && path != kHealthPath) {
        rejection = HttpReply::notFound(ctx);
    }
    if (rejection.isEmpty() && head.chunked) {
        rejection = HttpReply::text(411, QByteArrayLiteral("Length Required"), ctx);
    }
    if (rejection.isEmpty() && tooLarge) {
        rejection = HttpReply::error(ApiError::payloadTooLarge(), ctx);
    }
    if (rejection.isEmpty()) {
        decision.sendContinue = head.expectContinue;
        return decision;
    }
    record.status = rejection.mid(9, 3).toInt();
    record.durationMs = 0;
    record.ttfbMs = 0;
    record.finished = true;
    m_log->record(record);
    decision.rejection = rejection;
    return decision;
}

void GatewayServer::respond(QTcpSocket *socket, const QByteArray &response, RequestRecord record,
                            const QElapsedTimer &clock)
{
    if (socket && socket->state() == QAbstractSocket::ConnectedState)
        socket->write(response);
    record.status = response.mid(9, 3).toInt();
    record.durationMs = clock.elapsed();
    record.ttfbMs = record.durationMs;
    record.finished = true;
    if (record.status >= 400) {
        const qsizetype bodyStart = response.indexOf("\r\n\r\n");
        record.responseBody = response.mid(bodyStart + 4, RequestLog::kBodyCap);
        // The message a client reads: error.message of an OpenAI error, else the text body.
        const QJsonObject error = QJsonDocument::fromJson(record.responseBody)
                                      .object()
                                      .value(QStringLiteral("error"))
                                      .toObject();
        record.error = error.isEmpty() ? QString::fromUtf8(record.responseBody)
                                       : error.value(QStringLiteral("message")).toString();
    }
    m_log->record(record);
}

void GatewayServer::handleHttp(const HttpRequest &request, QTcpSocket *socket)
{
    QElapsedTimer clock;
    clock.start();
    ReplyContext ctx;
    ctx.requestId = requestId(request.value("x-request-id"));
    ctx.headOnly = request.method == "HEAD";

    RequestRecord record;
    record.id = m_log->nextId();
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.client = request.peer.toString();
    record.method = QString::fromLatin1(request.method);
    record.path = request.path;

    if (!hostAllowed(request.value("host"))) {
        respond(socket, HttpReply::error(ApiError::hostNotAllowed(), ctx), record, clock);
        return;
    }
    ctx.corsOrigin = corsOrigin(request.value("origin"));
    const bool isPreflight = request.method == "OPTIONS" && !ctx.corsOrigin.isEmpty();

    if (request.path == kHealthPath) {
        if (isPreflight) {
            respond(socket, preflight(request, ctx), record, clock);
        } else if (request.method == "GET" || request.method == "HEAD") {
            respond(socket,
                    HttpReply::json(200,
                                    {{QStringLiteral("ok"), true},
                                     {QStringLiteral("status"), QStringLiteral("live")}},
                                    ctx, {{"Cache-Control", "no-store"}}),
                    record, clock);
        } else {
            respond(socket, HttpReply::methodNotAllowed("GET, HEAD", ctx), record, clock);
        }
        return;
    }
    if (request.path == kChatPath) {
        handleChat(request, socket, ctx, record);
        return;
    }
    if (isModelsPath(request.path)) {
        respond(socket, handleModels(request, ctx), record, clock);
        return;
    }
    respond(socket, HttpReply::notFound(ctx), record, clock);
}

QByteArray GatewayServer::handleModels(const HttpRequest &request, const ReplyContext &ctx)
{
    if (!m_config.chatCompletionsEnabled)
        return HttpReply::notFound(ctx);
    if (request.method == "OPTIONS" && !ctx.corsOrigin.isEmpty())
        return preflight(request, ctx);
    if (request.method != "GET" && request.method != "HEAD")
        return HttpReply::methodNotAllowed("GET, HEAD", ctx);
    const Auth auth = authenticate(request.value("authorization"), request.peer, ctx);
    if (auth.rejection)
        return *auth.rejection;
    if (request.path == kModelsPath || request.path == kModelsPath + QLatin1Char('/'))
        return HttpReply::json(200, ModelList::list(m_config), ctx);
    const QString id = request.path.mid(kModelsPath.size() + 1);
    const auto model = ModelList::find(m_config, id);
    if (!model)
        return HttpReply::error(ApiError::modelNotFound(id), ctx);
    return HttpReply::json(200, *model, ctx);
}

void GatewayServer::handleChat(const HttpRequest &request, QTcpSocket *socket, ReplyContext ctx,
                               RequestRecord record)
{
    QElapsedTimer clock;
    clock.start();
    auto reject = [&](const QByteArray &response) { respond(socket, response, record, clock); };
    auto invalid = [&](const QString &message) {
        reject(HttpReply::error(ApiError::invalidRequest(message), ctx));
    };

    // 1. switch and method
    if (!m_config.chatCompletionsEnabled)
        return reject(HttpReply::notFound(ctx));
    if (request.method == "OPTIONS" && !ctx.corsOrigin.isEmpty())
        return reject(preflight(request, ctx));
    if (request.method != "POST")
        return reject(HttpReply::methodNotAllowed("POST", ctx));
    // 2. auth
    const Auth auth = authenticate(request.value("authorization"), request.peer, ctx);
    if (auth.rejection)
        return reject(*auth.rejection);
    // 3. size (the listener refuses a declared oversized body before it is read)
    if (request.body.size() > m_config.maxBodyBytes)
        return reject(HttpReply::error(ApiError::payloadTooLarge(), ctx));
    // Bodies are only copied (redacted) for a viewer; headless mode skips the work.
    if (m_log->captureFrames())
        record.requestBody = RequestLog::redact(request.body);
    // 4-5. JSON and fields
    ChatRequest chat;
    if (const auto error = chat.parse(request.body))
        return invalid(*error);
    record.model = chat.model;
    record.stream = chat.stream;
    // 6. agent
    QByteArray headerAgent = request.value("x-openclaw-agent-id").trimmed();
    if (headerAgent.isEmpty())
        headerAgent = request.value("x-openclaw-agent").trimmed();
    const AgentChoice agent
        = AgentResolver::resolve(QString::fromUtf8(headerAgent), chat.model, m_config);
    if (!agent.error.isEmpty())
        return invalid(agent.error);
    // 7. session
    const SessionChoice session
        = SessionKey::resolve(QString::fromUtf8(request.value("x-openclaw-session-key")), chat.user,
                              agent.agentId, m_config);
    if (!session.error.isEmpty())
        return invalid(session.error);
    record.agentId = session.agentId;
    record.sessionKey = session.key;
    if (!auth.result.mayUseAgent(session.agentId))
        return reject(HttpReply::error(ApiError::forbiddenAgent(session.agentId), ctx));
    // 8. prompt
    const BuiltPrompt prompt = PromptBuilder::build(chat.messages);
    if (prompt.prompt.isEmpty())
        return invalid(QStringLiteral("Missing user message in `messages`."));

    const AgentConfig *agentConfig = m_config.findAgent(session.agentId);
    Q_ASSERT(agentConfig); // resolved above
    ChatRunSpec spec;
    spec.meta
        = {CompletionFormat::newCompletionId(), QDateTime::currentSecsSinceEpoch(),
           chat.body.contains(QStringLiteral("model")) ? chat.model : QStringLiteral("openclaw")};
    spec.stream = chat.stream;
    spec.includeUsage = chat.includeUsage;
    spec.agentId = session.agentId;
    spec.sessionKey = session.key;
    spec.stableSession = session.stable;
    spec.userPrompt = prompt.prompt;
    spec.keepAliveMs = m_config.keepAliveMs;
    spec.reply = ctx;

    BackendRequest backendRequest;
    backendRequest.runId = spec.meta.id;
    backendRequest.agentId = session.agentId;
    backendRequest.systemPrompt
        = BackendRequest::composeSystemPrompt(agentConfig->systemPrompt, prompt.extraSystemPrompt);
    backendRequest.prompt = prompt.prompt;
    backendRequest.clientMessages = chat.messages;
    backendRequest.maxTokens = chat.maxTokens;
    backendRequest.stop = chat.stop;
    backendRequest.passthrough = chat.passthrough;
    spec.record = record;

    // The run starts once the session's model context is loaded (at once for a stateless one).
    // The agent is copied: the config may change before the history arrives.
    const bool keepsTranscript
        = session.stable && m_sessions && m_sessions->state() != SessionStore::State::Unavailable;
    auto launch = [this, socket, ctx, clock, agent = *agentConfig, spec = std::move(spec),
                   backendRequest](const QList<ChatTurn> &history) mutable {
        backendRequest.history = history;
        QString error;
        std::unique_ptr<BackendRun> backend
            = m_backends->createForAgent(agent, backendRequest, m_config, &error);
        if (!backend) {
            qCWarning(lcUpstream).noquote() << "agent" << agent.id << ":" << error;
            return respond(socket, HttpReply::error(ApiError::internal(), ctx), spec.record, clock);
        }
        SessionStore *store = spec.stableSession ? m_sessions.get() : nullptr;
        auto *run
            = new ChatCompletionRun(std::move(spec), std::move(backend), socket, m_log, store);
        run->start();
    };
    if (!keepsTranscript)
        return launch({});
    // The socket is the context: a client gone meanwhile drops the request.
    m_sessions->modelContext(
        session.key, m_config.sessionHistoryMessages, socket,
        [launch](const StoreResult<QList<ChatTurn>> &context) mutable { launch(context.value); });
}

QByteArray GatewayServer::checkUpgrade(const HttpRequest &request)
{
    ReplyContext ctx {requestId(request.value("x-request-id")), {}, false, true};
    if (!hostAllowed(request.value("host")))
        return HttpReply::error(ApiError::hostNotAllowed(), ctx);
    // --- WebSocket gateway: refuse an IP with too many connections still handshaking
    if (!m_ws)
        return HttpReply::notFound(ctx);
    if (!m_ws->acceptsUpgradeFrom(request.peer)) {
        const int seconds = (m_ws->limits().handshakeTimeoutMs + 999) / 1000;
        return HttpReply::text(429, QByteArrayLiteral("Too Many Requests"), ctx,
                               {{"Retry-After", QByteArray::number(seconds)}});
    }
    // ---
    return {};
}

void GatewayServer::handleWebSocket(std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade)
{
    // --- WebSocket gateway
    if (!m_ws) {
        socket->close(QWebSocketProtocol::CloseCodeGoingAway);
        return;
    }
    m_ws->accept(std::move(socket), upgrade.path);
    // ---
}

WsAuthVerdict GatewayServer::checkWsCredential(const QByteArray &secret, bool isPassword,
                                               const QHostAddress &peer)
{
    // --- WebSocket gateway: connect.auth goes through the same limiter as HTTP
    WsAuthVerdict verdict;
    if (m_config.auth.mode == AuthMode::None) {
        verdict.result.outcome = AuthResult::Outcome::Ok;
        return verdict;
    }
    verdict.result = checkCredential(
        peer,
        [&] { return secret.isEmpty() ? AuthResult {} : m_auth.checkSecret(secret, isPassword); },
        &verdict.lockedForMs);
    // ---
    return verdict;
}

} // namespace passerelle
