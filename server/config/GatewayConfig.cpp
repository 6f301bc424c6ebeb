#include "config/GatewayConfig.h"

#include <QRandomGenerator>

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

// fromJson, toJson, firstRun and startupError: see the configuration branch.

} // namespace passerelle
