#include "config/ConfigKeys.h"

#include "providers/ProviderRegistry.h"

#include <QJsonDocument>

namespace passerelle {

// ---- ConfigReader ----

ConfigReader::ConfigReader(const QJsonObject &root, QStringList *errors)
    : ConfigReader(root, QString(), std::make_shared<Reported>(Reported {errors, {}}))
{
}

ConfigReader::ConfigReader(const QJsonObject &object, const QString &path,
                           std::shared_ptr<Reported> shared)
    : m_object(object), m_path(path), m_shared(std::move(shared))
{
}

QString ConfigReader::pathOf(const QString &dotted) const
{
    return m_path.isEmpty() ? dotted : m_path + u'.' + dotted;
}

void ConfigReader::error(const QString &path, const QString &problem) const
{
    if (m_shared->errors)
        m_shared->errors->append(path + QStringLiteral(": ") + problem);
}

void ConfigReader::expected(const QString &dotted, const QString &type) const
{
    error(pathOf(dotted), QStringLiteral("expected ") + type);
}

QJsonValue ConfigReader::walk(const QString &dotted, bool report) const
{
    const QStringList parts = dotted.split(u'.');
    QJsonValue v = m_object;
    QString path = m_path;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            if (v.isUndefined())
                return v;
            if (!v.isObject()) {
                if (report && !m_shared->parents.contains(path)) {
                    m_shared->parents.insert(path);
                    error(path, QStringLiteral("expected an object"));
                }
                return QJsonValue(QJsonValue::Undefined);
            }
        }
        v = v.toObject().value(parts.at(i));
        path = path.isEmpty() ? parts.at(i) : path + u'.' + parts.at(i);
    }
    return v;
}

QJsonValue ConfigReader::value(const QString &dotted) const
{
    return walk(dotted, true);
}

QJsonValue ConfigReader::peek(const QString &dotted) const
{
    return walk(dotted, false);
}

ConfigReader ConfigReader::at(const QString &dotted) const
{
    const QJsonValue v = value(dotted);
    const QString path = pathOf(dotted);
    if (!v.isUndefined() && !v.isObject() && !m_shared->parents.contains(path)) {
        m_shared->parents.insert(path);
        error(path, QStringLiteral("expected an object"));
    }
    return ConfigReader(v.toObject(), path, m_shared);
}

ConfigReader ConfigReader::entry(const QString &path, const QJsonObject &object) const
{
    return ConfigReader(object, path, m_shared);
}

namespace {

QString indexPath(const QString &path, qsizetype i)
{
    return path + u'[' + QString::number(i) + u']';
}

} // namespace

void ConfigReader::forEachObject(const QString &dotted,
                                 const std::function<void(const ConfigReader &)> &each) const
{
    const QJsonValue v = value(dotted);
    if (v.isUndefined())
        return;
    if (!v.isArray()) {
        expected(dotted, QStringLiteral("an array"));
        return;
    }
    const QJsonArray array = v.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = indexPath(pathOf(dotted), i);
        if (!array.at(i).isObject()) {
            error(path, QStringLiteral("expected an object"));
            continue;
        }
        each(entry(path, array.at(i).toObject()));
    }
}

// ---- configjson ----

namespace configjson {

bool decode(const QJsonValue &v, bool *out, const ConfigReader &r, const QString &path)
{
    if (!v.isBool()) {
        r.error(path, QStringLiteral("expected a boolean"));
        return false;
    }
    *out = v.toBool();
    return true;
}

bool decode(const QJsonValue &v, QString *out, const ConfigReader &r, const QString &path)
{
    if (!v.isString()) {
        r.error(path, QStringLiteral("expected a string"));
        return false;
    }
    *out = v.toString();
    return true;
}

bool decode(const QJsonValue &v, QStringList *out, const ConfigReader &r, const QString &path)
{
    // any element of another type makes the whole key keep its value
    if (!v.isArray()) {
        r.error(path, QStringLiteral("expected an array"));
        return false;
    }
    const QJsonArray array = v.toArray();
    QStringList list;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            r.error(indexPath(path, i), QStringLiteral("expected a string"));
            return false;
        }
        list.append(array.at(i).toString());
    }
    *out = list;
    return true;
}

