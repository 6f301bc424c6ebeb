#pragma once

// Picks the agent of a run (SPEC.md section 6): header x-openclaw-agent-id (alias
// x-openclaw-agent), then `model`, then the default agent. A `model` that is none of section 6's
// forms is looked up in passerelle.modelAliases (SPEC.md section 15), for every surface. Pure, any
// thread.

#include "config/GatewayConfig.h"

#include <QString>

namespace passerelle {

struct AgentChoice
{
    QString agentId; // lower-cased id of a configured agent; "" on error
    QString error; // exact 400 message; "" on success
};

class AgentResolver
{
public:
    static bool isValidAgentId(const QString &id); // [a-z0-9][a-z0-9_-]{0,63} after lower-casing
    static AgentChoice resolve(const QString &headerAgentId, const QString &model,
                               const GatewayConfig &config);
    // "Unknown agent '<id>'." for an id that is well-formed but not configured.
    static QString unknownAgentMessage(const QString &id);
    // Whether a model name matches an alias pattern: `*` matches any run of characters (none
    // included), everything else itself, case-insensitively.
    static bool globMatches(const QString &pattern, const QString &name);
    // The agent id an alias gives a model name ("" when none matches). An exact pattern wins,
    // then the one with the most literal characters, then the first in key order.
    static QString aliasTarget(const QString &model, const QMap<QString, QString> &aliases);
};

} // namespace passerelle
