#include "ws/WsMethods.h"

#include "RandomId.h"
#include "engine/AgentResolver.h"
#include "engine/PromptBuilder.h"
#include "engine/SessionKey.h"

#include <QDateTime>
#include <QJsonArray>

namespace passerelle {

namespace {

const QString kMainKey = QStringLiteral("main");

bool isWholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return d == double(qint64(d));
}

// An optional string member: absent/null is fine, anything else but a string is an error.
bool optionalString(const QJsonObject &params, const QString &key, QString *out)
{
    const QJsonValue v = params.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return false;
    *out = v.toString();
    return true;
}

QString sessionKeyError(const QString &message)
{
    // SessionKey speaks of the HTTP header; over WebSocket the field is `sessionKey`.
    QString out = message;
    out.replace(QStringLiteral("`x-openclaw-session-key`"), QStringLiteral("`sessionKey`"));
    return out;
}

QString runIdFrom(const QJsonObject &params)
{
    const QString key = params.value(QStringLiteral("idempotencyKey")).toString().trimmed();
    return key.isEmpty() ? RandomId::uuid().toString(QUuid::WithoutBraces) : key;
}

QString defaultAgentId(const GatewayConfig &config)
{
    const AgentConfig *agent = config.defaultAgent();
    return agent ? agent->id : QString();
}

QJsonObject sessionDefaults(const GatewayConfig &config)
{
    const QString id = defaultAgentId(config);
    return {{QStringLiteral("defaultAgentId"), id},
            {QStringLiteral("mainKey"), kMainKey},
            {QStringLiteral("mainSessionKey"), WsMethods::mainSessionKey(id)},
            {QStringLiteral("scope"), QStringLiteral("per-sender")}};
}

QJsonObject sessionRow(const SessionInfo &info)
{
    return {{QStringLiteral("key"), info.key},
            {QStringLiteral("kind"), QStringLiteral("direct")},
            {QStringLiteral("agentId"), info.agentId},
            {QStringLiteral("displayName"), info.key},
            {QStringLiteral("turns"), info.turns},
            {QStringLiteral("updatedAt"),
             info.updatedAt.isValid() ? QJsonValue(info.updatedAt.toMSecsSinceEpoch())
                                      : QJsonValue(QJsonValue::Null)}};
}

// The sessions a caller may see (a named token limited to some agents sees only theirs).
QList<SessionInfo> visibleSessions(const QList<SessionInfo> &all, const AuthResult &caller,
                                   const QString &agentFilter)
{
    QList<SessionInfo> out;
    for (const SessionInfo &s : all) {
        if (!caller.mayUseAgent(s.agentId))
            continue;
        if (!agentFilter.isEmpty() && s.agentId != agentFilter)
            continue;
        out.append(s);
    }
    return out;
}

QJsonArray recentRows(const QList<SessionInfo> &recent, const AuthResult &caller)
{
    QJsonArray rows;
    const QList<SessionInfo> sessions = visibleSessions(recent, caller, {});
    for (const SessionInfo &s : sessions)
        rows.append(sessionRow(s));
    return rows;
}

QJsonArray agentRows(const GatewayConfig &config, const AuthResult &caller)
{
    const QString defaultId = defaultAgentId(config);
    QJsonArray agents;
    for (const AgentConfig &a : config.agents) {
        if (!caller.mayUseAgent(a.id))
            continue;
        const QString name = a.name.isEmpty() ? a.id : a.name;
        QJsonArray fallbacks;
        for (const QString &f : a.fallbacks)
            fallbacks.append(f);
        agents.append(
            QJsonObject {{QStringLiteral("id"), a.id},
                         {QStringLiteral("name"), name},
                         {QStringLiteral("default"), a.id == defaultId},
                         {QStringLiteral("identity"), QJsonObject {{QStringLiteral("name"), name}}},
                         {QStringLiteral("model"),
                          QJsonObject {{QStringLiteral("primary"), a.primary},
                                       {QStringLiteral("fallbacks"), fallbacks}}}});
    }
    return agents;
}

// Resolves the agent and session of a run from an explicit agent id (may be empty) and session
// key (may be empty: the agent's main session), exactly as the HTTP path would.
std::optional<WsError> resolveRoute(const QString &agentParam, const QString &sessionParam,
                                    const GatewayConfig &config, const AuthResult &caller,
                                    WsRunPlan *out)
{
    QString agentId = defaultAgentId(config);
    if (!agentParam.trimmed().isEmpty()) {
        const QString id = agentParam.trimmed().toLower();
        if (!AgentResolver::isValidAgentId(id))
            return WsMethods::invalid(QStringLiteral("invalid agentId '%1'").arg(agentParam));
        if (!config.findAgent(id))
            return WsMethods::invalid(AgentResolver::unknownAgentMessage(id));
        agentId = id;
    }
    if (agentId.isEmpty())
        return WsMethods::invalid(QStringLiteral("no agent is configured"));
    const QString key = sessionParam.trimmed();
    if (key.isEmpty()) {
        out->agentId = agentId;
        out->sessionKey = WsMethods::mainSessionKey(agentId);
    } else {
        const SessionChoice session = SessionKey::resolve(key, {}, agentId, config);
        if (!session.error.isEmpty())
            return WsMethods::invalid(sessionKeyError(session.error));
        out->agentId = session.agentId;
        out->sessionKey = session.key;
    }
    if (!caller.mayUseAgent(out->agentId))
        return WsMethods::invalid(QStringLiteral("token may not use agent '%1'").arg(out->agentId));
    return std::nullopt;
}

std::optional<WsError> buildPrompt(const QString &message, WsRunPlan *out)
{
    const QJsonArray messages {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                            {QStringLiteral("content"), message}}};
    out->prompt = PromptBuilder::build(messages).prompt;
    if (out->prompt.isEmpty())
        return WsMethods::invalid(QStringLiteral("Missing user message in `message`."));
    return std::nullopt;
}

} // namespace

