#include "config/GatewayConfig.h"

#include "config/ConfigKeys.h"
#include "providers/ProviderRegistry.h"

#include <QRandomGenerator>
#include <QRegularExpression>

namespace passerelle {

bool RateLimitConfig::operator==(const RateLimitConfig &o) const
{
    return ConfigKeys::rateLimit().same(*this, o);
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

StoreConfig::StoreConfig()
{
    ConfigKeys::store().reset(*this);
}

bool StoreConfig::operator==(const StoreConfig &o) const
{
    return ConfigKeys::store().same(*this, o);
}

RateLimitConfig::RateLimitConfig()
{
    ConfigKeys::rateLimit().reset(*this);
}

RateLimitConfig::RateLimitConfig(int attempts, qint64 window, qint64 lockout, bool exempt)
    : maxAttempts(attempts), windowMs(window), lockoutMs(lockout), exemptLoopback(exempt)
{
}

ProviderConfig::ProviderConfig()
{
    ProviderRegistry::instance().allKeys().reset(*this);
}

bool ProviderConfig::isEcho() const
{
    return api == ProviderRegistry::instance().builtinType().api;
}

bool ProviderConfig::operator==(const ProviderConfig &o) const
{
    return name == o.name && ProviderRegistry::instance().allKeys().same(*this, o);
}

GatewayConfig::GatewayConfig()
{
    ConfigKeys::gateway().reset(*this);
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

QString GatewayConfig::authModeName(AuthMode mode)
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

bool GatewayConfig::splitModelRef(const QString &ref, QString *provider, QString *model)
{
    const qsizetype slash = ref.indexOf(u'/');
    if (slash <= 0 || slash == ref.size() - 1)
        return false;
    *provider = ref.left(slash);
    if (model)
        *model = ref.mid(slash + 1);
    return true;
}

GatewayConfig GatewayConfig::fromJson(const QJsonObject &doc, QStringList *errors)
{
    GatewayConfig c;
    c.document = doc;
    ConfigKeys::gateway().read(ConfigReader(doc, errors), c);
    return c;
}

QJsonObject GatewayConfig::toJson() const
{
    QJsonObject root = document;
    ConfigKeys::gateway().write(root, *this);
    return root;
}

GatewayConfig GatewayConfig::firstRun()
{
    GatewayConfig c = fromJson(QJsonObject());
    c.auth.token = generateToken();
    c.chatCompletionsEnabled = true;
    c.responsesEnabled = true;
    c.messagesEnabled = true;
    return c;
}

QString GatewayConfig::startupError() const
{
    // each key within its bounds (the table's), then the rules between keys
    if (QString problem = ConfigKeys::gateway().check(*this); !problem.isEmpty())
        return problem;

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
        const QString path = QStringLiteral("agents.list[%1]").arg(i);
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
                : path + QStringLiteral(".model.fallbacks[%1]").arg(m - 1);
            QString provider;
            if (!splitModelRef(chain.at(m), &provider, nullptr))
                return QStringLiteral("%1 \"%2\" is not \"provider/model\"")
                    .arg(modelPath, chain.at(m));
            if (!providers.contains(provider))
                return QStringLiteral("%1 \"%2\" names provider \"%3\", which is not declared in "
                                      "models.providers")
                    .arg(modelPath, chain.at(m), provider);
        }
    }

    const ProviderRegistry &registry = ProviderRegistry::instance();
    for (const ProviderConfig &p : providers) {
        const QString prefix = QStringLiteral("models.providers.") + p.name + u'.';
        const ProviderType *type = registry.find(p.api);
        if (!type)
            return prefix + QStringLiteral("api: expected ") + registry.expectedApis();
        if (type->validate) {
            if (QString problem = type->validate(p, prefix); !problem.isEmpty())
                return problem;
        }
    }
    return QString();
}

} // namespace passerelle
