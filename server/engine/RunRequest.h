#pragma once

// The values that cross between a surface (an HTTP route or a WebSocket method) and the run
// engine: what a surface asks for once it has parsed its wire format (RunRequest) and how the run
// ended (RunResult, RunFailure). No sockets and no wire formats here. Plain values, any thread.

#include "auth/Authenticator.h"
#include "http/ApiError.h"
#include "log/RequestLog.h"
#include "providers/Backend.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace passerelle {

// The wire API a run came in through. Its name labels the request log and the metrics.
enum class Surface { ChatCompletions, Responses, Messages, WebSocket };
QString surfaceName(Surface surface); // "chat", "responses", "messages", "ws"

struct RunRequest
{
    Surface surface = Surface::ChatCompletions;
    QString runId; // the surface's id of this run (chatcmpl_..., resp_..., ws run id)
    QString agentId; // a configured agent
    QString sessionKey;
    bool stableSession = false; // the transcript is kept: history goes upstream, the turn is saved
    QString prompt; // the built prompt (SPEC section 4); the transcript's user text
    QString extraSystemPrompt; // the request's own system text, joined after the agent's
    QJsonArray messages; // the conversation in OpenAI chat form (tool turns are relayed)
    std::optional<qint64> maxTokens;
    QStringList stop;
    // Validated fields forwarded upstream as they are: temperature, top_p, frequency_penalty,
    // presence_penalty, seed, response_format, tools, tool_choice, parallel_tool_calls, ...
    QJsonObject sampling;
    AuthResult caller; // the credential's identity (scopes, token name)
    // Stored responses (SPEC section 11). previousResponseId set: the history is the chain of
    // stored responses ending at it (made by `caller` for this agent; else the run is refused with
    // ApiError::previousResponseNotFound), instead of a transcript unless stableSession, and the
    // run continues that response's session. storeResponse: the run's response is stored (its
    // turns from `messages` and the reply, `storedInput`, the observer's runStoredBody()) durably
    // before the end is reported.
    QString previousResponseId;
    bool storeResponse = false;
    QByteArray storedInput; // the surface's JSON of the request's input
    // The status line goes out before the outcome is known (an HTTP stream): a failure is logged
    // with that status (200) and the error message, once the observer heard runReady().
    bool statusSentFirst = false;
    RequestRecord record; // the log row's request facts: transport, client, method, path...
};

// A run that ended with an answer.
struct RunResult
{
    QString finishReason; // "stop", "length" or "tool_calls"
    QString stopSequence; // with "stop": the stop sequence that ended the reply, if known
    Usage usage;
    QString text; // the whole reply text
    QJsonArray toolCalls; // [{id, type:"function", function:{name, arguments}}]

    bool isEmpty() const { return text.isEmpty() && toolCalls.isEmpty(); }
};

// A run that ended without one, or was refused before it started.
struct RunFailure
{
    BackendError::Kind kind = BackendError::Kind::Internal;
    ApiError error; // status, type and message of SPEC section 4 (OpenAI shape)
    int retryAfterSeconds = 0; // > 0: a Retry-After to send (a full admission queue)
};

} // namespace passerelle
