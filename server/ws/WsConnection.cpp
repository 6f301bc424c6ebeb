#include "ws/WsConnection.h"

#include "Logging.h"
#include "RandomId.h"
#include "engine/RunEngine.h"
#include "http/ApiError.h"
#include "log/RequestLog.h"
#include "store/SessionStore.h"
#include "ws/WsGateway.h"
#include "ws/WsRun.h"
#include "ws/WsSocket.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace passerelle {

namespace {

constexpr int kCloseGraceMs = 5000;

const QString kConnect = QStringLiteral("connect");

} // namespace

WsConnection::WsConnection(std::unique_ptr<WsSocket> socket, const QString &path,
                           WsGateway *gateway)
    : QObject(gateway), m_socket(std::move(socket)), m_gateway(gateway),
      m_path(path.isEmpty() ? QStringLiteral("/") : path), m_peer(m_socket->peerAddress()),
      m_connId(RandomId::uuid().toString(QUuid::WithoutBraces))
{
    const WsGateway::Limits &limits = gateway->limits();
    // Until `connect` succeeds, a client may only send small messages.
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits.preAuthMaxPayload));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits.preAuthMaxPayload));
    connect(m_socket.get(), &WsSocket::textMessageReceived, this, &WsConnection::onText);
    connect(m_socket.get(), &WsSocket::binaryMessageReceived, this, &WsConnection::onBinary);
    connect(m_socket.get(), &WsSocket::disconnected, this, &WsConnection::onDisconnected);

    m_handshakeTimer.setSingleShot(true);
    m_handshakeTimer.setInterval(limits.handshakeTimeoutMs);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &WsConnection::onHandshakeTimeout);
    m_tickTimer.setInterval(limits.tickIntervalMs);
    connect(&m_tickTimer, &QTimer::timeout, this, [this] {
        sendEvent(QStringLiteral("tick"),
                  {{QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()}}, true);
    });
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(kCloseGraceMs);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });

    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_state = State::Closing;
        QMetaObject::invokeMethod(this, &WsConnection::onDisconnected, Qt::QueuedConnection);
        return;
    }
    m_handshakeTimer.start();
    const QJsonObject challenge {
        {QStringLiteral("nonce"), RandomId::uuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()}};
    m_socket->sendTextMessage(
        WsProtocol::event(QStringLiteral("connect.challenge"), challenge, -1));
}

WsConnection::~WsConnection()
{
    m_secret.fill('\0');
    const auto runs = m_runs;
    for (const QPointer<WsRun> &run : runs) {
        if (run)
            run->abort(WsRun::AbortReason::ClientGone);
    }
    leavePreAuth();
}

int WsConnection::runCount() const
{
    int n = 0;
    for (const QPointer<WsRun> &run : m_runs)
        n += run && !run->isDone() ? 1 : 0;
    return n;
}

WsGatewayFacts WsConnection::facts() const
{
    WsGatewayFacts f;
    if (m_gateway) {
        f.uptimeMs = m_gateway->uptimeMs();
        f.connections = m_gateway->connectionCount();
        f.activeRuns = m_gateway->activeRunCount();
    }
    return f;
}

// --- frames ---

QString WsConnection::sendEvent(const QString &name, const QJsonObject &payload, bool droppable)
{
    if (m_state != State::Open)
        return {};
    if (m_socket->bytesToWrite() > WsProtocol::kMaxBufferedBytes) {
        if (!droppable)
            closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("slow consumer"));
        return {};
    }
    QString text = WsProtocol::event(name, payload, ++m_eventSeq);
    m_socket->sendTextMessage(text);
    return text;
}

QString WsConnection::sendResponse(const QString &id, const QJsonObject &payload)
{
    if (m_state == State::Closing)
        return {};
    if (m_socket->bytesToWrite() > WsProtocol::kMaxBufferedBytes) {
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("slow consumer"));
        return {};
    }
    QString text = WsProtocol::response(id, payload);
    m_socket->sendTextMessage(text);
    return text;
}

QString WsConnection::sendError(const QString &id, const WsError &error, const QJsonObject &payload)
{
    if (m_state == State::Closing)
        return {};
    QString text = WsProtocol::errorResponse(id, error, payload);
    m_socket->sendTextMessage(text);
    return text;
}

