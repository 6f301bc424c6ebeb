#include "engine/RunRouting.h"

#include "engine/AgentResolver.h"
#include "engine/SessionKey.h"

namespace passerelle {

std::optional<ApiError> RunRouting::resolve(const RoutingInput &input, const GatewayConfig &config,
                                            const AuthResult &caller, RunRoute *out)
{
    const AgentChoice agent = AgentResolver::resolve(input.agentHeader, input.model, config);
    if (!agent.error.isEmpty())
        return ApiError::invalidRequest(agent.error);
    const SessionChoice session = SessionKey::resolve(
        input.sessionHeader, input.user, agent.agentId, config, input.surfaceNamespace);
    if (!session.error.isEmpty())
        return ApiError::invalidRequest(session.error);
    if (!caller.mayUseAgent(session.agentId))
        return ApiError::forbiddenAgent(session.agentId);
    out->agentId = session.agentId;
    out->sessionKey = session.key;
    out->stable = session.stable;
    return std::nullopt;
}

RunRequest RunRouting::request(Surface surface, const QString &runId, const RunRoute &route,
                               const BuiltPrompt &prompt)
{
    RunRequest run;
    run.surface = surface;
    run.runId = runId;
    run.agentId = route.agentId;
    run.sessionKey = route.sessionKey;
    run.stableSession = route.stable;
    run.prompt = prompt.prompt;
    run.extraSystemPrompt = prompt.extraSystemPrompt;
    return run;
}

} // namespace passerelle
