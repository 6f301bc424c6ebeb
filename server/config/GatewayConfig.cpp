#include "config/GatewayConfig.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

#include <limits>

namespace passerelle {

bool RateLimitConfig::operator==(const RateLimitConfig &o) const
{
    return maxAttempts == o.maxAttempts && windowMs == o.windowMs && lockoutMs == o.lockoutMs
        && exemptLoopback == o.exemptLoopback;
}

bool NamedToken::operator==(const NamedToken &o) const
{
    return name == o.name && sha256Hex == o.sha256Hex && agents == o.agents
        && createdAt == o.createdAt;
}

bool AgentConfig::operator==(const AgentConfig &o) const
{
    return id == o.id && name == o.name && isDefault == o.isDefault && primary == o.primary
        && fallbacks == o.fallbacks && systemPrompt == o.systemPrompt;
}

bool ProviderConfig::operator==(const ProviderConfig &o) const
{
    return name == o.name && api == o.api && baseUrl == o.baseUrl && apiKey == o.apiKey
        && models == o.models && headers == o.headers && connectTimeoutMs == o.connectTimeoutMs
        && timeoutMs == o.timeoutMs && idleTimeoutMs == o.idleTimeoutMs
        && chunkDelayMs == o.chunkDelayMs;
}

const AgentConfig *GatewayConfig::defaultAgent() const
{
    for (const AgentConfig &a : agents) {
        if (a.isDefault)
            return &a;
    }
    return agents.isEmpty() ? nullptr : &agents.first();
}

const AgentConfig *GatewayConfig::findAgent(const QString &id) const
{
    for (const AgentConfig &a : agents) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

const ProviderConfig *GatewayConfig::findProvider(const QString &name) const
{
    const auto it = providers.constFind(name);
    return it == providers.cend() ? nullptr : &it.value();
}

QHostAddress GatewayConfig::bindAddress() const
{
    switch (bind) {
    case BindMode::Loopback:
        return QHostAddress(QHostAddress::LocalHost);
    case BindMode::Lan:
        return QHostAddress(QHostAddress::AnyIPv4);
    case BindMode::Custom:
        return QHostAddress(customBindHost);
    }
    return QHostAddress(QHostAddress::LocalHost);
}

bool GatewayConfig::isLoopbackBind() const
{
    return bind == BindMode::Loopback
        || (bind == BindMode::Custom && QHostAddress(customBindHost).isLoopback());
}

QString GatewayConfig::generateToken()
{
    quint32 words[6];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

namespace {

const QString &echoName()
{
    static const QString name = QStringLiteral("echo");
    return name;
}

const QString &apiEcho()
{
    static const QString api = QStringLiteral("echo");
    return api;
}

const QString &apiOpenAi()
{
    static const QString api = QStringLiteral("openai-completions");
    return api;
}

QString indexPath(const QString &path, qsizetype i)
{
    return path + u'[' + QString::number(i) + u']';
}

// A model reference: agents.list[].model, or agents.defaults.model for agents that name none.
struct ModelRef
{
    QString primary = QStringLiteral("echo/echo");
    QStringList fallbacks;
};

// Reads typed values out of one JSON object, reporting "<key path>: expected <type>" for values
// of the wrong type (the caller's default then stays).
class Node
{
public:
    Node(const QJsonObject &object, const QString &path, QStringList *errors)
        : m_object(object), m_path(path), m_errors(errors)
    {
    }

    const QJsonObject &object() const { return m_object; }
    const QString &path() const { return m_path; }
    QString pathOf(const QString &key) const
    {
        return m_path.isEmpty() ? key : m_path + u'.' + key;
    }
    bool has(QLatin1String key) const { return m_object.contains(key); }
    QJsonValue value(QLatin1String key) const { return m_object.value(key); }

    void error(const QString &path, const QString &problem) const
    {
        if (m_errors)
            m_errors->append(path + QStringLiteral(": ") + problem);
    }
    void expected(const QString &key, const QString &type) const
    {
        error(pathOf(key), QStringLiteral("expected ") + type);
    }

    // A nested object; missing or of the wrong type (reported): an empty one.
    Node child(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        if (!v.isUndefined() && !v.isObject())
            expected(key, QStringLiteral("an object"));
        return Node(v.toObject(), pathOf(key), m_errors);
    }
    Node child(QLatin1String key) const { return child(QString(key)); }

    void read(QLatin1String key, bool *out) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isBool())
            *out = v.toBool();
        else if (!v.isUndefined())
            expected(key, QStringLiteral("a boolean"));
    }

    void read(QLatin1String key, QString *out) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isString())
            *out = v.toString();
        else if (!v.isUndefined())
            expected(key, QStringLiteral("a string"));
    }