void WsConnection::closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    m_handshakeTimer.stop();
    m_tickTimer.stop();
    leavePreAuth();
    const auto runs = m_runs;
    for (const QPointer<WsRun> &run : runs) {
        if (run)
            run->abort(WsRun::AbortReason::ClientGone);
    }
    qCDebug(lcWs).noquote() << "closing" << m_peer.toString() << int(code) << reason;
    m_socket->close(code, WsProtocol::closeReason(reason));
    m_closeTimer.start();
}

void WsConnection::refuse(const QString &id, const WsError &error,
                          QWebSocketProtocol::CloseCode code, const QString &reason)
{
    qCInfo(lcWs).noquote() << "refused" << m_peer.toString() << ":" << error.message;
    if (!id.isEmpty())
        sendError(id, error);
    closeWith(code, reason);
}

void WsConnection::leavePreAuth()
{
    if (!m_inPreAuth)
        return;
    m_inPreAuth = false;
    if (m_gateway)
        m_gateway->leavePreAuth(m_peer);
}

// --- socket events ---

void WsConnection::onDisconnected()
{
    m_state = State::Closing;
    m_handshakeTimer.stop();
    m_tickTimer.stop();
    m_closeTimer.stop();
    leavePreAuth();
    const auto runs = m_runs;
    for (const QPointer<WsRun> &run : runs) {
        if (run)
            run->abort(WsRun::AbortReason::ClientGone);
    }
    deleteLater();
}

void WsConnection::onHandshakeTimeout()
{
    if (m_state != State::AwaitingConnect)
        return;
    qCInfo(lcWs).noquote() << "handshake timeout from" << m_peer.toString();
    closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("handshake timeout"));
}

void WsConnection::onBinary(const QByteArray &data)
{
    Q_UNUSED(data);
    if (m_awaitingStore && m_state != State::Closing) {
        m_held.append({{}, true});
        return;
    }
    if (m_state == State::AwaitingConnect) {
        refuse({}, WsMethods::invalid(QStringLiteral("invalid handshake")),
               QWebSocketProtocol::CloseCodePolicyViolated,
               QStringLiteral("invalid handshake: first frame must be a connect request"));
    } else if (m_state == State::Open) {
        closeWith(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                  QStringLiteral("binary frames are not supported"));
    }
}

void WsConnection::onText(const QString &text)
{
    if (m_state == State::Closing)
        return;
    if (m_awaitingStore) {
        m_held.append({text, false});
        return;
    }
    const WsFrameParse frame = WsProtocol::parse(text);
    if (m_state == State::AwaitingConnect) {
        if (frame.kind == WsFrameParse::Kind::Request && frame.request->method == kConnect) {
            handleConnect(frame);
            return;
        }
        // OpenClaw's rule: anything but a connect request first closes the socket (1008).
        refuse(
            frame.id,
            WsMethods::invalid(QStringLiteral("invalid handshake: first request must be connect")),
            QWebSocketProtocol::CloseCodePolicyViolated,
            QStringLiteral("invalid handshake: first frame must be a connect request"));
        return;
    }
    switch (frame.kind) {
    case WsFrameParse::Kind::Request:
        dispatch(*frame.request);
        return;
    case WsFrameParse::Kind::Invalid:
        sendError(frame.id, WsMethods::invalid(frame.error));
        return;
    case WsFrameParse::Kind::NotJson:
    case WsFrameParse::Kind::NotRequest:
        qCDebug(lcWs).noquote() << "ignored a frame from" << m_peer.toString() << ":"
                                << frame.error;
        return;
    }
}

// --- handshake ---

