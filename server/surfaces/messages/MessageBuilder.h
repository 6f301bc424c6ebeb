#pragma once

// The Anthropic wire objects of one run (SPEC.md section 15): builds the content blocks as the
// run's deltas arrive (a text block per stretch of text, a tool_use block per tool call) and the
// message, and, with a sink, writes the streamed events in their exact order: message_start (the
// message with empty content, usage with input_tokens) and a ping (begin); per block
// content_block_start, content_block_delta (text_delta / input_json_delta)...,
// content_block_stop; then message_delta (stop reason, stop sequence, output tokens) and
// message_stop (finish), or an error event (fail). The same builder answers a non-streaming
// request (no sink), so both carry the same blocks. Pure, any thread.

#include "engine/RunRequest.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace passerelle {

// The fields of a message that come from its request.
struct MessageMeta
{
    QString id; // "msg_<24 alphanumerics>"
    QString model; // the request's model, verbatim
    qint64 inputTokens = 0; // the estimate message_start carries (the count_tokens count)
};

class MessageBuilder
{
public:
    // One event: its type (the SSE event name) and its compact JSON (with that type).
    using Sink = std::function<void(const QByteArray &type, const QByteArray &json)>;

    explicit MessageBuilder(MessageMeta meta, Sink sink = {});

    // "<prefix>_<24 alphanumerics>" ("msg", "toolu").
    static QString newId(const QString &prefix);
    // Where the tool-use ids come from (newId by default; tests make them predictable).
    void setIdGenerator(std::function<QString(const QString &prefix)> generator)
    {
        m_newId = std::move(generator);
    }
    // A run's end as Anthropic's stop reason: end_turn, max_tokens, tool_use, or stop_sequence
    // when the run knows which of the request's stop sequences ended the reply.
    static QString stopReason(const RunResult &result);
    // That stop sequence for `stop_sequence`, else null.
    static QJsonValue stopSequence(const RunResult &result);
    // The error event's type for a failure after the headers: overloaded_error for an upstream
    // 503 or a full queue, else api_error.
    static QString streamErrorType(const RunFailure &failure);

    void begin(); // message_start, ping
    void content(const QString &delta);
    void toolCall(const QJsonObject &delta); // an OpenAI tool-call delta {index, id?, function}
    // The whole message of a finished run (the empty reply's text block added); the same object
    // every time it is asked for.
    QJsonObject finalMessage(const RunResult &result);
    // Closes the open block and writes message_delta and message_stop.
    void finish(const RunResult &result);
    void fail(const RunFailure &failure); // event: error
    void ping();

private:
    struct Block
    {
        bool toolUse = false;
        int toolIndex = -1; // the upstream tool-call index
        QString id; // toolu_...
        QString name;
        QString text; // text, or the tool's JSON arguments
        bool started = false; // content_block_start went out
        bool stopped = false;
    };

    void emitEvent(const QString &type, QJsonObject payload);
    void start(int index);
    void stop(int index);
    void stopOpen();
    QJsonObject blockJson(const Block &block, bool done) const;
    QJsonObject message(const QJsonArray &content, const QJsonValue &stopReason,
                        const QJsonValue &stopSequence, const QJsonObject &usage) const;

    MessageMeta m_meta;
    Sink m_sink;
    std::function<QString(const QString &prefix)> m_newId = &MessageBuilder::newId;
    QList<Block> m_blocks;
    bool m_ended = false;
    bool m_failed = false;
    QJsonObject m_final;
};

} // namespace passerelle
