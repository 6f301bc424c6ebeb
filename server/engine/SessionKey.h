#pragma once

// Derives the session key of a run (SPEC.md section 7) from x-openclaw-session-key, `user`, or a
// fresh uuid. Pure, any thread.

#include "config/GatewayConfig.h"

#include <QString>

namespace passerelle {

struct SessionChoice
{
    QString key;
    QString agentId; // the run's agent (the key's agent:<id>: prefix wins over the resolved one)
    bool stable = false; // header or user: the transcript is kept
    QString error; // exact 400 message; "" on success
};

class SessionKey
{
public:
    // resolvedAgentId: the agent from AgentResolver. headerKey: the raw header value (may be
    // empty).
    static SessionChoice resolve(const QString &headerKey, const QString &user,
                                 const QString &resolvedAgentId, const GatewayConfig &config);
    // The same with the surface's own namespace for derived keys: "openai" (chat completions,
    // above: agent:<id>:openai-user:<user>, agent:<id>:openai:<uuid>), "openresponses", ...
    static SessionChoice resolve(const QString &headerKey, const QString &user,
                                 const QString &resolvedAgentId, const GatewayConfig &config,
                                 const QString &surfaceNamespace);
};

} // namespace passerelle