void WsConnection::handleConnect(const WsFrameParse &frame)
{
    const WsRequest &request = *frame.request;
    WsConnectParams params;
    if (const auto error = WsMethods::parseConnect(request.params, &params)) {
        logConnect(400, error->message);
        refuse(request.id, *error, QWebSocketProtocol::CloseCodePolicyViolated,
               QStringLiteral("invalid connect params"));
        return;
    }
    const int protocol = WsProtocol::negotiate(params.minProtocol, params.maxProtocol);
    if (protocol == 0) {
        WsError error = WsMethods::invalid(QStringLiteral("protocol mismatch"));
        error.details = {{QStringLiteral("expectedProtocol"), WsProtocol::kVersion},
                         {QStringLiteral("minProtocol"), WsProtocol::kOldestVersion},
                         {QStringLiteral("maxProtocol"), WsProtocol::kVersion}};
        logConnect(400, error.message);
        refuse(request.id, error, QWebSocketProtocol::CloseCodeProtocolError,
               QStringLiteral("protocol mismatch"));
        return;
    }
    if (!m_gateway)
        return;
    const GatewayConfig &config = m_gateway->config();
    const CredentialGuard::Verdict verdict
        = m_gateway->checkCredential(params.secret, params.secretIsPassword, m_peer);
    if (verdict.lockedForMs > 0) {
        WsError error = WsMethods::invalid(ApiError::tooManyAuthFailures().message);
        error.retryAfterMs = verdict.lockedForMs;
        logConnect(429, error.message);
        refuse(request.id, error, QWebSocketProtocol::CloseCodePolicyViolated,
               QStringLiteral("too many failed authentication attempts"));
        return;
    }
    if (!verdict.result.ok()) {
        const QString what = config.auth.mode == AuthMode::Password ? QStringLiteral("password")
                                                                    : QStringLiteral("token");
        const QString problem = verdict.result.outcome == AuthResult::Outcome::Missing
            ? QStringLiteral("missing")
            : QStringLiteral("mismatch");
        const WsError error
            = WsMethods::invalid(QStringLiteral("unauthorized: gateway %1 %2").arg(what, problem));
        logConnect(401, error.message);
        refuse(request.id, error, QWebSocketProtocol::CloseCodePolicyViolated,
               QStringLiteral("unauthorized"));
        return;
    }

    m_state = State::Open;
    m_handshakeTimer.stop();
    leavePreAuth();
    m_caller = verdict.result;
    m_secret = params.secret;
    m_secretIsPassword = params.secretIsPassword;
    m_protocol = protocol;
    m_socket->setMaxAllowedIncomingFrameSize(quint64(WsProtocol::kMaxPayload));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(WsProtocol::kMaxPayload));
    qCInfo(lcWs).noquote() << "connected" << m_peer.toString() << "client" << params.clientId
                           << params.clientVersion << "protocol" << protocol;
    logConnect(200, {});
    fetchRecentSessions([this, id = request.id](const StoreResult<QList<SessionInfo>> &recent) {
        sendResponse(id,
                     WsMethods::helloOk(m_protocol, m_connId, m_gateway->limits().tickIntervalMs,
                                        m_gateway->config(), recent, facts(), m_caller));
        m_tickTimer.start();
    });
}

void WsConnection::logConnect(int status, const QString &error)
{
    RequestLog *log = m_gateway ? m_gateway->log() : nullptr;
    if (!log)
        return;
    RequestRecord record;
    record.id = log->nextId();
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.transport = QStringLiteral("ws");
    record.client = m_peer.toString();
    record.method = kConnect;
    record.path = m_path;
    record.status = status;
    record.error = error;
    record.ttfbMs = 0;
    record.durationMs = 0;
    record.finished = true;
    log->record(record);
}

void WsConnection::recheckCredential(const Authenticator &auth)
{
    if (m_state != State::Open)
        return;
    const AuthResult result = auth.checkSecret(m_secret, m_secretIsPassword);
    if (!result.ok()) {
        qCInfo(lcWs).noquote() << "credential of" << m_peer.toString()
                               << "no longer valid; closing";
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("credentials no longer valid"));
        return;
    }
    m_caller = result;
}

// --- the session store ---

template<typename T>
void WsConnection::askStore(
    const std::function<void(SessionStore &store, SessionStore::Callback<T> done)> &call,
    SessionStore::Callback<T> then)
{
    SessionStore *store = m_gateway ? m_gateway->sessionStore() : nullptr;
    if (!store) {
        then(StoreResult<T> {false, {}, QStringLiteral("no session store")});
        return;
    }
    // The store answers through this object: nothing comes if the connection is gone by then.
    m_awaitingStore = true;
    call(*store, [this, then = std::move(then)](const StoreResult<T> &result) {
        m_awaitingStore = false;
        if (m_state != State::Closing && m_gateway)
            then(result);
        resumeHeld();
    });
}

