#pragma once

// One attempt against an "openai-completions" provider (SPEC.md sections 4 and 9): the OpenAI chat
// wire format over an UpstreamExchange. Sends stream:true to <baseUrl>/chat/completions and turns
// each chunk (or a plain JSON answer) into content and tool-call deltas, usage and a finish reason;
// error objects and HTTP statuses become BackendError kinds. Server thread.
//
// What goes upstream as `messages`: the system prompt (agent + client system/developer text), the
// stored turns (a session's, or a stored response chain's with its tool calls and tool results),
// then the current turn. A plain chat sends the built prompt of SPEC section
// 4 as one user message (so the model sees what OpenClaw would send). A tool turn - the request
// carries `tools`, or the client's current entry is a tool result - needs structured messages
// instead: the client's own messages are relayed from its last `user` message on (every message
// when no stored history is sent, as a stateless client carries the whole conversation), keeping
// assistant `tool_calls` and `role:"tool"` with `tool_call_id` (`function` becomes `tool`), and
// dropping system/developer entries, whose text is already in the system prompt.

#include "config/GatewayConfig.h"
#include "providers/Backend.h"
#include "providers/SseParser.h"
#include "providers/UpstreamExchange.h"

#include <QElapsedTimer>
#include <QHash>
#include <QUrl>

namespace passerelle {

class OpenAiCompletionsBackend final : public BackendRun
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenAiCompletionsBackend)

public:
    OpenAiCompletionsBackend(const BackendRequest &request, const ProviderConfig &provider,
                             UpstreamPool *pool, QObject *parent = nullptr);
    ~OpenAiCompletionsBackend() override;

    void start() override;
    void abort() override;
    // Pauses reading the upstream (SPEC.md section 14, slow readers).
    void setPaused(bool paused) override;

    // The upstream request body for a request (exposed for tests and logs; never holds the key).
    static QJsonObject requestBody(const BackendRequest &request);
    static QJsonArray upstreamMessages(const BackendRequest &request);
    static QUrl endpointUrl(const QString &baseUrl);
    // "provider/model" -> "model" (the model id itself may hold further slashes).
    static QString upstreamModel(const QString &modelRef);
    // The error kind an upstream HTTP status maps to (SPEC section 4).
    static BackendError::Kind kindForStatus(int status);

private:
    void onEvent(const SseParser::Item &event);
    void onStreamEnded(const QString &cut);
    void onHttpError(int status, const QByteArray &body);
    void handleChunk(const QJsonObject &chunk);
    void handleCompleteJson(const QByteArray &body);
    // Relays the content and tool calls of a stream's delta or a complete answer's message; false
    // when the run ended meanwhile (a receiver may abort it from inside a signal).
    bool relayParts(const QJsonObject &part, bool complete);
    // A choice that ended with finish_reason: the stop sequence it names, if one of ours.
    void noteStopSequence(const QJsonObject &choice);
    void emitToolCallDeltas(const QJsonArray &toolCalls, bool complete);
    void succeed();
    void fail(BackendError::Kind kind, const QString &diagnostic, const QString &code = {});
    void failFromErrorObject(const QJsonObject &error, int status);

    BackendRequest m_request;
    ProviderConfig m_provider;
    UpstreamExchange m_exchange;
    QElapsedTimer m_clock;
    bool m_started = false;
    bool m_done = false;
    QString m_finishReason;
    Usage m_usage;
    QHash<QString, int> m_toolIndexById; // for upstreams that omit tool_calls[].index
    int m_nextToolIndex = 0;
    int m_lastToolIndex = -1;
};

} // namespace passerelle
