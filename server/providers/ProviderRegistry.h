#pragma once

// The provider types (SPEC.md section 9), each declared once: its `api` name, a translatable label,
// its config keys (rows of the config-key table bound to ProviderConfig fields, with the panel's
// editor metadata), its startup validation and the factory of its runs. Built once on first use
// and immutable afterwards: any thread may read it.
//
// Adding a provider type takes:
//   1. its BackendRun subclass in server/providers/ (the wire format);
//   2. ProviderConfig fields for the keys of its own, if it has any (config/GatewayConfig.h);
//   3. one entry in ProviderRegistry's constructor (ProviderRegistry.cpp): api, label, keys with
//      their editors, validation, factory.
// Nothing else in the code: the config reader and writer, defaults, equality, startup checks,
// BackendRouter and the provider dialog follow the registry. tests/tst_configkeys then asks for
// the new keys' rows in README.md and the French of the new texts in translations/.

#include "config/ConfigKeys.h"
#include "config/GatewayConfig.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace passerelle {

class BackendRun;
class RunPacer;
class UpstreamPool;
struct BackendRequest;

// What the server thread lends the runs it creates: its keep-alive upstream connections and the
// one timer that paces every paced run.
struct ProviderServices
{
    UpstreamPool *pool = nullptr;
    RunPacer *pacer = nullptr;
};

struct ProviderType
{
    using Factory = std::function<std::unique_ptr<BackendRun>(
        const BackendRequest &, const ProviderConfig &, const ProviderServices &)>;
    // "" when a provider of this type can run; else one message naming the key (keyPrefix is
    // "models.providers.<name>.").
    using Validator = std::function<QString(const ProviderConfig &, const QString &keyPrefix)>;

    QString api;
    const char *label = nullptr; // QT_TRANSLATE_NOOP("ProviderType", ...)
    ConfigKeyTable<ProviderConfig> keys; // its own keys, in reading and editing order
    Validator validate; // may be empty
    Factory create;
};

class ProviderRegistry final
{
public:
    static const ProviderRegistry &instance();

    const QList<ProviderType> &types() const { return m_types; }
    const ProviderType *find(const QString &api) const;
    const ProviderType &defaultType() const { return m_types.first(); } // an entry without `api`
    // The built-in provider, always in the config, is named after its type ("echo").
    const ProviderType &builtinType() const;
    QString builtinProviderName() const { return builtinType().api; }
    // `"openai-completions" or "echo"`, for messages.
    QString expectedApis() const;

    // The `api` key, which selects the type.
    const ConfigKey<ProviderConfig> &apiKey() const { return m_api; }
    // The keys every type has besides `api`: admission (maxConcurrent, maxQueue).
    const ConfigKeyTable<ProviderConfig> &commonKeys() const { return m_common; }
    // Every key of a provider of this type: `api`, its own keys, the admission keys.
    ConfigKeyTable<ProviderConfig> keysOf(const ProviderType &type) const;
    // Every key of every type (the defaults and the equality of ProviderConfig).
    const ConfigKeyTable<ProviderConfig> &allKeys() const { return m_all; }

    // A provider entry before it is read: every default, and the built-in's own type for it.
    ProviderConfig defaultsFor(const QString &name) const;
    // Reads `api` (checked against the registered names), then the keys of that type and the
    // common ones.
    void read(const ConfigReader &entry, ProviderConfig &provider) const;
    void write(QJsonObject &entry, const ProviderConfig &provider) const;
    // Bounds of the provider's keys ("" when all are within).
    QString check(const ProviderConfig &provider, const QString &keyPrefix) const;

private:
    ProviderRegistry();
    Q_DISABLE_COPY_MOVE(ProviderRegistry)

    QList<ProviderType> m_types;
    ConfigKey<ProviderConfig> m_api;
    ConfigKeyTable<ProviderConfig> m_common;
    ConfigKeyTable<ProviderConfig> m_all;
};

} // namespace passerelle