WsError WsMethods::invalid(const QString &message)
{
    return WsError {WsProtocol::kInvalidRequest, message, std::nullopt, {}};
}

QStringList WsMethods::methods()
{
    return {QStringLiteral("health"),       QStringLiteral("status"),
            QStringLiteral("agents.list"),  QStringLiteral("sessions.list"),
            QStringLiteral("chat.history"), QStringLiteral("agent"),
            QStringLiteral("chat.send"),    QStringLiteral("chat.abort")};
}

QStringList WsMethods::events()
{
    return {QStringLiteral("connect.challenge"), QStringLiteral("tick"), QStringLiteral("agent"),
            QStringLiteral("chat"), QStringLiteral("shutdown")};
}

QString WsMethods::mainSessionKey(const QString &agentId)
{
    return QStringLiteral("agent:") + agentId + QLatin1Char(':') + kMainKey;
}

std::optional<WsError> WsMethods::parseConnect(const QJsonObject &params, WsConnectParams *out)
{
    const QJsonValue minV = params.value(QStringLiteral("minProtocol"));
    const QJsonValue maxV = params.value(QStringLiteral("maxProtocol"));
    if (!isWholeNumber(minV) || minV.toDouble() < 1)
        return invalid(
            QStringLiteral("invalid connect params: minProtocol must be an integer >= 1"));
    if (!isWholeNumber(maxV) || maxV.toDouble() < 1)
        return invalid(
            QStringLiteral("invalid connect params: maxProtocol must be an integer >= 1"));
    const QJsonValue client = params.value(QStringLiteral("client"));
    if (!client.isObject())
        return invalid(QStringLiteral("invalid connect params: client must be an object"));
    const QJsonValue auth = params.value(QStringLiteral("auth"));
    if (!auth.isUndefined() && !auth.isNull() && !auth.isObject())
        return invalid(QStringLiteral("invalid connect params: auth must be an object"));

    out->minProtocol = int(qBound(1.0, minV.toDouble(), 1e6));
    out->maxProtocol = int(qBound(1.0, maxV.toDouble(), 1e6));
    const QJsonObject c = client.toObject();
    out->clientId = c.value(QStringLiteral("id")).toString().left(64);
    out->clientVersion = c.value(QStringLiteral("version")).toString().left(64);
    out->clientMode = c.value(QStringLiteral("mode")).toString().left(32);
    const QJsonObject a = auth.toObject();
    const QString token = a.value(QStringLiteral("token")).toString();
    const QString password = a.value(QStringLiteral("password")).toString();
    out->secretIsPassword = token.isEmpty() && !password.isEmpty();
    out->secret = (out->secretIsPassword ? password : token).toUtf8();
    return std::nullopt;
}

