#include "providers/BackendRouter.h"

#include "providers/ModelChainRun.h"
#include "providers/ProviderRegistry.h"

namespace passerelle {

BackendRouter::BackendRouter() = default;
BackendRouter::~BackendRouter() = default;

QString BackendRouter::problemWith(const QString &modelRef, const GatewayConfig &config)
{
    QString providerName;
    if (!GatewayConfig::splitModelRef(modelRef, &providerName, nullptr))
        return QStringLiteral("model reference '%1' is not provider/model").arg(modelRef);
    const ProviderConfig *provider = config.findProvider(providerName);
    if (!provider)
        return QStringLiteral("provider '%1' is not configured").arg(providerName);
    if (!ProviderRegistry::instance().find(provider->api))
        return QStringLiteral("provider '%1' uses unsupported api '%2'")
            .arg(providerName, provider->api);
    return {};
}

std::unique_ptr<BackendRun> BackendRouter::create(const BackendRequest &request,
                                                  const GatewayConfig &config, QString *error)
{
    const QString problem = problemWith(request.modelRef, config);
    if (!problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    QString providerName;
    GatewayConfig::splitModelRef(request.modelRef, &providerName, nullptr);
    const ProviderConfig *provider = config.findProvider(providerName);
    return ProviderRegistry::instance().find(provider->api)->create(request, *provider, &m_network);
}

std::unique_ptr<BackendRun> BackendRouter::createForAgent(const AgentConfig &agent,
                                                          BackendRequest request,
                                                          const GatewayConfig &config,
                                                          QString *error)
{
    // A chain none of whose models can run is a configuration error, answered before any output;
    // otherwise unusable entries simply fail their attempt and the chain moves on.
    const QStringList chain = agent.modelChain();
    QString firstProblem;
    bool anyUsable = false;
    for (const QString &ref : chain) {
        const QString problem = problemWith(ref, config);
        if (problem.isEmpty())
            anyUsable = true;
        else if (firstProblem.isEmpty())
            firstProblem = problem;
    }
    if (!anyUsable) {
        *error = firstProblem.isEmpty() ? QStringLiteral("agent '%1' has no model").arg(agent.id)
                                        : firstProblem;
        return nullptr;
    }
    // The config snapshot is copied (implicitly shared): a live change never alters a running
    // chain.
    auto factory = [this, request, config](const QString &modelRef, QString *why) {
        BackendRequest attempt = request;
        attempt.modelRef = modelRef;
        return create(attempt, config, why);
    };
    return std::make_unique<ModelChainRun>(chain, std::move(factory));
}

} // namespace passerelle
