#include "surfaces/chat/ModelList.h"

#include <QJsonArray>

namespace passerelle {

QStringList ModelList::ids(const GatewayConfig &config)
{
    QStringList out {QStringLiteral("openclaw"), QStringLiteral("openclaw/default")};
    for (const AgentConfig &a : config.agents)
        out.append(QStringLiteral("openclaw/") + a.id);
    return out;
}

QJsonObject ModelList::entry(const QString &id)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("object"), QStringLiteral("model")},
            {QStringLiteral("created"), 0},
            {QStringLiteral("owned_by"), QStringLiteral("openclaw")}};
}

QJsonObject ModelList::list(const GatewayConfig &config)
{
    QJsonArray data;
    const QStringList all = ids(config);
    for (const QString &id : all)
        data.append(entry(id));
    return {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
}

std::optional<QJsonObject> ModelList::find(const GatewayConfig &config, const QString &id)
{
    if (!ids(config).contains(id))
        return std::nullopt;
    return entry(id);
}

} // namespace passerelle