bool decode(const QJsonValue &v, QList<ProviderModel> *out, const ConfigReader &r,
            const QString &path)
{
    if (!v.isArray()) {
        r.error(path, QStringLiteral("expected an array"));
        return false;
    }
    const QJsonArray array = v.toArray();
    QList<ProviderModel> models;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = indexPath(path, i);
        if (!array.at(i).isObject()) {
            r.error(at, QStringLiteral("expected an object"));
            continue;
        }
        const ConfigReader m = r.entry(at, array.at(i).toObject());
        ProviderModel model;
        if (!m.peek(QStringLiteral("id")).isString()) {
            m.expected(QStringLiteral("id"), QStringLiteral("a string"));
            continue;
        }
        model.id = m.peek(QStringLiteral("id")).toString();
        m.read(QStringLiteral("name"), &model.name);
        models.append(model);
    }
    *out = models;
    return true;
}

bool decode(const QJsonValue &v, QMap<QString, QString> *out, const ConfigReader &r,
            const QString &path)
{
    if (!v.isObject()) {
        r.error(path, QStringLiteral("expected an object"));
        return false;
    }
    const QJsonObject object = v.toObject();
    QMap<QString, QString> map;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.value().isString())
            map.insert(it.key(), it.value().toString());
        else
            r.error(path + u'.' + it.key(), QStringLiteral("expected a string"));
    }
    *out = map;
    return true;
}

bool decodeInteger(const QJsonValue &v, qint64 min, qint64 max, qint64 *out)
{
    constexpr qint64 notInteger = std::numeric_limits<qint64>::min();
    const qint64 i = v.isDouble() ? v.toInteger(notInteger) : notInteger;
    if (i == notInteger || i < min || i > max)
        return false;
    *out = i;
    return true;
}

QString integerType(qint64 min, qint64 max, qint64 typeMin, qint64 typeMax)
{
    if (min == typeMin && max == typeMax)
        return QStringLiteral("an integer");
    if (max == typeMax && min == 1)
        return QStringLiteral("a positive integer");
    if (max == typeMax && min == 0)
        return QStringLiteral("a non-negative integer");
    if (max == typeMax)
        return QStringLiteral("an integer of at least %1").arg(min);
    return QStringLiteral("an integer between %1 and %2").arg(min).arg(max);
}

QJsonValue encode(bool v)
{
    return v;
}

QJsonValue encode(qint64 v)
{
    return v;
}

QJsonValue encode(const QString &v)
{
    return v;
}

QJsonValue encode(const QStringList &v)
{
    return QJsonArray::fromStringList(v);
}

QJsonValue encode(const QList<ProviderModel> &v)
{
    return encodeOver(v, QJsonValue());
}

// Provider models are written back into the entries they were read from, so keys Passerelle does
// not know (OpenClaw's contextWindow, cost...) survive.
QJsonValue encodeOver(const QList<ProviderModel> &models, const QJsonValue &old)
{
    const QJsonArray oldModels = old.toArray();
    QJsonArray out;
    for (const ProviderModel &m : models) {
        QJsonObject entry;
        for (const auto &o : oldModels) {
            if (o.toObject().value(QLatin1String("id")).toString() == m.id) {
                entry = o.toObject();
                break;
            }
        }
        entry.insert(QLatin1String("id"), m.id);
        put(entry, QStringLiteral("name"), m.name, m.name.isEmpty());
        out.append(entry);
    }
    return out;
}

