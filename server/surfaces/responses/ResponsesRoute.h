#pragma once

// POST /v1/responses and GET / DELETE /v1/responses/{id} (SPEC.md section 11) as an adapter over
// the run engine and the session store: their route declarations (the Responses switch and body
// limit), the handler that validates a request body, routes its run (agent, session - the
// openresponses namespace -, scope), maps its input items to chat messages and builds the prompt
// (section 4's) and hands the run to the engine with a ResponsesAnswer; and the handlers that
// read or remove a stored response within the caller's scope. Server thread.

#include "http/HttpRoute.h"

namespace passerelle {

class RunEngine;
class StreamTicker;

class ResponsesRoute
{
public:
    static HttpRoute create(RunEngine *engine, StreamTicker *ticker); // POST /v1/responses
    static HttpRoute stored(RunEngine *engine); // GET, DELETE /v1/responses/{id}

    static void handleCreate(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker);
    static void handleStored(HttpExchange &exchange, RunEngine *engine);
};

} // namespace passerelle
