#pragma once

// The bodies of GET /v1/models and /v1/models/{id} (SPEC.md section 3): `openclaw`,
// `openclaw/default` and `openclaw/<agentId>` for each configured agent. Pure, any thread.

#include "config/GatewayConfig.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace passerelle {

class ModelList
{
public:
    static QStringList ids(const GatewayConfig &config);
    static QJsonObject list(const GatewayConfig &config);
    static std::optional<QJsonObject> find(const GatewayConfig &config, const QString &id);
    static QJsonObject entry(const QString &id);
};

} // namespace passerelle