QJsonValue encode(const QMap<QString, QString> &v)
{
    QJsonObject o;
    for (auto it = v.cbegin(); it != v.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QString oneOf(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words)
        quoted << u'"' + w + u'"';
    if (quoted.size() < 2)
        return quoted.join(QString());
    const QString last = quoted.takeLast();
    return quoted.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}

QString compact(const QJsonValue &v)
{
    const QByteArray array = QJsonDocument(QJsonArray {v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

bool put(QJsonObject &obj, const QString &key, const QJsonValue &v, bool isDefault)
{
    const auto it = obj.constFind(key);
    if (it == obj.constEnd() ? isDefault : it.value() == v)
        return false;
    obj.insert(key, v);
    return true;
}

namespace {

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

void setAt(QJsonObject &obj, const QStringList &path, qsizetype i, const QJsonObject &value)
{
    if (i == path.size() - 1) {
        obj.insert(path.at(i), value);
        return;
    }
    QJsonObject sub = obj.value(path.at(i)).toObject();
    setAt(sub, path, i + 1, value);
    obj.insert(path.at(i), sub);
}

} // namespace

void putPath(QJsonObject &root, const QString &dotted, const QJsonValue &v, bool isDefault)
{
    putAt(root, dotted.split(u'.'), 0, v, isDefault);
}

void removePath(QJsonObject &root, const QString &dotted)
{
    removeAt(root, dotted.split(u'.'), 0);
}

void editObjectAt(QJsonObject &root, const QString &dotted,
                  const std::function<void(QJsonObject &)> &edit)
{
    const QJsonObject before = ConfigReader(root, nullptr).peek(dotted).toObject();
    QJsonObject after = before;
    edit(after);
    if (after != before)
        setAt(root, dotted.split(u'.'), 0, after);
}

} // namespace configjson

// ---- KeyEditor ----

KeyEditor KeyEditor::text(const char *label, const char *placeholder)
{
    KeyEditor e;
    e.kind = Kind::Text;
    e.label = label;
    e.placeholder = placeholder;
    return e;
}

KeyEditor KeyEditor::url(const char *label, const char *placeholder, const char *missing,
                         const char *invalid)
{
    KeyEditor e = text(label, placeholder);
    e.kind = Kind::Url;
    e.missing = missing;
    e.invalid = invalid;
    return e;
}

KeyEditor KeyEditor::secret(const char *label, const char *placeholder)
{
    KeyEditor e = text(label, placeholder);
    e.kind = Kind::Secret;
    return e;
}

KeyEditor KeyEditor::seconds(const char *label, int minimum, int maximum)
{
    KeyEditor e;
    e.kind = Kind::Seconds;
    e.label = label;
    e.minimum = minimum;
    e.maximum = maximum;
    return e;
}

KeyEditor KeyEditor::milliseconds(const char *label, int minimum, int maximum)
{
    KeyEditor e = seconds(label, minimum, maximum);
    e.kind = Kind::Milliseconds;
    return e;
}

KeyEditor KeyEditor::count(const char *label, int minimum, int maximum, const char *zeroText)
{
    KeyEditor e = seconds(label, minimum, maximum);
    e.kind = Kind::Count;
    e.zeroText = zeroText;
    return e;
}

KeyEditor KeyEditor::modelList(const char *label, const char *placeholder, const char *missing)
{
    KeyEditor e = text(label, placeholder);
    e.kind = Kind::ModelList;
    e.missing = missing;
    return e;
}

KeyEditor KeyEditor::headers(const char *label, const char *placeholder, const char *invalid)
{
    KeyEditor e = text(label, placeholder);
    e.kind = Kind::Headers;
    e.invalid = invalid;
    return e;
}

// ---- the composite keys of the file ----

namespace {

using Key = ConfigKey<GatewayConfig>;

// A model reference: agents.list[].model, or agents.defaults.model for agents that name none.
struct ModelRef
{
    QString primary = QStringLiteral("echo/echo"); // the default of agents.defaults.model
    QStringList fallbacks;
};

// model: "provider/model" or {primary, fallbacks: []}
bool readModel(const ConfigReader &r, const QString &key, ModelRef *out)
{
    const QJsonValue v = r.value(key);
    if (v.isUndefined())
        return false;
    if (v.isString()) {
        *out = ModelRef {v.toString(), {}};
        return true;
    }
    if (!v.isObject()) {
        r.expected(key, QStringLiteral("a string or an object"));
        return false;
    }
    const ConfigReader model = r.at(key);
    ModelRef ref;
    ref.primary.clear();
    model.read(QStringLiteral("primary"), &ref.primary);
    model.read(QStringLiteral("fallbacks"), &ref.fallbacks);
    *out = ref;
    return true;
}

constexpr char kDefaultModelKey[] = "agents.defaults.model";

// agents.defaults.model (OpenClaw's model for agents that name none), else echo/echo.
ModelRef defaultModelOf(const QJsonObject &root)
{
    ModelRef ref;
    readModel(ConfigReader(root, nullptr), QString::fromLatin1(kDefaultModelKey), &ref);
    return ref;
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

// Writes an agent's model, keeping the entry's form (string or object) when it can.
void writeModel(QJsonObject &entry, const AgentConfig &agent, const ModelRef &defaultModel)
{
    const QString key = QStringLiteral("model");
    const QJsonValue existing = entry.value(key);
    ModelRef current;
    const bool present = readModel(ConfigReader(entry, nullptr), key, &current);
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
    configjson::put(model, QStringLiteral("fallbacks"), QJsonArray::fromStringList(agent.fallbacks),
                    agent.fallbacks.isEmpty());
    entry.insert(key, model);
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

const QList<AuthMode> &authModes()
{
    static const QList<AuthMode> modes {AuthMode::Token, AuthMode::Password, AuthMode::None};
    return modes;
}

// gateway.auth.mode: remembers whether the file chose a mode (modeExplicit); when it did not,
// the mode follows the password, as in OpenClaw.
Key authModeKey()
{
    Key k = customKey<GatewayConfig>(
        "gateway.auth.mode", configjson::compact(GatewayConfig::authModeName(AuthMode::Token)),
        "`token`, `password` or `none`; unset: `password` when a password "
        "is set, else `token`");
    k.reset = [](GatewayConfig &c) {
        c.auth.mode = AuthMode::Token;
        c.auth.modeExplicit = false;
    };
    k.read = [path = k.path](const ConfigReader &r, GatewayConfig &c) {
        const QJsonValue v = r.value(path);
        if (!v.isUndefined()) {
            QStringList words;
            for (const AuthMode mode : authModes()) {
                if (v.toString() == GatewayConfig::authModeName(mode)) {
                    c.auth.mode = mode;
                    c.auth.modeExplicit = true;
                    return;
                }
                words << GatewayConfig::authModeName(mode);
            }
            r.expected(path, configjson::oneOf(words));
        }
        const QJsonValue password = r.peek(QStringLiteral("gateway.auth.password"));
        c.auth.mode = password.isString() && !password.toString().isEmpty() ? AuthMode::Password
                                                                            : AuthMode::Token;
    };
    k.write = [path = k.path](QJsonObject &root, const GatewayConfig &c) {
        if (c.auth.modeExplicit)
            configjson::putPath(root, path, GatewayConfig::authModeName(c.auth.mode), false);
        else
            configjson::removePath(root, path);
    };
    return k;
}

// gateway.auth.tokens[]: entries matched by hash keep their unknown keys.
Key namedTokensKey()
{
    Key k
        = customKey<GatewayConfig>("gateway.auth.tokens", QStringLiteral("[]"),
                                   "extra named tokens made in the panel: `{name, sha256, agents?, "
                                   "createdAt}` (sha256 of the token; agents: the ids it may use)");
    k.reset = [](GatewayConfig &c) { c.auth.tokens.clear(); };
    k.read = [path = k.path](const ConfigReader &r, GatewayConfig &c) {
        r.forEachObject(path, [&c](const ConfigReader &t) {
            NamedToken token;
            t.read(QStringLiteral("name"), &token.name);
            const QString hex = t.peek(QStringLiteral("sha256")).toString().toLower();
            if (!isLowerHex(hex, 64)) {
                t.expected(QStringLiteral("sha256"), QStringLiteral("64 hex characters"));
                return; // a token without a usable hash can never match: leave it out
            }
            token.sha256Hex = hex.toLatin1();
            QStringList agents;
            t.read(QStringLiteral("agents"), &agents);
            for (const QString &a : std::as_const(agents))
                token.agents.append(a.toLower());
            const QJsonValue created = t.peek(QStringLiteral("createdAt"));
            if (!created.isUndefined()) {
                token.createdAt = parseIsoDate(created);
                if (!token.createdAt.isValid())
                    t.expected(QStringLiteral("createdAt"), QStringLiteral("an ISO-8601 date"));
            }
            c.auth.tokens.append(token);
        });
    };
    k.write = [path = k.path](QJsonObject &root, const GatewayConfig &c) {
        const QJsonArray oldTokens = ConfigReader(root, nullptr).peek(path).toArray();
        QJsonArray tokens;
        for (const NamedToken &t : c.auth.tokens) {
            QJsonObject e;
            for (const auto &old : oldTokens) {
                if (old.toObject().value(QLatin1String("sha256")).toString().toLower()
                    == QString::fromLatin1(t.sha256Hex)) {
                    e = old.toObject();
                    break;
                }
            }
            configjson::put(e, QStringLiteral("name"), t.name, false);
            configjson::put(e, QStringLiteral("sha256"), QString::fromLatin1(t.sha256Hex), false);
            configjson::put(e, QStringLiteral("agents"), QJsonArray::fromStringList(t.agents),
                            t.agents.isEmpty());
            if (t.createdAt.isValid()
                && parseIsoDate(e.value(QLatin1String("createdAt"))) != t.createdAt.toUTC())
                e.insert(QLatin1String("createdAt"),
                         t.createdAt.toUTC().toString(Qt::ISODateWithMs));
            tokens.append(e);
        }
        configjson::putPath(root, path, tokens, c.auth.tokens.isEmpty());
    };
    return k;
}

// agents.defaults.model: read for the agents that name no model (agents.list does); only checked
// here, and never written (Passerelle does not change it, the document keeps it).
Key defaultModelKeyRow()
{
    Key k = customKey<GatewayConfig>(kDefaultModelKey, configjson::compact(ModelRef().primary),
                                     "model of the agents that name none: \"provider/model\" or "
                                     "`{primary, fallbacks: []}`");
    k.read = [path = k.path](const ConfigReader &r, GatewayConfig &) {
        ModelRef ignored;
        readModel(r, path, &ignored);
    };
    return k;
}

// agents.list[]: entries matched by id keep their unknown keys (OpenClaw's workspace, tools...).
Key agentsKey()
{
    Key k = customKey<GatewayConfig>(
        "agents.list", QStringLiteral("[{id: \"main\", name: \"Main\", default: true}]"),
        "`{id, name?, default?, model?, systemPrompt?}`; model as "
        "agents.defaults.model; empty: the agent `main`");
    k.reset = [](GatewayConfig &c) { c.agents = implicitAgents(ModelRef()); };
    k.read = [path = k.path](const ConfigReader &r, GatewayConfig &c) {
        const ModelRef defaultModel = defaultModelOf(r.object());
        QList<AgentConfig> list;
        r.forEachObject(path, [&list, &defaultModel](const ConfigReader &a) {
            AgentConfig agent;
            if (!a.peek(QStringLiteral("id")).isString()) {
                a.expected(QStringLiteral("id"), QStringLiteral("a string"));
                return;
            }
            agent.id = a.peek(QStringLiteral("id")).toString().toLower();
            a.read(QStringLiteral("name"), &agent.name);
            a.read(QStringLiteral("default"), &agent.isDefault);
            ModelRef model = defaultModel;
            readModel(a, QStringLiteral("model"), &model);
            agent.primary = model.primary;
            agent.fallbacks = model.fallbacks;
            a.read(QStringLiteral("systemPrompt"), &agent.systemPrompt);
            list.append(agent);
        });
        c.agents = list.isEmpty() ? implicitAgents(defaultModel) : list;
    };
    k.write = [path = k.path](QJsonObject &root, const GatewayConfig &c) {
        const ModelRef defaultModel = defaultModelOf(root);
        const QJsonArray oldAgents = ConfigReader(root, nullptr).peek(path).toArray();
        if (oldAgents.isEmpty() && c.agents == implicitAgents(defaultModel))
            return;
        QList<bool> used(oldAgents.size(), false);
        QJsonArray list;
        for (const AgentConfig &a : c.agents) {
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
            configjson::put(e, QStringLiteral("name"), a.name, a.name.isEmpty());
            configjson::put(e, QStringLiteral("default"), a.isDefault, !a.isDefault);
            writeModel(e, a, defaultModel);
            configjson::put(e, QStringLiteral("systemPrompt"), a.systemPrompt,
                            a.systemPrompt.isEmpty());
            list.append(e);
        }
        configjson::putPath(root, path, list, false);
    };
    return k;
}

// models.providers.<name>: each entry read and written by its type's keys (ProviderRegistry); the
// built-in provider is always there and written only when the file declared it or it changed.
Key providersKey()
{
    Key k
        = customKey<GatewayConfig>("models.providers", QStringLiteral("{echo: {api: \"echo\"}}"),
                                   "model providers by name; the built-in `echo` is always there, "
                                   "whatever else is declared");
    k.reset = [](GatewayConfig &c) {
        const ProviderRegistry &registry = ProviderRegistry::instance();
        const QString builtin = registry.builtinProviderName();
        c.providers = {{builtin, registry.defaultsFor(builtin)}};
    };
    k.read = [path = k.path](const ConfigReader &r, GatewayConfig &c) {
        const QJsonValue v = r.value(path);
        if (v.isUndefined())
            return;
        if (!v.isObject()) {
            r.expected(path, QStringLiteral("an object"));
            return;
        }
        const ProviderRegistry &registry = ProviderRegistry::instance();
        const ConfigReader providers = r.at(path);
        const QJsonObject entries = v.toObject();
        for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) {
            if (!it.value().isObject()) {
                providers.expected(it.key(), QStringLiteral("an object"));
                continue;
            }
            ProviderConfig provider = registry.defaultsFor(it.key());
            registry.read(providers.entry(providers.pathOf(it.key()), it.value().toObject()),
                          provider);
            c.providers.insert(it.key(), provider);
        }
    };
    k.write = [path = k.path](QJsonObject &root, const GatewayConfig &c) {
        const ProviderRegistry &registry = ProviderRegistry::instance();
        const QString builtin = registry.builtinProviderName();
        const QJsonObject old = ConfigReader(root, nullptr).peek(path).toObject();
        QJsonObject out;
        for (const ProviderConfig &p : c.providers) {
            if (p.name == builtin && !old.contains(p.name) && p == registry.defaultsFor(builtin))
                continue;
            QJsonObject entry = old.value(p.name).toObject();
            registry.write(entry, p);
            out.insert(p.name, entry);
        }
        configjson::putPath(root, path, out, out.isEmpty());
    };
    k.check = [path = k.path](const GatewayConfig &c, const QString &prefix) {
        for (auto it = c.providers.cbegin(); it != c.providers.cend(); ++it) {
            QString problem = ProviderRegistry::instance().check(
                it.value(), prefix + path + u'.' + it.key() + u'.');
            if (!problem.isEmpty())
                return problem;
        }
        return QString();
    };
    return k;
}

} // namespace

// ---- the tables ----

const ConfigKeyTable<RateLimitConfig> &ConfigKeys::rateLimit()
{
    using R = RateLimitConfig;
    static const ConfigKeyTable<R> table = [] {
        ConfigKeyTable<R> t;
        t.keys << intKey<R>(
            "maxAttempts", [](auto &r) -> auto & { return r.maxAttempts; }, 10,
            IntBounds::positive(), "failed authentications a client address may make per window");
        t.keys << intKey<R>(
            "windowMs", [](auto &r) -> auto & { return r.windowMs; }, 60000, IntBounds::positive(),
            "the window failed authentications are counted in");
        t.keys << intKey<R>(
            "lockoutMs", [](auto &r) -> auto & { return r.lockoutMs; }, 300000,
            IntBounds::nonNegative(), "how long an address that failed too often is refused");
        t.keys << boolKey<R>(
            "exemptLoopback", [](auto &r) -> auto & { return r.exemptLoopback; }, true,
            "loopback clients are never locked out");
        return t;
    }();
    return table;
}

const ConfigKeyTable<StoreConfig> &ConfigKeys::store()
{
    using S = StoreConfig;
    static const ConfigKeyTable<S> table = [] {
        ConfigKeyTable<S> t;
        t.keys << enumKey<S>(
            "kind", [](auto &s) -> auto & { return s.kind; }, StoreKind::Sqlite,
            {{QStringLiteral("sqlite"), StoreKind::Sqlite},
             {QStringLiteral("postgres"), StoreKind::Postgres}},
            "`sqlite` (a file of this gateway's) or `postgres` (a server several gateways share); "
            "read at start");
        t.keys << stringKey<S>(
            "host", [](auto &s) -> auto & { return s.host; }, "127.0.0.1",
            "postgres: the server's host name or address");
        t.keys << intKey<S>(
            "port", [](auto &s) -> auto & { return s.port; }, 5432, IntBounds {1, 65535, false},
            "postgres: the server's port");
        t.keys << stringKey<S>(
            "database", [](auto &s) -> auto & { return s.database; }, "passerelle",
            "postgres: the database (its tables are made by the gateway's migrations)");
        t.keys << stringKey<S>(
            "user", [](auto &s) -> auto & { return s.user; }, "passerelle",
            "postgres: the role the gateway connects as");
        t.keys << stringKey<S>(
            "passwordEnv", [](auto &s) -> auto & { return s.passwordEnv; }, "",
            "postgres: the environment variable holding the password (never the file)");
        const QStringList sslModes {QStringLiteral("disable"),   QStringLiteral("allow"),
                                    QStringLiteral("prefer"),    QStringLiteral("require"),
                                    QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
        ConfigKey<S> ssl = stringKey<S>(
            "sslmode", [](auto &s) -> auto & { return s.sslmode; }, "prefer",
            "postgres: libpq's `sslmode` (`disable` ... `verify-full`)");
        ssl.check = [sslModes, p = ssl.path](const S &s, const QString &prefix) {
            if (sslModes.contains(s.sslmode))
                return QString();
            return QStringLiteral("%1%2 must be %3 (got \"%4\")")
                .arg(prefix, p, configjson::oneOf(sslModes), s.sslmode);
        };
        t.keys << ssl;
        t.keys << intKey<S>(
            "poolSize", [](auto &s) -> auto & { return s.poolSize; }, 4, IntBounds {1, 32, false},
            "postgres: connections the gateway keeps open, each on a thread of its own");
        return t;
    }();
    return table;
}

const ConfigKeyTable<GatewayConfig> &ConfigKeys::gateway()
{
    using G = GatewayConfig;
    static const ConfigKeyTable<G> table = [] {
        ConfigKeyTable<G> t;
        t.keys << intKey<G>(
            "gateway.port", [](auto &c) -> auto & { return c.port; }, 18789,
            IntBounds::startupRange(0, 65535),
            "listening port (0: any free one); `--port` > `OPENCLAW_GATEWAY_PORT` > this");
        t.keys << enumKey<G>(
            "gateway.bind", [](auto &c) -> auto & { return c.bind; }, BindMode::Loopback,
            {{QStringLiteral("loopback"), BindMode::Loopback},
             {QStringLiteral("lan"), BindMode::Lan},
             {QStringLiteral("custom"), BindMode::Custom}},
            "`loopback` (127.0.0.1), `lan` (0.0.0.0), or `custom` with gateway.customBindHost");
        t.keys << stringKey<G>(
            "gateway.customBindHost", [](auto &c) -> auto & { return c.customBindHost; }, "",
            "the IP address to listen on with bind `custom`");
        t.keys << authModeKey();
        t.keys << stringKey<G>(
            "gateway.auth.token", [](auto &c) -> auto & { return c.auth.token; }, "",
            "the gateway token (first run writes a generated one); else env "
            "`OPENCLAW_GATEWAY_TOKEN`");
        t.keys << stringKey<G>(
            "gateway.auth.password", [](auto &c) -> auto & { return c.auth.password; }, "",
            "the gateway password; else env `OPENCLAW_GATEWAY_PASSWORD`");
        t.keys << namedTokensKey();
        t.keys << nest<G>(
            "gateway.auth.rateLimit", [](auto &c) -> auto & { return c.auth.rateLimit; },
            rateLimit());
        t.keys << boolKey<G>(
            "gateway.http.endpoints.chatCompletions.enabled",
            [](auto &c) -> auto & { return c.chatCompletionsEnabled; }, false,
            "the endpoint switch (first run writes `true`); applies live");
        t.keys << intKey<G>(
            "gateway.http.endpoints.chatCompletions.maxBodyBytes",
            [](auto &c) -> auto & { return c.maxBodyBytes; }, 20971520, IntBounds::positive(),
            "larger request bodies get 413");
        t.keys << boolKey<G>(
            "gateway.http.endpoints.responses.enabled",
            [](auto &c) -> auto & { return c.responsesEnabled; }, false,
            "the `/v1/responses` switch (first run writes `true`); applies live");
        t.keys << intKey<G>(
            "gateway.http.endpoints.responses.maxBodyBytes",
            [](auto &c) -> auto & { return c.responsesMaxBodyBytes; }, 20971520,
            IntBounds::positive(), "larger `/v1/responses` request bodies get 413");
        t.keys << stringListKey<G>(
            "gateway.http.cors.allowedOrigins", [](auto &c) -> auto & { return c.corsOrigins; },
            "browser origins allowed to call the gateway (CORS is off for the others)");
        t.keys << defaultModelKeyRow() << agentsKey() << providersKey();
        t.keys << intKey<G>(
            "passerelle.sessions.historyMessages",
            [](auto &c) -> auto & { return c.sessionHistoryMessages; }, 40,
            IntBounds::nonNegative(), "earlier messages of a session sent upstream with a turn");
        t.keys << intKey<G>(
            "passerelle.responses.maxStored",
            [](auto &c) -> auto & { return c.responsesMaxStored; }, 10000, IntBounds::positive(),
            "stored responses kept for `previous_response_id` and retrieval (oldest dropped "
            "first)");
        t.keys << boolKey<G>(
            "passerelle.http.endpoints.messages.enabled",
            [](auto &c) -> auto & { return c.messagesEnabled; }, false,
            "the `/v1/messages` switch (Anthropic Messages; first run writes `true`); applies "
            "live");
        t.keys << intKey<G>(
            "passerelle.http.endpoints.messages.maxBodyBytes",
            [](auto &c) -> auto & { return c.messagesMaxBodyBytes; }, 20971520,
            IntBounds::positive(), "larger `/v1/messages` request bodies get 413");
        t.keys << valueKey<G>(
            "passerelle.modelAliases", [](auto &c) -> auto & { return c.modelAliases; },
            QMap<QString, QString>(),
            "model names (`*` matches any run of characters) answered by an agent, "
            "`{\"claude-*\": \"main\"}`; every surface");
        t.keys << nest<G>(
            "passerelle.store", [](auto &c) -> auto & { return c.store; }, store());
        t.keys << intKey<G>(
            "passerelle.http.keepAliveMs", [](auto &c) -> auto & { return c.keepAliveMs; }, 15000,
            IntBounds::positive(),
            "an SSE keep-alive (a comment; a `ping` event on `/v1/messages`) goes out after this "
            "much silence");
        t.keys << intKey<G>(
            "passerelle.http.headerTimeoutMs", [](auto &c) -> auto & { return c.headerTimeoutMs; },
            10000, IntBounds::positive(),
            "a request head must be complete this long after its first byte, else 408");
        t.keys << intKey<G>(
            "passerelle.http.idleTimeoutMs", [](auto &c) -> auto & { return c.idleTimeoutMs; },
            120000, IntBounds::positive(),
            "longest silence inside a body, of an idle keep-alive connection, or of a client not "
            "reading its stream (then dropped, 499)");
        t.keys << intKey<G>(
            "passerelle.http.maxConnections", [](auto &c) -> auto & { return c.maxConnections; }, 0,
            IntBounds::nonNegative(),
            "open connections at most (0: the descriptor limit, raised to its hard limit at "
            "start, minus 256); when full the longest idle one is closed, else 503");
        t.keys << intKey<G>(
            "passerelle.http.maxConnectionsPerAddress",
            [](auto &c) -> auto & { return c.maxConnectionsPerAddress; }, 256,
            IntBounds::positive(),
            "open connections of one client address (loopback exempt while "
            "`gateway.auth.rateLimit.exemptLoopback` is true)");
        t.keys << intKey<G>(
            "passerelle.http.maxBufferedBytes",
            [](auto &c) -> auto & { return c.maxBufferedBytes; }, 1048576, IntBounds::positive(),
            "unsent bytes of one stream before its run is paused until the client reads");
        t.keys << intKey<G>(
            "passerelle.http.maxBufferedTotalBytes",
            [](auto &c) -> auto & { return c.maxBufferedTotalBytes; }, 67108864,
            IntBounds::positive(),
            "unsent bytes of all connections; past it the ones that read least recently are "
            "dropped");
        t.keys << intKey<G>(
            "passerelle.ws.handshakeTimeoutMs",
            [](auto &c) -> auto & { return c.wsHandshakeTimeoutMs; }, 10000, IntBounds::positive(),
            "a WebSocket client must complete its connect handshake within this");
        t.keys << intKey<G>(
            "passerelle.ws.tickIntervalMs", [](auto &c) -> auto & { return c.wsTickIntervalMs; },
            15000, IntBounds::positive(), "interval of the WebSocket tick event");
        t.keys << boolKey<G>(
            "passerelle.metrics.enabled", [](auto &c) -> auto & { return c.metricsEnabled; }, true,
            "`GET /metrics` in the Prometheus text format (off: 404)");
        t.keys << boolKey<G>(
            "passerelle.metrics.public", [](auto &c) -> auto & { return c.metricsPublic; }, false,
            "`/metrics` without the gateway's credential (else the same 401/429 rules as the API)");
        t.keys << stringKey<G>(
            "passerelle.ui.language", [](auto &c) -> auto & { return c.uiLanguage; }, "",
            "panel language: `en`, `fr`, or empty for the system's");
        t.keys << boolKey<G>(
            "passerelle.ui.startMinimized", [](auto &c) -> auto & { return c.startMinimized; },
            false, "start in the tray, without opening the panel");
        return t;
    }();
    return table;
}

QList<ConfigKeyDoc> ConfigKeys::documentation()
{
    QList<ConfigKeyDoc> out;
    for (const ConfigKey<GatewayConfig> &k : gateway().keys) {
        out << ConfigKeyDoc {k.path, k.defaultText, k.meaning};
        if (k.path != QLatin1String("models.providers"))
            continue;
        QSet<QString> seen;
        for (const ConfigKey<ProviderConfig> &p : ProviderRegistry::instance().allKeys().keys) {
            if (seen.contains(p.path))
                continue;
            seen.insert(p.path);
            out << ConfigKeyDoc {QStringLiteral("models.providers.<name>.") + p.path, p.defaultText,
                                 p.meaning};
        }
    }
    return out;
}

} // namespace passerelle