std::optional<WsError> WsMethods::planAgent(const QJsonObject &params, const GatewayConfig &config,
                                            const AuthResult &caller, WsRunPlan *out)
{
    out->kind = WsRunPlan::Kind::Agent;
    const QJsonValue message = params.value(QStringLiteral("message"));
    if (!message.isString() || message.toString().isEmpty())
        return invalid(QStringLiteral("invalid agent params: message must be a non-empty string"));
    QString agentId, sessionKey, extra, model;
    if (!optionalString(params, QStringLiteral("agentId"), &agentId))
        return invalid(QStringLiteral("invalid agent params: agentId must be a string"));
    if (!optionalString(params, QStringLiteral("sessionKey"), &sessionKey))
        return invalid(QStringLiteral("invalid agent params: sessionKey must be a string"));
    if (!optionalString(params, QStringLiteral("extraSystemPrompt"), &extra))
        return invalid(QStringLiteral("invalid agent params: extraSystemPrompt must be a string"));
    if (!optionalString(params, QStringLiteral("model"), &model))
        return invalid(QStringLiteral("invalid agent params: model must be a string"));
    if (auto error = resolveRoute(agentId, sessionKey, config, caller, out))
        return error;
    if (auto error = buildPrompt(message.toString(), out))
        return error;
    out->extraSystemPrompt = extra.trimmed();
    out->model = model;
    out->runId = runIdFrom(params);
    return std::nullopt;
}

std::optional<WsError> WsMethods::planChatSend(const QJsonObject &params,
                                               const GatewayConfig &config,
                                               const AuthResult &caller, WsRunPlan *out)
{
    out->kind = WsRunPlan::Kind::Chat;
    const QJsonValue key = params.value(QStringLiteral("sessionKey"));
    if (!key.isString() || key.toString().trimmed().isEmpty())
        return invalid(
            QStringLiteral("invalid chat.send params: sessionKey must be a non-empty string"));
    const QJsonValue message = params.value(QStringLiteral("message"));
    if (!message.isString())
        return invalid(QStringLiteral("invalid chat.send params: message must be a string"));
    if (auto error = resolveRoute({}, key.toString(), config, caller, out))
        return error;
    if (auto error = buildPrompt(message.toString(), out))
        return error;
    out->runId = runIdFrom(params);
    return std::nullopt;
}

std::optional<WsError> WsMethods::parseAbort(const QJsonObject &params, WsAbortTarget *out)
{
    if (!optionalString(params, QStringLiteral("sessionKey"), &out->sessionKey)
        || !optionalString(params, QStringLiteral("runId"), &out->runId)) {
        return invalid(
            QStringLiteral("invalid chat.abort params: sessionKey and runId must be strings"));
    }
    out->sessionKey = out->sessionKey.trimmed();
    out->runId = out->runId.trimmed();
    if (out->sessionKey.isEmpty() && out->runId.isEmpty())
        return invalid(
            QStringLiteral("invalid chat.abort params: sessionKey or runId is required"));
    return std::nullopt;
}

