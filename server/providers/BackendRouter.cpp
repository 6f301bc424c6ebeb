#include "providers/BackendRouter.h"

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
    return ProviderRegistry::instance()
        .find(provider->api)
        ->create(request, *provider, ProviderServices {&m_pool, &m_pacer});
}

} // namespace passerelle
