#include "providers/ProviderRegistry.h"

#include "providers/EchoBackend.h"
#include "providers/OpenAiCompletionsBackend.h"

#include <QUrl>
#include <QtGlobal>

namespace passerelle {

namespace {

using P = ProviderConfig;

// The `<baseUrl>` of an HTTP provider must be an http(s) URL with a host.
QString requireHttpBaseUrl(const ProviderConfig &p, const QString &keyPrefix)
{
    const QString path = keyPrefix + QStringLiteral("baseUrl");
    if (p.baseUrl.isEmpty())
        return path + QStringLiteral(" is not set");
    // the URL itself is not quoted: it may carry credentials
    const QUrl url(p.baseUrl);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return path + QStringLiteral(" is not an http:// or https:// URL");
    return QString();
}

KeyEditor timeoutEditor(const char *label)
{
    return KeyEditor::seconds(label, 1, 3600);
}

ProviderType openAiCompletions()
{
    ProviderType t;
    t.api = QStringLiteral("openai-completions");
    t.label = QT_TRANSLATE_NOOP("ProviderType", "OpenAI-compatible (chat completions)");
    t.keys.keys
        << stringKey<P>(
               "baseUrl", [](auto &p) -> auto & { return p.baseUrl; }, "",
               "openai-completions: requests go to `<baseUrl>/chat/completions`")
               .withEditor(KeyEditor::url(
                   QT_TRANSLATE_NOOP("ProviderType", "Base URL:"),
                   QT_TRANSLATE_NOOP("ProviderType", "https://api.example.com/v1"),
                   QT_TRANSLATE_NOOP("ProviderType", "Enter the provider's base URL."),
                   QT_TRANSLATE_NOOP("ProviderType",
                                     "The base URL must start with http:// or https://.")))
        << stringKey<P>(
               "apiKey", [](auto &p) -> auto & { return p.apiKey; }, "",
               "openai-completions: sent as `Authorization: Bearer <apiKey>`")
               .withEditor(KeyEditor::secret(QT_TRANSLATE_NOOP("ProviderType", "API key:"),
                                             QT_TRANSLATE_NOOP("ProviderType", "none")))
        << valueKey<P>(
               "models", [](auto &p) -> auto & { return p.models; }, QList<ProviderModel>(),
               "openai-completions: the models it serves, `[{id, name?}]`")
               .withEditor(KeyEditor::modelList(
                   QT_TRANSLATE_NOOP("ProviderType", "Models:"),
                   QT_TRANSLATE_NOOP("ProviderType", "model ids, separated by commas"),
                   QT_TRANSLATE_NOOP("ProviderType", "List at least one model id.")))
        << valueKey<P>(
               "headers", [](auto &p) -> auto & { return p.headers; }, QMap<QString, QString>(),
               "openai-completions: extra request headers, `{name: value}`")
               .withEditor(KeyEditor::headers(
                   QT_TRANSLATE_NOOP("ProviderType", "Headers:"),
                   QT_TRANSLATE_NOOP("ProviderType", "one per line: Name: value"),
                   QT_TRANSLATE_NOOP("ProviderType",
                                     "Write each header on its own line as “Name: value”.")))
        << intKey<P>(
               "connectTimeoutMs", [](auto &p) -> auto & { return p.connectTimeoutMs; }, 10000,
               IntBounds::positive(), "openai-completions: time allowed to connect")
               .withEditor(timeoutEditor(QT_TRANSLATE_NOOP("ProviderType", "Connect timeout:")))
        << intKey<P>(
               "timeoutMs", [](auto &p) -> auto & { return p.timeoutMs; }, 120000,
               IntBounds::positive(),
               "openai-completions: time allowed until the first upstream event")
               .withEditor(timeoutEditor(QT_TRANSLATE_NOOP("ProviderType", "First answer within:")))
        << intKey<P>(
               "idleTimeoutMs", [](auto &p) -> auto & { return p.idleTimeoutMs; }, 60000,
               IntBounds::positive(), "openai-completions: silence allowed between upstream events")
               .withEditor(timeoutEditor(
                   QT_TRANSLATE_NOOP("ProviderType", "Silence allowed between events:")));
    t.validate = requireHttpBaseUrl;
    t.create = [](const BackendRequest &request, const ProviderConfig &provider,
                  const ProviderServices &services) -> std::unique_ptr<BackendRun> {
        return std::make_unique<OpenAiCompletionsBackend>(request, provider, services.pool);
    };
    return t;
}

ProviderType echo()
{
    ProviderType t;
    t.api = QStringLiteral("echo");
    t.label = QT_TRANSLATE_NOOP("ProviderType", "Echo (answers with the prompt, for testing)");
    t.keys.keys << intKey<P>(
                       "chunkDelayMs", [](auto &p) -> auto & { return p.chunkDelayMs; }, 0,
                       IntBounds::nonNegative(),
                       "echo: pause between the pieces of an answer, to play a slow model")
                       .withEditor(KeyEditor::milliseconds(
                           QT_TRANSLATE_NOOP("ProviderType", "Pause between pieces:"), 0, 10000));
    t.create = [](const BackendRequest &request, const ProviderConfig &provider,
                  const ProviderServices &services) -> std::unique_ptr<BackendRun> {
        return std::make_unique<EchoBackend>(request, provider.chunkDelayMs, services.pacer);
    };
    return t;
}

// SPEC section 12, "Admission per provider".
ConfigKeyTable<P> admissionKeys()
{
    ConfigKeyTable<P> t;
    t.keys << intKey<P>(
                  "maxConcurrent", [](auto &p) -> auto & { return p.maxConcurrent; }, 0,
                  IntBounds::nonNegative(),
                  "runs at once on this provider (0: unlimited); more wait in its queue")
                  .withEditor(
                      KeyEditor::count(QT_TRANSLATE_NOOP("ProviderType", "Max concurrent runs:"), 0,
                                       10000, QT_TRANSLATE_NOOP("ProviderType", "unlimited")))
           << intKey<P>(
                  "maxQueue", [](auto &p) -> auto & { return p.maxQueue; }, 64,
                  IntBounds::nonNegative(),
                  "runs waiting for a slot, first come first served; beyond: 503")
                  .withEditor(KeyEditor::count(
                      QT_TRANSLATE_NOOP("ProviderType", "Max queued runs:"), 0, 100000, nullptr));
    return t;
}

// `api`: the type. An entry that names none is of the first type; the built-in provider is always
// of its own type, whatever its entry says.
ConfigKey<P> apiKeyOf(const QStringList &apis, const QString &builtin)
{
    const QString &defaultApi = apis.first();
    const auto defaultFor = [defaultApi, builtin](const QString &name) {
        return name == builtin ? builtin : defaultApi;
    };
    const QString expected = configjson::oneOf(apis);

    ConfigKey<P> k = customKey<P>("api", configjson::compact(defaultApi), "");
    k.meaning = QStringLiteral("the provider type: ") + expected
        + QStringLiteral(" (the built-in `") + builtin + QStringLiteral("` is always `") + builtin
        + QStringLiteral("`)");
    k.reset = [defaultFor](P &p) { p.api = defaultFor(p.name); };
    k.read = [apis, builtin, expected, path = k.path](const ConfigReader &r, P &p) {
        const QJsonValue v = r.value(path);
        if (p.name == builtin || v.isUndefined())
            return;
        if (apis.contains(v.toString()))
            p.api = v.toString();
        else
            r.expected(path, expected);
    };
    k.write = [defaultFor, path = k.path](QJsonObject &e, const P &p) {
        configjson::put(e, path, p.api, p.api == defaultFor(p.name));
    };
    k.same = [](const P &a, const P &b) { return a.api == b.api; };
    k.encode = [](const P &p) { return QJsonValue(p.api); };
    k.decode = [apis](P &p, const QJsonValue &v) {
        if (!apis.contains(v.toString()))
            return false;
        p.api = v.toString();
        return true;
    };
    return k;
}

} // namespace

ProviderRegistry::ProviderRegistry()
{
    // The first type is the one of an entry without `api`, as in OpenClaw. The last is built in:
    // the provider named after it is always there (SPEC section 9).
    m_types << openAiCompletions() << echo();
    QStringList apis;
    for (const ProviderType &t : std::as_const(m_types))
        apis << t.api;
    m_api = apiKeyOf(apis, builtinType().api);
    m_common = admissionKeys();
    m_all.keys << m_api;
    for (const ProviderType &t : std::as_const(m_types))
        m_all.keys << t.keys.keys;
    m_all.keys << m_common.keys;
}

const ProviderRegistry &ProviderRegistry::instance()
{
    static const ProviderRegistry registry;
    return registry;
}

const ProviderType *ProviderRegistry::find(const QString &api) const
{
    for (const ProviderType &t : m_types) {
        if (t.api == api)
            return &t;
    }
    return nullptr;
}

const ProviderType &ProviderRegistry::builtinType() const
{
    return m_types.last();
}

QString ProviderRegistry::expectedApis() const
{
    QStringList apis;
    for (const ProviderType &t : m_types)
        apis << t.api;
    return configjson::oneOf(apis);
}

ConfigKeyTable<ProviderConfig> ProviderRegistry::keysOf(const ProviderType &type) const
{
    ConfigKeyTable<ProviderConfig> all;
    all.keys << m_api << type.keys.keys << m_common.keys;
    return all;
}

ProviderConfig ProviderRegistry::defaultsFor(const QString &name) const
{
    ProviderConfig p;
    p.name = name;
    m_api.reset(p);
    return p;
}

void ProviderRegistry::read(const ConfigReader &entry, ProviderConfig &provider) const
{
    m_api.read(entry, provider);
    if (const ProviderType *type = find(provider.api))
        type->keys.read(entry, provider);
    m_common.read(entry, provider);
}

void ProviderRegistry::write(QJsonObject &entry, const ProviderConfig &provider) const
{
    m_api.write(entry, provider);
    if (const ProviderType *type = find(provider.api))
        type->keys.write(entry, provider);
    m_common.write(entry, provider);
}

QString ProviderRegistry::check(const ProviderConfig &provider, const QString &keyPrefix) const
{
    if (const ProviderType *type = find(provider.api)) {
        if (QString problem = type->keys.check(provider, keyPrefix); !problem.isEmpty())
            return problem;
    }
    return m_common.check(provider, keyPrefix);
}

} // namespace passerelle
