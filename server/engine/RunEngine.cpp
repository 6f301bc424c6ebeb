#include "engine/RunEngine.h"

#include "Logging.h"
#include "engine/AgentResolver.h"
#include "engine/AgentRun.h"
#include "engine/ProviderGate.h"
#include "providers/BackendRouter.h"
#include "store/SessionStore.h"

namespace passerelle {

QString surfaceName(Surface surface)
{
    switch (surface) {
    case Surface::ChatCompletions:
        return QStringLiteral("chat");
    case Surface::Responses:
        return QStringLiteral("responses");
    case Surface::Messages:
        return QStringLiteral("messages");
    case Surface::WebSocket:
        return QStringLiteral("ws");
    }
    return QStringLiteral("chat");
}

const char *runOutcomeName(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
        return "ok";
    case RunOutcome::Error:
        return "error";
    case RunOutcome::Busy:
        return "busy";
    case RunOutcome::Aborted:
        return "aborted";
    }
    return "error";
}

RunEngine::RunEngine(BackendRouter *backends, RequestLog *log, QObject *parent)
    : QObject(parent), m_backends(backends), m_log(log)
{
    qRegisterMetaType<passerelle::ProviderLoad>();
    qRegisterMetaType<QList<passerelle::ProviderLoad>>();
    m_loadTimer.setSingleShot(true);
    m_loadTimer.setInterval(100);
    connect(&m_loadTimer, &QTimer::timeout, this,
            [this] { emit providerLoadChanged(providerLoads()); });
}

RunEngine::~RunEngine()
{
    // The runs use this engine and its gates while they go: end them while both are whole.
    const QList<AgentRun *> runs = findChildren<AgentRun *>(Qt::FindDirectChildrenOnly);
    for (AgentRun *run : runs)
        delete run;
}

void RunEngine::setConfig(const GatewayConfig &config)
{
    m_config = config;
    for (auto it = m_gates.begin(); it != m_gates.end(); ++it) {
        const ProviderConfig *provider = m_config.findProvider(it.key());
        if (provider)
            it.value()->setLimits(provider->maxConcurrent, provider->maxQueue);
        else
            it.value()->setLimits(0, 0); // removed: its running runs finish, nothing waits
    }
}

std::shared_ptr<ProviderGate> RunEngine::gateFor(const QString &provider)
{
    auto it = m_gates.find(provider);
    if (it == m_gates.end()) {
        auto gate = std::make_shared<ProviderGate>(provider);
        if (const ProviderConfig *p = m_config.findProvider(provider))
            gate->setLimits(p->maxConcurrent, p->maxQueue);
        gate->setOnChange([this] { loadChanged(); });
        it = m_gates.insert(provider, gate);
    }
    return it.value();
}

void RunEngine::loadChanged()
{
    if (!m_loadTimer.isActive())
        m_loadTimer.start();
}

void RunEngine::attemptFailed(const QString &agentId, const QString &modelRef,
                              const BackendError &error, bool fallingBack) const
{
    for (RunListener *listener : m_listeners)
        listener->attemptFailed(agentId, modelRef, error, fallingBack);
}

void RunEngine::runEnded(const RunEnd &end) const
{
    for (RunListener *listener : m_listeners)
        listener->runEnded(end);
}

QList<ProviderLoad> RunEngine::providerLoads() const
{
    QList<ProviderLoad> out;
    for (auto it = m_config.providers.cbegin(); it != m_config.providers.cend(); ++it) {
        ProviderLoad load;
        load.provider = it.key();
        load.maxConcurrent = it.value().maxConcurrent;
        load.maxQueue = it.value().maxQueue;
        if (const auto gate = m_gates.value(it.key())) {
            load.running = gate->running();
            load.queued = gate->queued();
        }
        out.append(load);
    }
    return out;
}

int RunEngine::activeRuns() const
{
    int n = 0;
    const QList<AgentRun *> runs = findChildren<AgentRun *>(Qt::FindDirectChildrenOnly);
    for (const AgentRun *run : runs)
        n += run->isDone() ? 0 : 1;
    return n;
}

RunEngine::Start RunEngine::start(RunRequest request, RunObserver *observer)
{
    const auto refuse = [](const ApiError &error) {
        Start start;
        start.refused = RunFailure {BackendError::Kind::Internal, error, 0};
        return start;
    };
    const AgentConfig *agent = m_config.findAgent(request.agentId);
    if (!agent)
        return refuse(
            ApiError::invalidRequest(AgentResolver::unknownAgentMessage(request.agentId)));
    if (!request.caller.mayUseAgent(agent->id))
        return refuse(ApiError::forbiddenAgent(agent->id));
    // A chain none of whose models can run is a configuration error, answered before any output;
    // otherwise an unusable entry simply fails its attempt and the chain moves on.
    QString firstProblem;
    bool anyUsable = false;
    const QStringList chain = agent->modelChain();
    for (const QString &ref : chain) {
        const QString problem = BackendRouter::problemWith(ref, m_config);
        if (problem.isEmpty())
            anyUsable = true;
        else if (firstProblem.isEmpty())
            firstProblem = problem;
    }
    if (!anyUsable) {
        qCWarning(lcUpstream).noquote()
            << "agent" << agent->id << ":"
            << (firstProblem.isEmpty() ? QStringLiteral("no model") : firstProblem);
        return refuse(ApiError::internal());
    }
    // While the store is down: a run continuing a stored response cannot start; one keeping a
    // conversation cannot on a store other gateways share (SessionStore::isShared); a stateless
    // one can. (A read that fails later fails the run the same way, from AgentRun; a write that
    // fails after the answer is logged, and the answer delivered.)
    const bool readsChain = !request.previousResponseId.isEmpty();
    const bool keepsState = request.stableSession || request.storeResponse;
    if (m_store && m_store->state() == SessionStore::State::Unavailable
        && (readsChain || (keepsState && m_store->isShared()))) {
        qCWarning(lcSessions).noquote()
            << "run refused, the session store is down:" << m_store->unavailableReason();
        return refuse(ApiError::storeUnavailable());
    }
    auto *run = new AgentRun(this, std::move(request), observer);
    if (observer)
        observer->runCreated(run);
    run->begin(*agent);
    Start start;
    start.run = run;
    return start;
}

} // namespace passerelle