    // Integers within [min, max]; `type` names the accepted range in the message.
    template<typename T>
    void readInt(QLatin1String key, T *out, qint64 min, qint64 max, const QString &type) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return;
        constexpr qint64 notInteger = std::numeric_limits<qint64>::min();
        const qint64 i = v.isDouble() ? v.toInteger(notInteger) : notInteger;
        if (i == notInteger || i < min || i > max) {
            expected(key, type);
            return;
        }
        *out = T(i);
    }

    void readPositive(QLatin1String key, int *out) const
    {
        readInt(key, out, 1, std::numeric_limits<int>::max(), QStringLiteral("a positive integer"));
    }
    void readPositive(QLatin1String key, qint64 *out) const
    {
        readInt(key, out, 1, std::numeric_limits<qint64>::max(),
                QStringLiteral("a positive integer"));
    }
    void readNonNegative(QLatin1String key, int *out) const
    {
        readInt(key, out, 0, std::numeric_limits<int>::max(),
                QStringLiteral("a non-negative integer"));
    }
    void readNonNegative(QLatin1String key, qint64 *out) const
    {
        readInt(key, out, 0, std::numeric_limits<qint64>::max(),
                QStringLiteral("a non-negative integer"));
    }

    // An array of strings; any element of another type makes the whole key keep its default.
    void read(QLatin1String key, QStringList *out) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return;
        if (!v.isArray()) {
            expected(key, QStringLiteral("an array"));
            return;
        }
        const QJsonArray array = v.toArray();
        QStringList list;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString()) {
                error(indexPath(pathOf(key), i), QStringLiteral("expected a string"));
                return;
            }
            list.append(array.at(i).toString());
        }
        *out = list;
    }

    // An array of objects, each handed to `each` as a Node with its "<key>[i]" path.
    template<typename F> void forEachObject(QLatin1String key, F each) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return;
        if (!v.isArray()) {
            expected(key, QStringLiteral("an array"));
            return;
        }
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = indexPath(pathOf(key), i);
            if (!array.at(i).isObject()) {
                error(path, QStringLiteral("expected an object"));
                continue;
            }
            each(Node(array.at(i).toObject(), path, m_errors));
        }
    }

    // model: "provider/model" or {primary, fallbacks: []}
    bool readModel(QLatin1String key, ModelRef *out) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return false;
        if (v.isString()) {
            *out = ModelRef {v.toString(), {}};
            return true;
        }
        if (!v.isObject()) {
            expected(key, QStringLiteral("a string or an object"));
            return false;
        }
        const Node model = child(key);
        ModelRef ref;
        ref.primary.clear();
        model.read(QLatin1String("primary"), &ref.primary);
        model.read(QLatin1String("fallbacks"), &ref.fallbacks);
        *out = ref;
        return true;
    }

private:
    QJsonObject m_object;
    QString m_path;
    QStringList *m_errors = nullptr;
};

// agents.defaults.model (OpenClaw's model for agents that name none), else echo/echo.
ModelRef defaultModelOf(const Node &agents)
{
    ModelRef ref;
    agents.child(QLatin1String("defaults")).readModel(QLatin1String("model"), &ref);
    return ref;
}

ModelRef defaultModelOf(const QJsonObject &doc)
{
    return defaultModelOf(Node(doc, QString(), nullptr).child(QLatin1String("agents")));
}