QJsonObject WsMethods::helloOk(int protocol, const QString &connId, int tickIntervalMs,
                               const GatewayConfig &config,
                               const StoreResult<QList<SessionInfo>> &recent,
                               const WsGatewayFacts &facts, const AuthResult &caller)
{
    const QJsonObject snapshot {
        {QStringLiteral("presence"), QJsonArray()},
        {QStringLiteral("health"), health(config, recent, caller)},
        {QStringLiteral("stateVersion"),
         QJsonObject {{QStringLiteral("presence"), 0}, {QStringLiteral("health"), 0}}},
        {QStringLiteral("uptimeMs"), facts.uptimeMs},
        {QStringLiteral("sessionDefaults"), sessionDefaults(config)},
        {QStringLiteral("authMode"), GatewayConfig::authModeName(config.auth.mode)}};
    return {{QStringLiteral("type"), QStringLiteral("hello-ok")},
            {QStringLiteral("protocol"), protocol},
            {QStringLiteral("server"),
             QJsonObject {{QStringLiteral("version"), QStringLiteral(PASSERELLE_VERSION)},
                          {QStringLiteral("connId"), connId}}},
            {QStringLiteral("features"),
             QJsonObject {{QStringLiteral("methods"), QJsonArray::fromStringList(methods())},
                          {QStringLiteral("events"), QJsonArray::fromStringList(events())}}},
            {QStringLiteral("snapshot"), snapshot},
            {QStringLiteral("policy"),
             QJsonObject {{QStringLiteral("maxPayload"), WsProtocol::kMaxPayload},
                          {QStringLiteral("maxBufferedBytes"), WsProtocol::kMaxBufferedBytes},
                          {QStringLiteral("tickIntervalMs"), tickIntervalMs}}}};
}

QJsonObject WsMethods::health(const GatewayConfig &config,
                              const StoreResult<QList<SessionInfo>> &recent,
                              const AuthResult &caller)
{
    QJsonArray agents;
    const QString defaultId = defaultAgentId(config);
    for (const AgentConfig &a : config.agents) {
        if (caller.mayUseAgent(a.id))
            agents.append(QJsonObject {{QStringLiteral("agentId"), a.id},
                                       {QStringLiteral("isDefault"), a.id == defaultId}});
    }
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("status"), QStringLiteral("live")},
            {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()},
            {QStringLiteral("durationMs"), 0},
            {QStringLiteral("defaultAgentId"), defaultId},
            {QStringLiteral("agents"), agents},
            {QStringLiteral("sessions"),
             QJsonObject {{QStringLiteral("available"), recent.ok},
                          {QStringLiteral("recent"), recentRows(recent.value, caller)}}}};
}

QJsonObject WsMethods::status(const GatewayConfig &config,
                              const StoreResult<QList<SessionInfo>> &recent,
                              const WsGatewayFacts &facts, const AuthResult &caller)
{
    return {{QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()},
            {QStringLiteral("version"), QStringLiteral(PASSERELLE_VERSION)},
            {QStringLiteral("uptimeMs"), facts.uptimeMs},
            {QStringLiteral("authMode"), GatewayConfig::authModeName(config.auth.mode)},
            {QStringLiteral("chatCompletionsEnabled"), config.chatCompletionsEnabled},
            {QStringLiteral("defaultAgentId"), defaultAgentId(config)},
            {QStringLiteral("agents"), agentRows(config, caller).size()},
            {QStringLiteral("connections"), facts.connections},
            {QStringLiteral("activeRuns"), facts.activeRuns},
            {QStringLiteral("sessions"),
             QJsonObject {{QStringLiteral("available"), recent.ok},
                          {QStringLiteral("defaults"), sessionDefaults(config)},
                          {QStringLiteral("recent"), recentRows(recent.value, caller)}}}};
}

