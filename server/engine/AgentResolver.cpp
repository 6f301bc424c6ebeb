#include "engine/AgentResolver.h"

#include <QLatin1String>

namespace passerelle {

namespace {

AgentChoice failure(const QString &message)
{
    AgentChoice choice;
    choice.error = message;
    return choice;
}

AgentChoice configured(const QString &id, const GatewayConfig &config)
{
    if (!config.findAgent(id))
        return failure(AgentResolver::unknownAgentMessage(id));
    AgentChoice choice;
    choice.agentId = id;
    return choice;
}

AgentChoice defaultChoice(const GatewayConfig &config)
{
    const AgentConfig *agent = config.defaultAgent();
    // A config without agents cannot start (startupError); say so rather than run nobody.
    if (!agent)
        return failure(AgentResolver::unknownAgentMessage(QStringLiteral("default")));
    AgentChoice choice;
    choice.agentId = agent->id;
    return choice;
}

} // namespace

bool AgentResolver::isValidAgentId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (qsizetype i = 0; i < id.size(); ++i) {
        // ASCII only: QString::toLower() would fold e.g. the Kelvin sign into 'k'.
        if (id.at(i).unicode() > 0x7f)
            return false;
        const QChar c = id.at(i).toLower();
        const bool alnum = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (alnum)
            continue;
        if (i > 0 && (c == QLatin1Char('_') || c == QLatin1Char('-')))
            continue;
        return false;
    }
    return true;
}

QString AgentResolver::unknownAgentMessage(const QString &id)
{
    return QStringLiteral("Unknown agent '") + id + QStringLiteral("'.");
}

bool AgentResolver::globMatches(const QString &pattern, const QString &name)
{
    // Iterative wildcard match with one backtrack point: linear in practice, never exponential.
    qsizetype p = 0;
    qsizetype n = 0;
    qsizetype star = -1;
    qsizetype resume = 0;
    const auto same = [](QChar a, QChar b) { return a.toCaseFolded() == b.toCaseFolded(); };
    while (n < name.size()) {
        if (p < pattern.size() && pattern.at(p) == QLatin1Char('*')) {
            star = p++;
            resume = n;
        } else if (p < pattern.size() && same(pattern.at(p), name.at(n))) {
            ++p;
            ++n;
        } else if (star >= 0) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

QString AgentResolver::aliasTarget(const QString &model, const QMap<QString, QString> &aliases)
{
    QString best;
    qsizetype bestLiterals = -1;
    for (auto it = aliases.cbegin(); it != aliases.cend(); ++it) {
        if (!globMatches(it.key(), model))
            continue;
        const qsizetype literals = it.key().size() - it.key().count(QLatin1Char('*'));
        const qsizetype rank = it.key().contains(QLatin1Char('*')) ? literals : literals + 1000000;
        if (rank > bestLiterals) {
            bestLiterals = rank;
            best = it.value().trimmed();
        }
    }
    return best;
}

AgentChoice AgentResolver::resolve(const QString &headerAgentId, const QString &model,
                                   const GatewayConfig &config)
{
    const QString header = headerAgentId.trimmed();
    if (!header.isEmpty()) {
        if (!isValidAgentId(header))
            return failure(QStringLiteral("Invalid `x-openclaw-agent-id` header."));
        return configured(header.toLower(), config);
    }

    const QString m = model.trimmed();
    if (m.isEmpty() || m.compare(QLatin1String("openclaw"), Qt::CaseInsensitive) == 0
        || m.compare(QLatin1String("openclaw/default"), Qt::CaseInsensitive) == 0)
        return defaultChoice(config);

    static const QLatin1String prefixes[]
        = {QLatin1String("openclaw:"), QLatin1String("openclaw/"), QLatin1String("agent:")};
    for (const QLatin1String &prefix : prefixes) {
        if (!m.startsWith(prefix, Qt::CaseInsensitive))
            continue;
        const QString id = m.mid(prefix.size());
        if (isValidAgentId(id))
            return configured(id.toLower(), config);
        break;
    }
    // SPEC 15: any other name may be an alias ("claude-*" -> main), on every surface.
    const QString aliased = aliasTarget(m, config.modelAliases);
    if (!aliased.isEmpty()) {
        if (!isValidAgentId(aliased))
            return failure(unknownAgentMessage(aliased));
        return configured(aliased.toLower(), config);
    }
    return failure(QStringLiteral("Invalid `model`. Use `openclaw` or `openclaw/<agentId>`."));
}

} // namespace passerelle