QList<AgentConfig> implicitAgents(const ModelRef &model)
{
    AgentConfig main;
    main.id = QStringLiteral("main");
    main.name = QStringLiteral("Main");
    main.isDefault = true;
    main.primary = model.primary;
    main.fallbacks = model.fallbacks;
    return {main};
}

ProviderConfig builtinEcho()
{
    ProviderConfig echo;
    echo.name = echoName();
    echo.api = apiEcho();
    return echo;
}

// The defaults a provider entry is compared with when written back.
ProviderConfig providerDefaults(const QString &name)
{
    ProviderConfig d;
    d.name = name;
    if (name == echoName())
        d.api = apiEcho();
    return d;
}

QString authModeName(AuthMode mode)
{
    switch (mode) {
    case AuthMode::Token:
        return QStringLiteral("token");
    case AuthMode::Password:
        return QStringLiteral("password");
    case AuthMode::None:
        return QStringLiteral("none");
    }
    return QStringLiteral("token");
}

QString bindModeName(BindMode mode)
{
    switch (mode) {
    case BindMode::Loopback:
        return QStringLiteral("loopback");
    case BindMode::Lan:
        return QStringLiteral("lan");
    case BindMode::Custom:
        return QStringLiteral("custom");
    }
    return QStringLiteral("loopback");
}