void WsConnection::fetchRecentSessions(SessionStore::Callback<QList<SessionInfo>> then)
{
    askStore<QList<SessionInfo>>(
        [this](SessionStore &store, SessionStore::Callback<QList<SessionInfo>> done) {
            store.sessions(WsMethods::kRecentSessions, this, std::move(done));
        },
        std::move(then));
}

void WsConnection::resumeHeld()
{
    if (m_state == State::Closing)
        m_held.clear();
    while (!m_awaitingStore && !m_held.isEmpty()) {
        const HeldFrame frame = m_held.takeFirst();
        if (frame.binary)
            onBinary({});
        else
            onText(frame.text);
    }
}

// --- methods ---

void WsConnection::dispatch(const WsRequest &request)
{
    if (!m_gateway)
        return;
    const GatewayConfig &config = m_gateway->config();
    const QString &method = request.method;
    QJsonObject payload;
    std::optional<WsError> error;
    if (method == kConnect) {
        error = WsMethods::invalid(QStringLiteral("already connected"));
    } else if (method == QLatin1String("health")) {
        return fetchRecentSessions(
            [this, id = request.id](const StoreResult<QList<SessionInfo>> &recent) {
                sendResponse(id, WsMethods::health(m_gateway->config(), recent, m_caller));
            });
    } else if (method == QLatin1String("status")) {
        return fetchRecentSessions(
            [this, id = request.id](const StoreResult<QList<SessionInfo>> &recent) {
                sendResponse(id, WsMethods::status(m_gateway->config(), recent, facts(), m_caller));
            });
    } else if (method == QLatin1String("agents.list")) {
        payload = WsMethods::agentsList(config, m_caller);
    } else if (method == QLatin1String("sessions.list")) {
        return methodSessionsList(request);
    } else if (method == QLatin1String("chat.history")) {
        return methodChatHistory(request);
    } else if (method == QLatin1String("agent")) {
        return methodAgent(request);
    } else if (method == QLatin1String("chat.send")) {
        return methodChatSend(request);
    } else if (method == QLatin1String("chat.abort")) {
        return methodChatAbort(request);
    } else {
        error = WsMethods::invalid(QStringLiteral("unknown method: ") + method);
    }
    if (error)
        sendError(request.id, *error);
    else
        sendResponse(request.id, payload);
}

void WsConnection::methodSessionsList(const WsRequest &request)
{
    WsSessionsQuery query;
    if (const auto error = WsMethods::parseSessionsList(request.params, m_caller, &query)) {
        sendError(request.id, *error);
        return;
    }
    askStore<QList<SessionInfo>>(
        [this, query](SessionStore &store, SessionStore::Callback<QList<SessionInfo>> done) {
            store.sessions(query.fetchLimit, this, std::move(done));
        },
        [this, query, id = request.id](const StoreResult<QList<SessionInfo>> &sessions) {
            sendResponse(
                id, WsMethods::sessionsList(query, m_gateway->config(), sessions.value, m_caller));
        });
}

void WsConnection::methodChatHistory(const WsRequest &request)
{
    WsHistoryQuery query;
    if (const auto error
        = WsMethods::parseChatHistory(request.params, m_gateway->config(), m_caller, &query)) {
        sendError(request.id, *error);
        return;
    }
    askStore<QList<ChatTurn>>(
        [this, query](SessionStore &store, SessionStore::Callback<QList<ChatTurn>> done) {
            store.history(query.sessionKey, query.limit, this, std::move(done));
        },
        [this, query, id = request.id](const StoreResult<QList<ChatTurn>> &turns) {
            sendResponse(id, WsMethods::chatHistory(query, turns.value));
        });
}

void WsConnection::methodAgent(const WsRequest &request)
{
    WsRunPlan plan;
    if (const auto error
        = WsMethods::planAgent(request.params, m_gateway->config(), m_caller, &plan)) {
        sendError(request.id, *error);
        return;
    }
    startRun(request, plan);
}

