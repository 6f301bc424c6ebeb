#pragma once

// Who runs a request of an HTTP surface (SPEC.md sections 5 to 7), in that order: the agent
// (the agent header, then `model`, then the default agent), the session (the session-key header,
// whose agent:<id>: prefix wins, else `user`, else a fresh key of the surface's namespace), and
// the credential's agent scope (403). Every HTTP surface routes its runs through here, so they
// agree on every rule and message. Pure, any thread.

#include "auth/Authenticator.h"
#include "config/GatewayConfig.h"
#include "engine/PromptBuilder.h"
#include "engine/RunRequest.h"
#include "http/ApiError.h"

#include <QString>

#include <optional>

namespace passerelle {

struct RoutingInput
{
    QString agentHeader; // x-openclaw-agent-id (or its alias)
    QString model; // the request's `model`
    QString sessionHeader; // x-openclaw-session-key
    QString user; // the request's `user`
    QString surfaceNamespace; // of derived session keys: "openai", "openresponses", ...
};

struct RunRoute
{
    QString agentId;
    QString sessionKey;
    bool stable = false; // a transcript is kept
};

class RunRouting
{
public:
    // The route, or the 400/403 error to answer.
    static std::optional<ApiError> resolve(const RoutingInput &input, const GatewayConfig &config,
                                           const AuthResult &caller, RunRoute *out);
    // The run of a routed request: what every HTTP surface fills the same way (the surface, the
    // run id, the agent and session of the route, the built prompt); the surface adds the rest.
    static RunRequest request(Surface surface, const QString &runId, const RunRoute &route,
                              const BuiltPrompt &prompt);
};

} // namespace passerelle
