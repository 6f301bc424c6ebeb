#pragma once

// The typed configuration of the gateway (SPEC.md section 2): one value type holding every key,
// built from the JSON5 document and written back into it (unknown keys survive). Keys, defaults
// and bounds are declared in one table (config/ConfigKeys.cpp, providers/ProviderRegistry.cpp);
// the constructors below take their defaults from it. A plain value: the server thread and the
// panel each hold their own snapshot.

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

// gateway.auth.rateLimit
struct RateLimitConfig
{
    RateLimitConfig(); // the table's defaults
    RateLimitConfig(int maxAttempts, qint64 windowMs, qint64 lockoutMs, bool exemptLoopback);

    int maxAttempts {};
    qint64 windowMs {};
    qint64 lockoutMs {};
    bool exemptLoopback {};

    bool operator==(const RateLimitConfig &o) const;
};

// passerelle.store: where sessions, stored responses and usage live. SQLite: a file of this
// gateway's own. PostgreSQL: a server several gateways share (with the failed-auth limiter state);
// its password comes from the environment variable `passwordEnv` names, never from the file.
enum class StoreKind { Sqlite, Postgres };

struct StoreConfig
{
    StoreConfig(); // the table's defaults

    StoreKind kind {};
    QString host;
    int port {};
    QString database;
    QString user;
    QString passwordEnv; // "" : no password (trust, peer or .pgpass)
    QString sslmode; // libpq's sslmode
    int poolSize {}; // connections (each on a thread of the store's)

    bool operator==(const StoreConfig &o) const;
    bool operator!=(const StoreConfig &o) const { return !(*this == o); }
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

// gateway.auth (defaults set by GatewayConfig's constructor, from the table)
struct AuthConfig
{
    AuthMode mode {};
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

// models.providers.<name>: the fields of every provider type (ProviderRegistry declares which type
// reads which, with defaults and bounds).
struct ProviderConfig
{
    ProviderConfig(); // the registry's defaults, of the type an entry without `api` has

    QString name; // the key under models.providers
    QString api; // a registered provider type
    QString baseUrl;
    QString apiKey;
    QList<ProviderModel> models;
    QMap<QString, QString> headers;
    int connectTimeoutMs {};
    int timeoutMs {}; // until the first upstream event
    int idleTimeoutMs {}; // between upstream events
    int chunkDelayMs {}; // echo only
    int maxConcurrent {}; // runs at once (0: unlimited)
    int maxQueue {}; // runs waiting for a slot

    bool isEcho() const; // of the built-in echo type
    bool operator==(const ProviderConfig &o) const;
};

struct GatewayConfig
{
    GatewayConfig(); // every key at the table's default

    // gateway.*
    int port {};
    BindMode bind {};
    QString customBindHost;
    AuthConfig auth;
    bool chatCompletionsEnabled {};
    qint64 maxBodyBytes {};
    bool responsesEnabled {}; // gateway.http.endpoints.responses.enabled
    qint64 responsesMaxBodyBytes {};
    QStringList corsOrigins;

    // agents.list / models.providers (the built-in "echo" provider is always present)
    QList<AgentConfig> agents;
    QMap<QString, ProviderConfig> providers;

    // passerelle.* (this product's own keys; OpenClaw ignores them)
    int sessionHistoryMessages {}; // passerelle.sessions.historyMessages: transcript sent upstream
    int responsesMaxStored {}; // passerelle.responses.maxStored: stored responses kept (oldest go)
    bool messagesEnabled {}; // passerelle.http.endpoints.messages.enabled (/v1/messages)
    qint64 messagesMaxBodyBytes {}; // passerelle.http.endpoints.messages.maxBodyBytes
    // passerelle.modelAliases: model-name globs (`*`: any run of characters) to agent ids
    QMap<QString, QString> modelAliases;
    StoreConfig store; // passerelle.store: read when the gateway starts
    int keepAliveMs {}; // passerelle.http.keepAliveMs: SSE comment while silent
    // passerelle.http.*: what bad and slow clients get (SPEC.md section 14)
    int headerTimeoutMs {}; // a request head complete within this of its first byte, else 408
    int idleTimeoutMs {}; // between body bytes, for an idle keep-alive, for a client not reading
    int maxConnections {}; // 0: the raised descriptor limit minus 256
    int maxConnectionsPerAddress {}; // loopback exempt while the limiter exempts it
    qint64 maxBufferedBytes {}; // unsent bytes of one stream before its run is paused
    qint64 maxBufferedTotalBytes {}; // of all connections, before the slowest readers are dropped
    int wsHandshakeTimeoutMs {}; // passerelle.ws.handshakeTimeoutMs
    int wsTickIntervalMs {}; // passerelle.ws.tickIntervalMs
    bool metricsEnabled {}; // passerelle.metrics.enabled: GET /metrics (off: 404)
    bool metricsPublic {}; // passerelle.metrics.public: /metrics without the credential
    QString uiLanguage; // passerelle.ui.language: "", "en" or "fr" ("" = system)
    bool startMinimized {}; // passerelle.ui.startMinimized

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
    static QString authModeName(AuthMode mode); // "token", "password" or "none"
    // "provider/model" split at the first slash (the model id may hold more); false when either
    // side is empty. `model` may be null.
    static bool splitModelRef(const QString &ref, QString *provider, QString *model);
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::GatewayConfig)