QDateTime parseIsoDate(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

bool isLowerHex(const QString &s, qsizetype length)
{
    if (s.size() != length)
        return false;
    for (const QChar c : s) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

// ---- writing back ----

// Sets obj[key] = v unless obj already holds an equal value, or lacks the key and v is the default.
bool put(QJsonObject &obj, const QString &key, const QJsonValue &v, bool isDefault)
{
    const auto it = obj.constFind(key);
    if (it == obj.constEnd() ? isDefault : it.value() == v)
        return false;
    obj.insert(key, v);
    return true;
}

bool put(QJsonObject &obj, QLatin1String key, const QJsonValue &v, bool isDefault)
{
    return put(obj, QString(key), v, isDefault);
}

bool putAt(QJsonObject &obj, const QStringList &path, qsizetype i, const QJsonValue &v,
           bool isDefault)
{
    if (i == path.size() - 1)
        return put(obj, path.at(i), v, isDefault);
    const QJsonValue child = obj.value(path.at(i));
    if (!child.isObject() && isDefault)
        return false; // nothing to say under a missing (or foreign) parent
    QJsonObject sub = child.toObject();
    if (!putAt(sub, path, i + 1, v, isDefault))
        return false;
    obj.insert(path.at(i), sub);
    return true;
}

// put() at a dotted path such as "gateway.auth.rateLimit.maxAttempts", creating parents on demand.
void putPath(QJsonObject &root, QLatin1String dotted, const QJsonValue &v, bool isDefault)
{
    putAt(root, QString(dotted).split(u'.'), 0, v, isDefault);
}

void removeAt(QJsonObject &obj, const QStringList &path, qsizetype i)
{
    if (!obj.contains(path.at(i)))
        return;
    if (i == path.size() - 1) {
        obj.remove(path.at(i));
        return;
    }
    const QJsonValue child = obj.value(path.at(i));
    if (!child.isObject())
        return;
    QJsonObject sub = child.toObject();
    removeAt(sub, path, i + 1);
    obj.insert(path.at(i), sub);
}

QJsonValue valueAt(const QJsonObject &root, QLatin1String dotted)
{
    const QStringList parts = QString(dotted).split(u'.');
    QJsonValue v = root;
    for (const QString &part : parts) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(part);
    }
    return v;
}

// Writes an agent's model, keeping the entry's form (string or object) when it can.
void writeModel(QJsonObject &entry, const AgentConfig &agent, const ModelRef &defaultModel)
{
    const QLatin1String key("model");
    const QJsonValue existing = entry.value(key);
    ModelRef current;
    const bool present = Node(entry, QString(), nullptr).readModel(key, &current);
    if (present && current.primary == agent.primary && current.fallbacks == agent.fallbacks)
        return;
    if (!entry.contains(key) && agent.primary == defaultModel.primary
        && agent.fallbacks == defaultModel.fallbacks)
        return;
    if (agent.fallbacks.isEmpty() && !existing.isObject()) {
        entry.insert(key, agent.primary);
        return;
    }
    QJsonObject model = existing.toObject();
    model.insert(QLatin1String("primary"), agent.primary);
    put(model, QLatin1String("fallbacks"), QJsonArray::fromStringList(agent.fallbacks),
        agent.fallbacks.isEmpty());
    entry.insert(key, model);
}

QJsonObject writeProvider(QJsonObject e, const ProviderConfig &p)
{
    const ProviderConfig d = providerDefaults(p.name);
    put(e, QLatin1String("api"), p.api, p.api == d.api);
    put(e, QLatin1String("baseUrl"), p.baseUrl, p.baseUrl.isEmpty());
    put(e, QLatin1String("apiKey"), p.apiKey, p.apiKey.isEmpty());

    // model entries carry more than id and name in OpenClaw (contextWindow, cost...): keep them
    const QJsonArray oldModels = e.value(QLatin1String("models")).toArray();
    QJsonArray models;
    for (const ProviderModel &m : p.models) {
        QJsonObject me;
        for (const auto &old : oldModels) {
            if (old.toObject().value(QLatin1String("id")).toString() == m.id) {
                me = old.toObject();
                break;
            }
        }
        me.insert(QLatin1String("id"), m.id);
        put(me, QLatin1String("name"), m.name, m.name.isEmpty());
        models.append(me);
    }
    put(e, QLatin1String("models"), models, p.models.isEmpty());

    QJsonObject headers;
    for (auto it = p.headers.cbegin(); it != p.headers.cend(); ++it)
        headers.insert(it.key(), it.value());
    put(e, QLatin1String("headers"), headers, p.headers.isEmpty());

    put(e, QLatin1String("connectTimeoutMs"), p.connectTimeoutMs,
        p.connectTimeoutMs == d.connectTimeoutMs);
    put(e, QLatin1String("timeoutMs"), p.timeoutMs, p.timeoutMs == d.timeoutMs);
    put(e, QLatin1String("idleTimeoutMs"), p.idleTimeoutMs, p.idleTimeoutMs == d.idleTimeoutMs);
    put(e, QLatin1String("chunkDelayMs"), p.chunkDelayMs, p.chunkDelayMs == d.chunkDelayMs);
    return e;
}

// "provider/model" split at the first slash; false when either side is empty.
bool splitModelRef(const QString &ref, QString *provider)
{
    const qsizetype slash = ref.indexOf(u'/');
    if (slash <= 0 || slash == ref.size() - 1)
        return false;
    *provider = ref.left(slash);
    return true;
}

} // namespace

