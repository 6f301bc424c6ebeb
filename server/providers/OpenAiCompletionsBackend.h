#pragma once

// One attempt against an "openai-completions" provider (SPEC.md sections 4 and 9): POSTs
// <baseUrl>/chat/completions with stream:true and relays each upstream delta the moment it is
// parsed; a plain application/json answer works too. Upstream failures become BackendError kinds,
// with connect / first-event / idle timeouts from the provider config. Server thread; the
// QNetworkAccessManager is the thread's, passed in.
//
// What goes upstream as `messages`: the system prompt (agent + client system/developer text), the
// stored session turns, then the current turn. A plain chat sends the built prompt of SPEC section
// 4 as one user message (so the model sees what OpenClaw would send). A tool turn - the request
// carries `tools`, or the client's current entry is a tool result - needs structured messages
// instead: the client's own messages are relayed from its last `user` message on (every message
// when no stored history is sent, as a stateless client carries the whole conversation), keeping
// assistant `tool_calls` and `role:"tool"` with `tool_call_id` (`function` becomes `tool`), and
// dropping system/developer entries, whose text is already in the system prompt.

#include "config/GatewayConfig.h"
#include "providers/Backend.h"
#include "providers/SseParser.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

namespace passerelle {

class OpenAiCompletionsBackend final : public BackendRun
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenAiCompletionsBackend)

public:
    OpenAiCompletionsBackend(const BackendRequest &request, const ProviderConfig &provider,
                             QNetworkAccessManager *network, QObject *parent = nullptr);
    ~OpenAiCompletionsBackend() override;

    void start() override;
    void abort() override;

    // The upstream request body for a request (exposed for tests and logs; never holds the key).
    static QJsonObject requestBody(const BackendRequest &request);
    static QJsonArray upstreamMessages(const BackendRequest &request);
    static QUrl endpointUrl(const QString &baseUrl);
    // "provider/model" -> "model" (the model id itself may hold further slashes).
    static QString upstreamModel(const QString &modelRef);
    // The error kind an upstream HTTP status maps to (SPEC section 4).
    static BackendError::Kind kindForStatus(int status);

private:
    enum class Phase { Idle, Connecting, WaitingFirstEvent, Streaming, Done };
    enum class BodyMode { Unknown, Sse, Json, Error };

    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void onTimeout();
    void handleSseItems(const QList<SseParser::Item> &items);
    void handleChunk(const QJsonObject &chunk);
    void handleCompleteJson(const QByteArray &body);
    void emitToolCallDeltas(const QJsonArray &toolCalls, bool complete);
    void noteActivity();
    void enterPhase(Phase phase);
    void succeed();
    void fail(BackendError::Kind kind, const QString &diagnostic, const QString &code = {});
    void failFromErrorObject(const QJsonObject &error, int status);
    void closeReply();
    QString scrub(QString text) const;
    QString where() const;

    BackendRequest m_request;
    ProviderConfig m_provider;
    QPointer<QNetworkAccessManager> m_network;
    QNetworkReply *m_reply = nullptr; // owned; deleted with deleteLater once finished or aborted
    QUrl m_url;
    Phase m_phase = Phase::Idle;
    BodyMode m_mode = BodyMode::Unknown;
    int m_status = 0;
    SseParser m_sse;
    QByteArray m_body; // a JSON answer or an error body, bounded
    QTimer m_timer; // the deadline of the current phase
    QElapsedTimer m_clock;
    QString m_finishReason;
    Usage m_usage;
    bool m_sawEvent = false;
    QHash<QString, int> m_toolIndexById; // for upstreams that omit tool_calls[].index
    int m_nextToolIndex = 0;
    int m_lastToolIndex = -1;
};

} // namespace passerelle
