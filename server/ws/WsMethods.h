#pragma once

// The bodies of the WebSocket protocol's methods (SPEC.md section 8), without sockets: validates
// `connect`, `agent`, `chat.send` and `chat.abort` params into plain values, and builds the
// payloads of hello-ok, health, status, agents.list, sessions.list and chat.history in the shapes
// openclaw-node 0.14 reads. Agent and session resolution are the HTTP path's (AgentResolver,
// SessionKey), so both transports route runs alike. Pure functions, any thread.

#include "auth/Authenticator.h"
#include "config/GatewayConfig.h"
#include "ws/WsProtocol.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace passerelle {

class SessionStore;

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
    static QString authModeName(AuthMode mode);

    static std::optional<WsError> parseConnect(const QJsonObject &params, WsConnectParams *out);
    static std::optional<WsError> planAgent(const QJsonObject &params, const GatewayConfig &config,
                                            const AuthResult &caller, WsRunPlan *out);
    static std::optional<WsError> planChatSend(const QJsonObject &params,
                                               const GatewayConfig &config,
                                               const AuthResult &caller, WsRunPlan *out);
    static std::optional<WsError> parseAbort(const QJsonObject &params, WsAbortTarget *out);

    static QJsonObject helloOk(int protocol, const QString &connId, int tickIntervalMs,
                               const GatewayConfig &config, const SessionStore *store,
                               const WsGatewayFacts &facts, const AuthResult &caller);
    static QJsonObject health(const GatewayConfig &config, const SessionStore *store,
                              const AuthResult &caller);
    static QJsonObject status(const GatewayConfig &config, const SessionStore *store,
                              const WsGatewayFacts &facts, const AuthResult &caller);
    static QJsonObject agentsList(const GatewayConfig &config, const AuthResult &caller);
    static std::optional<WsError> sessionsList(const QJsonObject &params,
                                               const GatewayConfig &config,
                                               const SessionStore *store, const AuthResult &caller,
                                               QJsonObject *out);
    static std::optional<WsError> chatHistory(const QJsonObject &params,
                                              const GatewayConfig &config,
                                              const SessionStore *store, const AuthResult &caller,
                                              QJsonObject *out);

    static WsError invalid(const QString &message); // INVALID_REQUEST
};

} // namespace passerelle
