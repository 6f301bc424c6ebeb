#pragma once

// POST /v1/chat/completions (SPEC.md section 4) as an adapter over the run engine: its route
// declaration, and the handler that validates the body (steps 4-8 of the pipeline; the route
// table ran 1-3), routes the run (agent, session, scope), builds the prompt and hands the run to
// the engine with a ChatCompletionsStream to answer it. A body of kInlineBodyBytes or more is
// parsed and its prompt built on a pool thread (SPEC.md section 14). Server thread.

#include "http/HttpRoute.h"

namespace passerelle {

class RunEngine;
class StreamTicker;
struct ParsedChat;

class ChatCompletionsRoute
{
public:
    static constexpr qsizetype kInlineBodyBytes = 256 * 1024;

    static HttpRoute route(RunEngine *engine, StreamTicker *ticker);
    static void handle(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker);

private:
    static void proceed(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                        ParsedChat parsed);
};

} // namespace passerelle
