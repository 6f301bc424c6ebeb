#include "providers/BackendRouter.h"

#include "providers/EchoBackend.h"
#include "providers/ModelChainRun.h"
#include "providers/OpenAiCompletionsBackend.h"

namespace passerelle {

namespace {

bool isSupportedApi(const ProviderConfig &provider)
{
    return provider.isEcho() || provider.api == QLatin1String("openai-completions");
}

} // namespace

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

QString BackendRouter::problemWith(const QString &modelRef, const GatewayConfig &config)
{
    QString providerName, model;
    if (!splitModelRef(modelRef, &providerName, &model))
        return QStringLiteral("model reference '%1' is not provider/model").arg(modelRef);
    const ProviderConfig *provider = config.findProvider(providerName);
    if (!provider)
        return QStringLiteral("provider '%1' is not configured").arg(providerName);
    if (!isSupportedApi(*provider))
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
    const ProviderConfig *provider
        = config.findProvider(request.modelRef.section(QLatin1Char('/'), 0, 0));
    if (provider->isEcho())
        return std::make_unique<EchoBackend>(request, provider->chunkDelayMs);
    return std::make_unique<OpenAiCompletionsBackend>(request, *provider, &m_network);
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