void WsConnection::methodChatSend(const WsRequest &request)
{
    WsRunPlan plan;
    if (const auto error
        = WsMethods::planChatSend(request.params, m_gateway->config(), m_caller, &plan)) {
        sendError(request.id, *error);
        return;
    }
    startRun(request, plan);
}

void WsConnection::methodChatAbort(const WsRequest &request)
{
    WsAbortTarget target;
    if (const auto error = WsMethods::parseAbort(request.params, &target)) {
        sendError(request.id, *error);
        return;
    }
    // The aborted runs report first (their events and final answers), then this answer.
    const QStringList ids = m_gateway->abortRuns(target.sessionKey, target.runId, m_caller);
    sendResponse(request.id,
                 {{QStringLiteral("ok"), true},
                  {QStringLiteral("aborted"), !ids.isEmpty()},
                  {QStringLiteral("runIds"), QJsonArray::fromStringList(ids)}});
}

void WsConnection::startRun(const WsRequest &request, const WsRunPlan &plan)
{
    if (m_gateway->hasRun(plan.runId)) {
        sendError(
            request.id,
            WsMethods::invalid(QStringLiteral("run '%1' is already in progress").arg(plan.runId)));
        return;
    }
    RunRequest run;
    run.surface = Surface::WebSocket;
    run.runId = plan.runId;
    run.agentId = plan.agentId;
    run.sessionKey = plan.sessionKey;
    run.stableSession = true; // every WebSocket run names a session that keeps its transcript
    run.prompt = plan.prompt;
    run.extraSystemPrompt = plan.extraSystemPrompt;
    run.messages = QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                            {QStringLiteral("content"), plan.prompt}}};
    run.caller = m_caller;
    run.record.startedAt = QDateTime::currentDateTimeUtc();
    run.record.transport = QStringLiteral("ws");
    run.record.client = m_peer.toString();
    run.record.method = request.method;
    run.record.path = m_path;
    run.record.model = plan.model;
    run.record.stream = true;
    run.record.requestBody
        = RequestLog::redact(QJsonDocument(request.params).toJson(QJsonDocument::Compact))
              .left(RequestLog::kBodyCap);

    auto *answer = new WsRun(plan, request.id, this);
    if (const auto refused = answer->start(m_gateway->engine(), std::move(run))) {
        delete answer;
        sendError(
            request.id,
            refused->error.status == 400
                ? WsMethods::invalid(refused->error.message)
                : WsError {WsProtocol::kUnavailable, refused->error.message, std::nullopt, {}});
        return;
    }
    m_runs.insert(plan.runId, answer);
    connect(answer, &WsRun::done, this, [this](const QString &runId) { m_runs.remove(runId); });
    if (plan.kind == WsRunPlan::Kind::Agent) {
        sendResponse(request.id,
                     {{QStringLiteral("runId"), plan.runId},
                      {QStringLiteral("status"), QStringLiteral("accepted")},
                      {QStringLiteral("acceptedAt"), QDateTime::currentMSecsSinceEpoch()}});
    } else {
        sendResponse(request.id,
                     {{QStringLiteral("runId"), plan.runId},
                      {QStringLiteral("status"), QStringLiteral("started")}});
    }
    answer->announceStart();
}

QStringList WsConnection::abortRuns(const QString &sessionKeyOrRunId, const QString &runId,
                                    const AuthResult &caller)
{
    QStringList aborted;
    const auto runs = m_runs;
    for (const QPointer<WsRun> &run : runs) {
        if (!run || run->isDone())
            continue;
        const WsRunPlan &plan = run->plan();
        const bool keyMatches = sessionKeyOrRunId.isEmpty() || plan.sessionKey == sessionKeyOrRunId
            || plan.runId == sessionKeyOrRunId;
        if (!keyMatches || (!runId.isEmpty() && plan.runId != runId)
            || !caller.mayUseAgent(plan.agentId)) {
            continue;
        }
        aborted.append(plan.runId);
        run->abort(WsRun::AbortReason::Requested);
    }
    return aborted;
}

} // namespace passerelle
