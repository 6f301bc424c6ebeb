#include "backends/BackendRouter.h"

#include "backends/EchoBackend.h"

namespace passerelle {

BackendRouter::BackendRouter() = default;
BackendRouter::~BackendRouter() = default;

bool BackendRouter::splitModelRef(const QString &ref, QString *provider, QString *model)
{
    const qsizetype slash = ref.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == ref.size() - 1)
        return false;
    *provider = ref.left(slash);
    *model = ref.mid(slash + 1);
    return true;
}

std::unique_ptr<BackendRun> BackendRouter::create(const BackendRequest &request,
                                                  const GatewayConfig &config, QString *error)
{
    QString providerName, model;
    if (!splitModelRef(request.modelRef, &providerName, &model)) {
        *error = QStringLiteral("model reference '%1' is not provider/model").arg(request.modelRef);
        return nullptr;
    }
    const ProviderConfig *provider = config.findProvider(providerName);
    if (!provider) {
        *error = QStringLiteral("provider '%1' is not configured").arg(providerName);
        return nullptr;
    }
    if (provider->isEcho())
        return std::make_unique<EchoBackend>(request, provider->chunkDelayMs);
    *error = QStringLiteral("provider '%1' uses unsupported api '%2'").arg(providerName, provider->api);
    return nullptr;
}

std::unique_ptr<BackendRun> BackendRouter::createForAgent(const AgentConfig &agent,
                                                          BackendRequest request,
                                                          const GatewayConfig &config, QString *error)
{
    request.modelRef = agent.primary;
    return create(request, config, error);
}

} // namespace passerelle
