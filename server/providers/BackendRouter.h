#pragma once

// The BackendFactory of the server thread: resolves "provider/model" against models.providers and
// creates the run of one attempt through the provider type's factory (ProviderRegistry); the run
// engine builds the model chain from such attempts and never learns which backend answers. Owns the
// UpstreamPool (the keep-alive connections to upstreams) and the RunPacer. Server thread.

#include "providers/Backend.h"

#include "providers/RunPacer.h"
#include "providers/UpstreamPool.h"

namespace passerelle {

class BackendRouter final : public BackendFactory
{
public:
    BackendRouter();
    ~BackendRouter() override;
    BackendRouter(const BackendRouter &) = delete;
    BackendRouter &operator=(const BackendRouter &) = delete;

    std::unique_ptr<BackendRun> create(const BackendRequest &request, const GatewayConfig &config,
                                       QString *error) override;

    // Why a model reference cannot run with this config ("" when it can).
    static QString problemWith(const QString &modelRef, const GatewayConfig &config);

private:
    UpstreamPool m_pool;
    RunPacer m_pacer;
};

} // namespace passerelle
