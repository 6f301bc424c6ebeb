#pragma once

// The typed configuration of the gateway (SPEC.md section 2): one value type holding every key with
// its default, built from the JSON5 document and written back into it (unknown keys survive).
// A plain value: the server thread and the panel each hold their own snapshot.

#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace passerelle {

enum class AuthMode { Token, Password, None };
enum class BindMode { Loopback, Lan, Custom };

struct RateLimitConfig
{
    int maxAttempts = 10;
    qint64 windowMs = 60000;
    qint64 lockoutMs = 300000;
    bool exemptLoopback = true;

    bool operator==(const RateLimitConfig &o) const;
};

// An extra named token (gateway.auth.tokens[]). Only the SHA-256 of the secret is stored.
struct NamedToken
{
    QString name;
    QByteArray sha256Hex; // lowercase hex of the token's UTF-8 bytes
    QStringList agents; // empty: every agent
    QDateTime createdAt; // UTC

    bool operator==(const NamedToken &o) const;
};

struct AuthConfig
{
    AuthMode mode = AuthMode::Token;
    bool modeExplicit = false; // gateway.auth.mode present in the file
    QString token; // effective (file, else OPENCLAW_GATEWAY_TOKEN)
    QString password; // effective (file, else OPENCLAW_GATEWAY_PASSWORD)
    QList<NamedToken> tokens;
    RateLimitConfig rateLimit;
};

// agents.list[]
struct AgentConfig
{
    QString id; // lower-case, [a-z0-9][a-z0-9_-]{0,63}
    QString name;
    bool isDefault = false;
    QString primary; // "provider/model"
    QStringList fallbacks; // "provider/model", tried in order
    QString systemPrompt;

    QStringList modelChain() const { return QStringList {primary} + fallbacks; }
    bool operator==(const AgentConfig &o) const;
};

struct ProviderModel
{
    QString id;
    QString name;
    bool operator==(const ProviderModel &o) const { return id == o.id && name == o.name; }
};

// models.providers.<name>
struct ProviderConfig
{
    QString name; // the key under models.providers
    QString api = QStringLiteral("openai-completions"); // or "echo"
    QString baseUrl;
    QString apiKey;
    QList<ProviderModel> models;
    QMap<QString, QString> headers;
    int connectTimeoutMs = 10000;
    int timeoutMs = 120000; // until the first upstream event
    int idleTimeoutMs = 60000; // between upstream events
    int chunkDelayMs = 0; // echo only
    int maxConcurrent = 0; // admission: runs at once (0: unlimited)
    int maxQueue = 64; // admission: runs waiting

    bool isEcho() const { return api == QLatin1String("echo"); }
    bool operator==(const ProviderConfig &o) const;
};

struct GatewayConfig
{
    // gateway.*
    int port = 18789;
    BindMode bind = BindMode::Loopback;
    QString customBindHost;
    AuthConfig auth;
    bool chatCompletionsEnabled = false;
    qint64 maxBodyBytes = 20971520;
    QStringList corsOrigins;

    // agents.list / models.providers (the built-in "echo" provider is always present)
    QList<AgentConfig> agents;
    QMap<QString, ProviderConfig> providers;

    // passerelle.* (this product's own keys; OpenClaw ignores them)
    int sessionHistoryMessages
        = 40; // passerelle.sessions.historyMessages: transcript sent upstream
    int keepAliveMs = 15000; // passerelle.http.keepAliveMs: SSE comment while silent
    QString uiLanguage; // passerelle.ui.language: "", "en" or "fr" ("" = system)
    bool startMinimized = false; // passerelle.ui.startMinimized
    int wsHandshakeTimeoutMs = 10000; // passerelle.ws.handshakeTimeoutMs
    int wsTickIntervalMs = 15000; // passerelle.ws.tickIntervalMs

    // The JSON document this config was read from; toJson() writes into a copy of it so unknown
    // keys and the user's layout of known objects survive a save.
    QJsonObject document;

    // Builds a config from a parsed document; every missing key takes its default. Type errors in
    // known keys are appended to errors as "<key path>: <problem>" and the key keeps its default.
    static GatewayConfig fromJson(const QJsonObject &doc, QStringList *errors = nullptr);
    // The document with every known key written back (defaults included only where the file had
    // the key or the value differs from the default).
    QJsonObject toJson() const;
    // The configuration a first run writes: a random token and the endpoint enabled.
    static GatewayConfig firstRun();

    // Semantic checks of SPEC section 2 "Rules" and section 6 (ids, default agent, providers).
    // Empty when the gateway can start; otherwise one message naming the key to set.
    QString startupError() const;

    const AgentConfig *defaultAgent() const;
    const AgentConfig *findAgent(const QString &id) const; // id already lower-cased
    const ProviderConfig *findProvider(const QString &name) const;
    QHostAddress bindAddress() const;
    bool isLoopbackBind() const;

    static QString generateToken(); // 48 hex chars from a CSPRNG
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::GatewayConfig)
