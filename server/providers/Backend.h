#pragma once

// The model-backend interface every provider implements (SPEC.md section 9). A run is a QObject
// on the server thread: start() returns at once, results arrive as signals. The route code only
// ever sees BackendRun, never which provider answers.

#include "config/GatewayConfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace passerelle {

// One message of earlier conversation sent before the new prompt: a session transcript's user or
// assistant text, or a stored response's turn, which may also hold tool calls and their results.
struct ChatTurn
{
    ChatTurn() = default;
    ChatTurn(QString role_, QString content_, QJsonArray toolCalls_ = {}, QString toolCallId_ = {})
        : role(std::move(role_)), content(std::move(content_)), toolCalls(std::move(toolCalls_)),
          toolCallId(std::move(toolCallId_))
    {
    }

    QString role; // "user", "assistant" or "tool"
    QString content;
    QJsonArray toolCalls; // assistant: [{id, type:"function", function:{name, arguments}}]
    QString toolCallId; // tool: the call this answers

    bool operator==(const ChatTurn &o) const
    {
        return role == o.role && content == o.content && toolCalls == o.toolCalls
            && toolCallId == o.toolCallId;
    }
};

struct BackendRequest
{
    QString runId;
    QString agentId;
    QString modelRef; // "provider/model" of this attempt
    QString systemPrompt; // agent systemPrompt + request system/developer text ("\n\n")
    QList<ChatTurn> history; // earlier turns of a stable session, oldest first
    QString prompt; // the built prompt of SPEC section 4
    QJsonArray clientMessages; // the request's own `messages`, for providers that relay tool turns
    std::optional<qint64> maxTokens;
    QStringList stop;
    QJsonObject passthrough; // sampling fields, response_format, tools, tool_choice (validated)

    // The agent's own system prompt, then the request's system/developer text, joined by "\n\n".
    static QString composeSystemPrompt(const QString &agentPrompt, const QString &requestPrompt)
    {
        if (agentPrompt.isEmpty() || requestPrompt.isEmpty())
            return agentPrompt.isEmpty() ? requestPrompt : agentPrompt;
        return agentPrompt + QStringLiteral("\n\n") + requestPrompt;
    }
};

struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    bool known = false;
    qint64 total() const { return promptTokens + completionTokens; }
};

struct BackendError
{
    enum class Kind {
        Unreachable, // connection refused, DNS, TLS, other upstream 5xx  -> 502
        Overloaded, // upstream 503                                      -> 503
        Timeout, // connect / first byte / idle                       -> 504
        Unauthorized, // upstream 401                                      -> 401
        Forbidden, // upstream 403                                      -> 403
        RateLimited, // upstream 429                                      -> 429
        BadRequest, // upstream 400 (message and code kept)              -> 400
        Busy, // the provider's admission queue is full (SPEC 12)  -> 503
        Internal, // anything else                                     -> 500
    };
    Kind kind = Kind::Internal;
    QString message; // upstream message (BadRequest) or a diagnostic for logs (never a secret)
    QString code; // upstream error code (BadRequest)
    int upstreamStatus = 0;
};

class BackendRun : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackendRun)

public:
    using QObject::QObject;
    ~BackendRun() override = default;

    virtual void start() = 0;
    // Stops at once (closes any upstream connection); no signal is emitted afterwards.
    virtual void abort() = 0;
    // Flow control (SPEC.md section 14, slow readers): while paused, the run produces nothing and
    // reads nothing more from its upstream; its deadlines do not run. resume() carries on where it
    // stopped. Providers that cannot pause ignore it.
    virtual void setPaused(bool paused) { Q_UNUSED(paused); }
    // True once any content or tool-call delta was emitted (fallbacks are only tried before).
    bool hasOutput() const { return m_hasOutput; }
    // The stop sequence (one of the request's `stop`) that ended the reply, when the model says
    // which; set before finished("stop") is emitted. "" otherwise.
    const QString &stopSequence() const { return m_stopSequence; }

signals:
    void contentDelta(const QString &text);
    // One OpenAI tool-call delta: {"index":n, "id"?, "type"?, "function":{"name"?, "arguments"?}}
    void toolCallDelta(const QJsonObject &delta);
    // Exactly one of finished / failed, once.
    void finished(const QString &finishReason, const passerelle::Usage &usage);
    void failed(const passerelle::BackendError &error);

protected:
    void markOutput() { m_hasOutput = true; }
    void setStopSequence(const QString &sequence) { m_stopSequence = sequence; }
    // Relays an inner run's content and tool-call deltas as this run's own (a wrapping run: the
    // model chain, an attempt behind admission).
    void relayDeltas(BackendRun *inner)
    {
        connect(inner, &BackendRun::contentDelta, this, [this](const QString &text) {
            markOutput();
            emit contentDelta(text);
        });
        connect(inner, &BackendRun::toolCallDelta, this, [this](const QJsonObject &delta) {
            markOutput();
            emit toolCallDelta(delta);
        });
    }

private:
    bool m_hasOutput = false;
    QString m_stopSequence;
};

// Creates runs for a model reference. One per server thread; owns the upstream connections.
class BackendFactory
{
public:
    virtual ~BackendFactory() = default;
    // Returns nullptr with *error set when the provider of request.modelRef is not configured.
    virtual std::unique_ptr<BackendRun> create(const BackendRequest &request,
                                               const GatewayConfig &config, QString *error)
        = 0;
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::Usage)
Q_DECLARE_METATYPE(passerelle::BackendError)
