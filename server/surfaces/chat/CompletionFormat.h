#pragma once

// The OpenAI chat-completion wire objects (SPEC.md section 4): the chunks of a stream in their
// order, and the non-streaming completion, as compact JSON with OpenAI's key order (id, object,
// created, model, choices, usage; in a choice: index, delta or message, finish_reason; in a tool
// call: index, id, type, function). Pure functions, any thread.

#include "engine/ToolCallAccumulator.h"
#include "providers/Backend.h"
#include "json/OrderedJsonObject.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace passerelle {

struct CompletionMeta
{
    QString id; // "chatcmpl_<uuid>"
    qint64 created = 0;
    QString model; // the request's model, verbatim
};

class CompletionFormat
{
public:
    static QString newCompletionId();
    static OrderedJsonObject usageJson(const Usage &usage);
    // A tool call (or a streamed piece of one) in OpenAI's key order; keys beyond the known ones
    // follow, sorted.
    static OrderedJsonObject toolCallJson(const QJsonObject &call);
    static QByteArray roleChunk(const CompletionMeta &m);
    static QByteArray contentChunk(const CompletionMeta &m, const QString &text);
    // A stream's content chunks are the same bytes around their text: made once per stream, then
    // each chunk is one string written between them (the hot path of every stream).
    struct ContentFrame
    {
        QByteArray before; // ... "delta":{"content":
        QByteArray after; // },"finish_reason":null}]}
    };
    static ContentFrame contentFrame(const CompletionMeta &m);
    static QByteArray contentChunk(const ContentFrame &frame, const QString &text);
    static QByteArray toolCallChunk(const CompletionMeta &m, const QJsonObject &toolCallDelta);
    static QByteArray finishChunk(const CompletionMeta &m, const QString &finishReason);
    static QByteArray usageChunk(const CompletionMeta &m, const Usage &usage);
    static QByteArray completion(const CompletionMeta &m, const QString &content,
                                 const QJsonArray &toolCalls, const QString &finishReason,
                                 const Usage &usage);
    static QString emptyReplyText(); // "No response from OpenClaw."

private:
    static OrderedJsonObject head(const CompletionMeta &m, QLatin1String object);
    static QByteArray chunk(const CompletionMeta &m, const OrderedJsonObject &delta,
                            const std::optional<QString> &finishReason); // none: null
};

} // namespace passerelle
