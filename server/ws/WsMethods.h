#pragma once

// The bodies of the WebSocket protocol's methods (SPEC.md section 8), without sockets: validates
// `connect`, `agent`, `chat.send`, `chat.abort`, `sessions.list` and `chat.history` params into
// plain values, and builds the payloads of hello-ok, health, status, agents.list, sessions.list and
// chat.history in the shapes openclaw-node 0.14 reads, from what the caller fetched from the store.
// Agent and session resolution are the HTTP path's (AgentResolver, SessionKey), so both transports
// route runs alike. Pure functions, any thread.

#include "auth/Authenticator.h"
#include "config/GatewayConfig.h"
#include "store/SessionStore.h"
#include "ws/WsProtocol.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace passerelle {

struct WsConnectParams
{
    int minProtocol = 0;
    int maxProtocol = 0;
    QString clientId; // client.id, for logs
    QString clientVersion;
    QString clientMode;
    QByteArray secret; // auth.token, else auth.password; empty when none was given
    bool secretIsPassword = false;
};

// What an `agent` or `chat.send` request asks for, resolved against the config.
struct WsRunPlan
{
    enum class Kind { Agent, Chat };
    Kind kind = Kind::Agent;
    QString runId; // the client's idempotencyKey, else a fresh uuid
    QString agentId;
    QString sessionKey;
    QString prompt; // built as the HTTP path builds a single user message
    QString extraSystemPrompt; // `agent` params.extraSystemPrompt
    QString model; // params.model when given (request log only)
};

struct WsAbortTarget
{
    QString sessionKey; // matches a run's session key, or its run id (openclaw-node aborts a chat
                        // without a session by passing the run id as sessionKey)
    QString runId; // optional: only this run
};

// What a `sessions.list` request asks for.
struct WsSessionsQuery
{
    int limit = 200; // rows answered
    QString agentFilter; // params.agentId, lower-cased; empty: every agent
    int fetchLimit = 200; // rows to ask the store for (more when filtering, so a page is full)
};

// What a `chat.history` request asks for, routed as a run would be.
struct WsHistoryQuery
{
    QString sessionKey;
    QString agentId;
    int limit = WsProtocol::kHistoryDefaultLimit;
};

// Everything a status/health answer reports about the live gateway.
struct WsGatewayFacts
{
    qint64 uptimeMs = 0;
    int connections = 0;
    int activeRuns = 0;
};

class WsMethods
{
public:
    static QStringList methods(); // hello-ok features.methods
    static QStringList events(); // hello-ok features.events
    static QString mainSessionKey(const QString &agentId); // "agent:<id>:main"

    static std::optional<WsError> parseConnect(const QJsonObject &params, WsConnectParams *out);
    static std::optional<WsError> planAgent(const QJsonObject &params, const GatewayConfig &config,
                                            const AuthResult &caller, WsRunPlan *out);
    static std::optional<WsError> planChatSend(const QJsonObject &params,
                                               const GatewayConfig &config,
                                               const AuthResult &caller, WsRunPlan *out);
    static std::optional<WsError> parseAbort(const QJsonObject &params, WsAbortTarget *out);

    // The sessions hello-ok, health and status list as recent (before the caller's filter).
    static constexpr int kRecentSessions = 10;
    // `recent`: the store's answer to sessions(kRecentSessions); not ok: sessions unavailable.
    static QJsonObject helloOk(int protocol, const QString &connId, int tickIntervalMs,
                               const GatewayConfig &config,
                               const StoreResult<QList<SessionInfo>> &recent,
                               const WsGatewayFacts &facts, const AuthResult &caller);
    static QJsonObject health(const GatewayConfig &config,
                              const StoreResult<QList<SessionInfo>> &recent,
                              const AuthResult &caller);
    static QJsonObject status(const GatewayConfig &config,
                              const StoreResult<QList<SessionInfo>> &recent,
                              const WsGatewayFacts &facts, const AuthResult &caller);
    static QJsonObject agentsList(const GatewayConfig &config, const AuthResult &caller);
    static std::optional<WsError> parseSessionsList(const QJsonObject &params,
                                                    const AuthResult &caller, WsSessionsQuery *out);
    // `sessions`: the store's answer to sessions(query.fetchLimit).
    static QJsonObject sessionsList(const WsSessionsQuery &query, const GatewayConfig &config,
                                    const QList<SessionInfo> &sessions, const AuthResult &caller);
    static std::optional<WsError> parseChatHistory(const QJsonObject &params,
                                                   const GatewayConfig &config,
                                                   const AuthResult &caller, WsHistoryQuery *out);
    // `turns`: the store's answer to history(query.sessionKey, query.limit).
    static QJsonObject chatHistory(const WsHistoryQuery &query, const QList<ChatTurn> &turns);

    static WsError invalid(const QString &message); // INVALID_REQUEST
};

} // namespace passerelle