GatewayConfig GatewayConfig::fromJson(const QJsonObject &doc, QStringList *errors)
{
    GatewayConfig c;
    c.document = doc;
    const Node root(doc, QString(), errors);

    // gateway.*
    const Node gateway = root.child(QLatin1String("gateway"));
    gateway.readInt(QLatin1String("port"), &c.port, std::numeric_limits<int>::min(),
                    std::numeric_limits<int>::max(), QStringLiteral("an integer"));
    if (gateway.has(QLatin1String("bind"))) {
        const QJsonValue v = gateway.value(QLatin1String("bind"));
        const QString s = v.toString();
        if (s == QLatin1String("loopback"))
            c.bind = BindMode::Loopback;
        else if (s == QLatin1String("lan"))
            c.bind = BindMode::Lan;
        else if (s == QLatin1String("custom"))
            c.bind = BindMode::Custom;
        else
            gateway.expected(QStringLiteral("bind"),
                             QStringLiteral("\"loopback\", \"lan\" or \"custom\""));
    }
    gateway.read(QLatin1String("customBindHost"), &c.customBindHost);

    const Node auth = gateway.child(QLatin1String("auth"));
    if (auth.has(QLatin1String("mode"))) {
        const QString s = auth.value(QLatin1String("mode")).toString();
        c.auth.modeExplicit = true;
        if (s == QLatin1String("token")) {
            c.auth.mode = AuthMode::Token;
        } else if (s == QLatin1String("password")) {
            c.auth.mode = AuthMode::Password;
        } else if (s == QLatin1String("none")) {
            c.auth.mode = AuthMode::None;
        } else {
            c.auth.modeExplicit = false;
            auth.expected(QStringLiteral("mode"),
                          QStringLiteral("\"token\", \"password\" or \"none\""));
        }
    }
    auth.read(QLatin1String("token"), &c.auth.token);
    auth.read(QLatin1String("password"), &c.auth.password);
    if (!c.auth.modeExplicit)
        c.auth.mode = c.auth.password.isEmpty() ? AuthMode::Token : AuthMode::Password;

    auth.forEachObject(QLatin1String("tokens"), [&c](const Node &t) {
        NamedToken token;
        t.read(QLatin1String("name"), &token.name);
        const QJsonValue hash = t.value(QLatin1String("sha256"));
        const QString hex = hash.toString().toLower();
        if (!isLowerHex(hex, 64)) {
            t.expected(QStringLiteral("sha256"), QStringLiteral("64 hex characters"));
            return; // a token without a usable hash can never match: leave it out
        }
        token.sha256Hex = hex.toLatin1();
        QStringList agents;
        t.read(QLatin1String("agents"), &agents);
        for (const QString &a : std::as_const(agents))
            token.agents.append(a.toLower());
        if (t.has(QLatin1String("createdAt"))) {
            token.createdAt = parseIsoDate(t.value(QLatin1String("createdAt")));
            if (!token.createdAt.isValid())
                t.expected(QStringLiteral("createdAt"), QStringLiteral("an ISO-8601 date"));
        }
        c.auth.tokens.append(token);
    });

    const Node rateLimit = auth.child(QLatin1String("rateLimit"));
    rateLimit.readPositive(QLatin1String("maxAttempts"), &c.auth.rateLimit.maxAttempts);
    rateLimit.readPositive(QLatin1String("windowMs"), &c.auth.rateLimit.windowMs);
    rateLimit.readNonNegative(QLatin1String("lockoutMs"), &c.auth.rateLimit.lockoutMs);
    rateLimit.read(QLatin1String("exemptLoopback"), &c.auth.rateLimit.exemptLoopback);

    const Node http = gateway.child(QLatin1String("http"));
    const Node chat
        = http.child(QLatin1String("endpoints")).child(QLatin1String("chatCompletions"));
    chat.read(QLatin1String("enabled"), &c.chatCompletionsEnabled);
    chat.readPositive(QLatin1String("maxBodyBytes"), &c.maxBodyBytes);
    http.child(QLatin1String("cors")).read(QLatin1String("allowedOrigins"), &c.corsOrigins);

    // agents.list[]
    const Node agents = root.child(QLatin1String("agents"));
    const ModelRef defaultModel = defaultModelOf(agents);
    agents.forEachObject(QLatin1String("list"), [&c, &defaultModel](const Node &a) {
        AgentConfig agent;
        if (!a.value(QLatin1String("id")).isString()) {
            a.expected(QStringLiteral("id"), QStringLiteral("a string"));
            return;
        }
        agent.id = a.value(QLatin1String("id")).toString().toLower();
        a.read(QLatin1String("name"), &agent.name);
        a.read(QLatin1String("default"), &agent.isDefault);
        ModelRef model = defaultModel;
        a.readModel(QLatin1String("model"), &model);
        agent.primary = model.primary;
        agent.fallbacks = model.fallbacks;
        a.read(QLatin1String("systemPrompt"), &agent.systemPrompt);
        c.agents.append(agent);
    });
    if (c.agents.isEmpty())
        c.agents = implicitAgents(defaultModel);

    // models.providers.<name>
    const Node providers = root.child(QLatin1String("models")).child(QLatin1String("providers"));
    for (auto it = providers.object().constBegin(); it != providers.object().constEnd(); ++it) {
        const QString &name = it.key();
        if (!it.value().isObject()) {
            providers.expected(name, QStringLiteral("an object"));
            continue;
        }
        const Node p = providers.child(name);
        ProviderConfig provider = providerDefaults(name);
        if (p.has(QLatin1String("api")) && name != echoName()) {
            const QString api = p.value(QLatin1String("api")).toString();
            if (api == apiOpenAi() || api == apiEcho())
                provider.api = api;
            else
                p.expected(QStringLiteral("api"),
                           QStringLiteral("\"openai-completions\" or \"echo\""));
        }
        p.read(QLatin1String("baseUrl"), &provider.baseUrl);
        p.read(QLatin1String("apiKey"), &provider.apiKey);
        p.forEachObject(QLatin1String("models"), [&provider](const Node &m) {
            ProviderModel model;
            if (!m.value(QLatin1String("id")).isString()) {
                m.expected(QStringLiteral("id"), QStringLiteral("a string"));
                return;
            }
            model.id = m.value(QLatin1String("id")).toString();
            m.read(QLatin1String("name"), &model.name);
            provider.models.append(model);
        });
        const Node headers = p.child(QLatin1String("headers"));
        for (auto h = headers.object().constBegin(); h != headers.object().constEnd(); ++h) {
            if (h.value().isString())
                provider.headers.insert(h.key(), h.value().toString());
            else
                headers.expected(h.key(), QStringLiteral("a string"));
        }
        p.readPositive(QLatin1String("connectTimeoutMs"), &provider.connectTimeoutMs);
        p.readPositive(QLatin1String("timeoutMs"), &provider.timeoutMs);
        p.readPositive(QLatin1String("idleTimeoutMs"), &provider.idleTimeoutMs);
        p.readNonNegative(QLatin1String("chunkDelayMs"), &provider.chunkDelayMs);
        c.providers.insert(name, provider);
    }
    if (!c.providers.contains(echoName()))
        c.providers.insert(echoName(), builtinEcho());

    // passerelle.*
    const Node own = root.child(QLatin1String("passerelle"));
    own.child(QLatin1String("sessions"))
        .readNonNegative(QLatin1String("historyMessages"), &c.sessionHistoryMessages);
    own.child(QLatin1String("http")).readPositive(QLatin1String("keepAliveMs"), &c.keepAliveMs);
    const Node ui = own.child(QLatin1String("ui"));
    ui.read(QLatin1String("language"), &c.uiLanguage);
    ui.read(QLatin1String("startMinimized"), &c.startMinimized);
    return c;
}

