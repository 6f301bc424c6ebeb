#pragma once

// The OpenAI chat-completion wire objects (SPEC.md section 4): the chunks of a stream in their
// order, and the non-streaming completion. Pure functions, any thread.

#include "engine/ToolCallAccumulator.h"
#include "providers/Backend.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

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
    static QJsonObject usageJson(const Usage &usage);
    static QByteArray roleChunk(const CompletionMeta &m);
    static QByteArray contentChunk(const CompletionMeta &m, const QString &text);
    static QByteArray toolCallChunk(const CompletionMeta &m, const QJsonObject &toolCallDelta);
    static QByteArray finishChunk(const CompletionMeta &m, const QString &finishReason);
    static QByteArray usageChunk(const CompletionMeta &m, const Usage &usage);
    static QJsonObject completion(const CompletionMeta &m, const QString &content,
                                  const QJsonArray &toolCalls, const QString &finishReason,
                                  const Usage &usage);
    static QString emptyReplyText(); // "No response from OpenClaw."
    // A JSON string literal (quotes included), escaped as QJsonDocument escapes it.
    static QByteArray jsonString(const QString &text);

private:
    static QByteArray chunk(const CompletionMeta &m, const QJsonArray &choices,
                            const QJsonObject &extra = {});
};

} // namespace passerelle
