#include "engine/SessionKey.h"

#include "RandomId.h"
#include "engine/AgentResolver.h"

#include <QLatin1String>

namespace passerelle {

namespace {

// Namespaces the gateway keeps for its own runs; a client may not write into them.
bool startsWithReserved(QStringView rest, bool allowHarness)
{
    static const QLatin1String reserved[]
        = {QLatin1String("subagent:"), QLatin1String("cron:"), QLatin1String("acp:")};
    for (const QLatin1String &prefix : reserved) {
        if (rest.startsWith(prefix, Qt::CaseInsensitive))
            return true;
    }
    return allowHarness && rest.startsWith(QLatin1String("harness:"), Qt::CaseInsensitive);
}

SessionChoice failure(const QString &message)
{
    SessionChoice choice;
    choice.error = message;
    return choice;
}

} // namespace

SessionChoice SessionKey::resolve(const QString &headerKey, const QString &user,
                                  const QString &resolvedAgentId, const GatewayConfig &config)
{
    return resolve(headerKey, user, resolvedAgentId, config, QStringLiteral("openai"));
}

SessionChoice SessionKey::resolve(const QString &headerKey, const QString &user,
                                  const QString &resolvedAgentId, const GatewayConfig &config,
                                  const QString &surfaceNamespace)
{
    const QString explicitKey = headerKey.trimmed();
    if (!explicitKey.isEmpty()) {
        const QString reservedMessage = QStringLiteral(
            "`x-openclaw-session-key` cannot use reserved internal session namespaces.");
        if (startsWithReserved(explicitKey, false))
            return failure(reservedMessage);

        SessionChoice choice;
        choice.key = explicitKey;
        choice.agentId = resolvedAgentId;
        choice.stable = true;

        // "agent:<id>:<rest>" (rest non-empty) names the agent of the run, as in OpenClaw.
        const QLatin1String agentPrefix("agent:");
        if (explicitKey.startsWith(agentPrefix, Qt::CaseInsensitive)) {
            const qsizetype idEnd = explicitKey.indexOf(QLatin1Char(':'), agentPrefix.size());
            if (idEnd > agentPrefix.size() && idEnd + 1 < explicitKey.size()) {
                const QStringView rest = QStringView(explicitKey).mid(idEnd + 1);
                if (startsWithReserved(rest, true))
                    return failure(reservedMessage);
                const QString rawId
                    = explicitKey.mid(agentPrefix.size(), idEnd - agentPrefix.size());
                const QString id = rawId.toLower();
                // A malformed id can never be configured: it gets the same unknown-agent answer.
                if (!AgentResolver::isValidAgentId(rawId) || !config.findAgent(id))
                    return failure(AgentResolver::unknownAgentMessage(id));
                choice.agentId = id;
            }
        }
        return choice;
    }

    SessionChoice choice;
    choice.agentId = resolvedAgentId;
    const QString userKey = user.trimmed().toLower();
    if (!userKey.isEmpty()) {
        choice.key = QStringLiteral("agent:") + resolvedAgentId + QLatin1Char(':')
            + surfaceNamespace + QStringLiteral("-user:") + userKey;
        choice.stable = true;
    } else {
        choice.key = QStringLiteral("agent:") + resolvedAgentId + QLatin1Char(':')
            + surfaceNamespace + QLatin1Char(':') + RandomId::uuid().toString(QUuid::WithoutBraces);
        choice.stable = false;
    }
    return choice;
}

} // namespace passerelle