QJsonObject GatewayConfig::toJson() const
{
    const GatewayConfig d; // the struct's initialisers are the table of defaults
    QJsonObject root = document;

    putPath(root, QLatin1String("gateway.port"), port, port == d.port);
    putPath(root, QLatin1String("gateway.bind"), bindModeName(bind), bind == d.bind);
    putPath(root, QLatin1String("gateway.customBindHost"), customBindHost,
            customBindHost.isEmpty());

    if (auth.modeExplicit) {
        putPath(root, QLatin1String("gateway.auth.mode"), authModeName(auth.mode), false);
    } else {
        removeAt(root, QString(QLatin1String("gateway.auth.mode")).split(u'.'), 0);
    }
    putPath(root, QLatin1String("gateway.auth.token"), auth.token, auth.token.isEmpty());
    putPath(root, QLatin1String("gateway.auth.password"), auth.password, auth.password.isEmpty());

    const QJsonArray oldTokens = valueAt(document, QLatin1String("gateway.auth.tokens")).toArray();
    QJsonArray tokens;
    for (const NamedToken &t : auth.tokens) {
        QJsonObject e;
        for (const auto &old : oldTokens) {
            if (old.toObject().value(QLatin1String("sha256")).toString().toLower()
                == QString::fromLatin1(t.sha256Hex)) {
                e = old.toObject();
                break;
            }
        }
        put(e, QLatin1String("name"), t.name, false);
        put(e, QLatin1String("sha256"), QString::fromLatin1(t.sha256Hex), false);
        put(e, QLatin1String("agents"), QJsonArray::fromStringList(t.agents), t.agents.isEmpty());
        if (t.createdAt.isValid()
            && parseIsoDate(e.value(QLatin1String("createdAt"))) != t.createdAt.toUTC())
            e.insert(QLatin1String("createdAt"), t.createdAt.toUTC().toString(Qt::ISODateWithMs));
        tokens.append(e);
    }
    putPath(root, QLatin1String("gateway.auth.tokens"), tokens, auth.tokens.isEmpty());

    const RateLimitConfig &rl = auth.rateLimit;
    const RateLimitConfig &drl = d.auth.rateLimit;
    putPath(root, QLatin1String("gateway.auth.rateLimit.maxAttempts"), rl.maxAttempts,
            rl.maxAttempts == drl.maxAttempts);
    putPath(root, QLatin1String("gateway.auth.rateLimit.windowMs"), rl.windowMs,
            rl.windowMs == drl.windowMs);
    putPath(root, QLatin1String("gateway.auth.rateLimit.lockoutMs"), rl.lockoutMs,
            rl.lockoutMs == drl.lockoutMs);
    putPath(root, QLatin1String("gateway.auth.rateLimit.exemptLoopback"), rl.exemptLoopback,
            rl.exemptLoopback == drl.exemptLoopback);

    putPath(root, QLatin1String("gateway.http.endpoints.chatCompletions.enabled"),
            chatCompletionsEnabled, chatCompletionsEnabled == d.chatCompletionsEnabled);
    putPath(root, QLatin1String("gateway.http.endpoints.chatCompletions.maxBodyBytes"),
            maxBodyBytes, maxBodyBytes == d.maxBodyBytes);
    putPath(root, QLatin1String("gateway.http.cors.allowedOrigins"),
            QJsonArray::fromStringList(corsOrigins), corsOrigins.isEmpty());

    // agents.list: entries matched by id keep their unknown keys (OpenClaw's workspace, tools...)
    const ModelRef defaultModel = defaultModelOf(document);
    const QJsonArray oldAgents = valueAt(document, QLatin1String("agents.list")).toArray();
    if (!(oldAgents.isEmpty() && agents == implicitAgents(defaultModel))) {
        QList<bool> used(oldAgents.size(), false);
        QJsonArray list;
        for (const AgentConfig &a : agents) {
            QJsonObject e;
            for (qsizetype j = 0; j < oldAgents.size(); ++j) {
                const QJsonObject old = oldAgents.at(j).toObject();
                if (!used.at(j) && old.value(QLatin1String("id")).toString().toLower() == a.id) {
                    used[j] = true;
                    e = old;
                    break;
                }
            }
            if (e.value(QLatin1String("id")).toString().toLower() != a.id)
                e.insert(QLatin1String("id"), a.id);
            put(e, QLatin1String("name"), a.name, a.name.isEmpty());
            put(e, QLatin1String("default"), a.isDefault, !a.isDefault);
            writeModel(e, a, defaultModel);
            put(e, QLatin1String("systemPrompt"), a.systemPrompt, a.systemPrompt.isEmpty());
            list.append(e);
        }
        putPath(root, QLatin1String("agents.list"), list, false);
    }

    // models.providers: the built-in echo is written only when the file declared it or it changed
    const QJsonObject oldProviders
        = valueAt(document, QLatin1String("models.providers")).toObject();
    QJsonObject providersOut;
    for (const ProviderConfig &p : providers) {
        const bool declared = oldProviders.contains(p.name);
        if (p.name == echoName() && !declared && p == builtinEcho())
            continue;
        providersOut.insert(p.name, writeProvider(oldProviders.value(p.name).toObject(), p));
    }
    putPath(root, QLatin1String("models.providers"), providersOut, providersOut.isEmpty());

    putPath(root, QLatin1String("passerelle.sessions.historyMessages"), sessionHistoryMessages,
            sessionHistoryMessages == d.sessionHistoryMessages);
    putPath(root, QLatin1String("passerelle.http.keepAliveMs"), keepAliveMs,
            keepAliveMs == d.keepAliveMs);
    putPath(root, QLatin1String("passerelle.ui.language"), uiLanguage, uiLanguage.isEmpty());
    putPath(root, QLatin1String("passerelle.ui.startMinimized"), startMinimized,
            startMinimized == d.startMinimized);
    return root;
}

