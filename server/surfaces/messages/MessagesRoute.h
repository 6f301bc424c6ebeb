#pragma once

// POST /v1/messages and POST /v1/messages/count_tokens (SPEC.md section 15, the Anthropic Messages
// API) as an adapter over the run engine: their route declarations (the Messages switch and body
// limit, the credential as x-api-key or Authorization: Bearer, errors in Anthropic's shape), the
// handler that validates a body, routes its run (agent - model aliases included -, session - the
// anthropic namespace, stateless unless the session-key header names one -, scope), maps its
// blocks to chat messages, builds the prompt (section 4's) and hands the run to the engine with a
// MessagesAnswer; and the token count (the echo provider's count of the system text and the built
// prompt: an estimate). Server thread.

#include "http/HttpRoute.h"

namespace passerelle {

class RunEngine;
class StreamTicker;
struct BuiltPrompt;

class MessagesRoute
{
public:
    static HttpRoute create(RunEngine *engine, StreamTicker *ticker); // POST /v1/messages
    static HttpRoute countTokens(RunEngine *engine); // POST /v1/messages/count_tokens

    static void handleCreate(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker);
    static void handleCountTokens(HttpExchange &exchange, RunEngine *engine);

    // The credential a Messages client sends: x-api-key (as a bearer value), else Authorization.
    static QByteArray credential(const RequestView &request);
    // Whitespace-separated words of the agent's and the request's system text and of the prompt.
    static qint64 estimateInputTokens(const GatewayConfig &config, const QString &agentId,
                                      const BuiltPrompt &prompt);
};

} // namespace passerelle