QJsonObject WsMethods::agentsList(const GatewayConfig &config, const AuthResult &caller)
{
    return {{QStringLiteral("defaultId"), defaultAgentId(config)},
            {QStringLiteral("mainKey"), kMainKey},
            {QStringLiteral("scope"), QStringLiteral("per-sender")},
            {QStringLiteral("agents"), agentRows(config, caller)}};
}

std::optional<WsError> WsMethods::parseSessionsList(const QJsonObject &params,
                                                    const AuthResult &caller, WsSessionsQuery *out)
{
    const QJsonValue limitV = params.value(QStringLiteral("limit"));
    if (!limitV.isUndefined() && !limitV.isNull()) {
        if (!isWholeNumber(limitV) || limitV.toDouble() < 1)
            return invalid(
                QStringLiteral("invalid sessions.list params: limit must be an integer >= 1"));
        out->limit = int(qMin(limitV.toDouble(), 10000.0));
    }
    if (!optionalString(params, QStringLiteral("agentId"), &out->agentFilter))
        return invalid(QStringLiteral("invalid sessions.list params: agentId must be a string"));
    out->agentFilter = out->agentFilter.trimmed().toLower();
    // Ask the store for more when filtering, so a filter does not starve the page.
    const bool filtering = !out->agentFilter.isEmpty() || !caller.agents.isEmpty();
    out->fetchLimit = filtering ? 10000 : out->limit;
    return std::nullopt;
}

QJsonObject WsMethods::sessionsList(const WsSessionsQuery &query, const GatewayConfig &config,
                                    const QList<SessionInfo> &sessions, const AuthResult &caller)
{
    QList<SessionInfo> visible = visibleSessions(sessions, caller, query.agentFilter);
    if (visible.size() > query.limit)
        visible.resize(query.limit);
    QJsonArray rows;
    for (const SessionInfo &s : visible)
        rows.append(sessionRow(s));
    return {{QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()},
            {QStringLiteral("count"), rows.size()},
            {QStringLiteral("defaults"), sessionDefaults(config)},
            {QStringLiteral("sessions"), rows}};
}

std::optional<WsError> WsMethods::parseChatHistory(const QJsonObject &params,
                                                   const GatewayConfig &config,
                                                   const AuthResult &caller, WsHistoryQuery *out)
{
    const QJsonValue keyV = params.value(QStringLiteral("sessionKey"));
    if (!keyV.isString() || keyV.toString().trimmed().isEmpty())
        return invalid(
            QStringLiteral("invalid chat.history params: sessionKey must be a non-empty string"));
    const QJsonValue limitV = params.value(QStringLiteral("limit"));
    if (!limitV.isUndefined() && !limitV.isNull()) {
        if (!isWholeNumber(limitV) || limitV.toDouble() < 1
            || limitV.toDouble() > WsProtocol::kHistoryMaxLimit) {
            return invalid(
                QStringLiteral("invalid chat.history params: limit must be an integer from 1 to %1")
                    .arg(WsProtocol::kHistoryMaxLimit));
        }
        out->limit = int(limitV.toDouble());
    }
    WsRunPlan route;
    if (auto error = resolveRoute({}, keyV.toString(), config, caller, &route))
        return error;
    out->sessionKey = route.sessionKey;
    out->agentId = route.agentId;
    return std::nullopt;
}

QJsonObject WsMethods::chatHistory(const WsHistoryQuery &query, const QList<ChatTurn> &turns)
{
    QJsonArray messages;
    for (const ChatTurn &t : turns) {
        messages.append(
            QJsonObject {{QStringLiteral("role"), t.role},
                         {QStringLiteral("content"),
                          QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                                   {QStringLiteral("text"), t.content}}}}});
    }
    return {{QStringLiteral("sessionKey"), query.sessionKey},
            {QStringLiteral("agentId"), query.agentId},
            {QStringLiteral("messages"), messages}};
}

} // namespace passerelle
