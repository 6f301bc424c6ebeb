#pragma once

// GET /v1/models and /v1/models/{id} (SPEC.md section 3): the agents as OpenAI models, behind the
// chat-completions switch and the gateway's credential. Server thread.

#include "http/HttpRoute.h"

namespace passerelle {

class RunEngine;

class ModelsRoute
{
public:
    static HttpRoute route(const RunEngine *engine);
};

} // namespace passerelle