GatewayConfig GatewayConfig::firstRun()
{
    GatewayConfig c = fromJson(QJsonObject());
    c.auth.token = generateToken();
    c.chatCompletionsEnabled = true;
    return c;
}

QString GatewayConfig::startupError() const
{
    if (port < 0 || port > 65535)
        return QStringLiteral("gateway.port must be between 0 and 65535 (got %1)").arg(port);

    if (bind == BindMode::Custom) {
        if (customBindHost.isEmpty())
            return QStringLiteral(
                "gateway.bind is \"custom\" but gateway.customBindHost is not set");
        QHostAddress address;
        if (!address.setAddress(customBindHost))
            return QStringLiteral("gateway.customBindHost \"%1\" is not an IP address")
                .arg(customBindHost);
    }

    switch (auth.mode) {
    case AuthMode::Token:
        if (auth.token.isEmpty())
            return QStringLiteral("gateway.auth.mode is \"token\" but no token is set: set "
                                  "gateway.auth.token or OPENCLAW_GATEWAY_TOKEN");
        break;
    case AuthMode::Password:
        if (auth.password.isEmpty())
            return QStringLiteral("gateway.auth.mode is \"password\" but no password is set: set "
                                  "gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD");
        break;
    case AuthMode::None:
        if (!isLoopbackBind())
            return QStringLiteral(
                "gateway.auth.mode \"none\" is only allowed with gateway.bind \"loopback\"");
        break;
    }

    if (agents.isEmpty())
        return QStringLiteral("agents.list is empty: declare at least one agent");
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    for (qsizetype i = 0; i < agents.size(); ++i) {
        const AgentConfig &a = agents.at(i);
        const QString path = indexPath(QStringLiteral("agents.list"), i);
        if (!idPattern.match(a.id).hasMatch())
            return QStringLiteral("%1.id \"%2\" must match [a-z0-9][a-z0-9_-]{0,63}")
                .arg(path, a.id);
        for (qsizetype j = 0; j < i; ++j) {
            if (agents.at(j).id == a.id)
                return QStringLiteral("%1.id \"%2\" is already used by agents.list[%3]")
                    .arg(path, a.id)
                    .arg(j);
        }
        const QStringList chain = a.modelChain();
        for (qsizetype m = 0; m < chain.size(); ++m) {
            const QString modelPath = m == 0
                ? path + QStringLiteral(".model")
                : indexPath(path + QStringLiteral(".model.fallbacks"), m - 1);
            QString provider;
            if (!splitModelRef(chain.at(m), &provider))
                return QStringLiteral("%1 \"%2\" is not \"provider/model\"")
                    .arg(modelPath, chain.at(m));
            if (!providers.contains(provider))
                return QStringLiteral("%1 \"%2\" names provider \"%3\", which is not declared in "
                                      "models.providers")
                    .arg(modelPath, chain.at(m), provider);
        }
    }

    for (const ProviderConfig &p : providers) {
        if (p.isEcho())
            continue;
        const QUrl url(p.baseUrl);
        const QString path
            = QStringLiteral("models.providers.") + p.name + QStringLiteral(".baseUrl");
        if (p.baseUrl.isEmpty())
            return path + QStringLiteral(" is not set");
        // the URL itself is not quoted: it may carry credentials
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return path + QStringLiteral(" is not an http:// or https:// URL");
    }
    return QString();
}

} // namespace passerelle
