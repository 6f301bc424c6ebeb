#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>
#include <QUuid>

namespace passerelle {

QString CompletionFormat::newCompletionId()
{
    return QStringLiteral("chatcmpl_") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString CompletionFormat::emptyReplyText()
{
    return QStringLiteral("No response from OpenClaw.");
}

QJsonObject CompletionFormat::usageJson(const Usage &usage)
{
    return {{QStringLiteral("prompt_tokens"), usage.promptTokens},
            {QStringLiteral("completion_tokens"), usage.completionTokens},
            {QStringLiteral("total_tokens"), usage.total()}};
}

QByteArray CompletionFormat::chunk(const CompletionMeta &m, const QJsonArray &choices,
                                   const QJsonObject &extra)
{
    QJsonObject o {{QStringLiteral("id"), m.id},
                   {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                   {QStringLiteral("created"), m.created},
                   {QStringLiteral("model"), m.model},
                   {QStringLiteral("choices"), choices}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

static QJsonArray oneChoice(const QJsonObject &delta, const QJsonValue &finishReason)
{
    return {QJsonObject {{QStringLiteral("index"), 0},
                         {QStringLiteral("delta"), delta},
                         {QStringLiteral("finish_reason"), finishReason}}};
}

QByteArray CompletionFormat::roleChunk(const CompletionMeta &m)
{
    return chunk(
        m, oneChoice({{QStringLiteral("role"), QStringLiteral("assistant")}}, QJsonValue::Null));
}

QByteArray CompletionFormat::jsonString(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 8);
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (uchar(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(uchar(c) >> 4) & 0xf];
                out += hex[uchar(c) & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

QByteArray CompletionFormat::contentChunk(const CompletionMeta &m, const QString &text)
{
    // The hot path of every stream (one per delta): built directly, byte for byte what the
    // generic QJsonObject path writes (keys in sorted order), without the intermediate objects.
    QByteArray out;
    out.reserve(160 + text.size() * 2 + m.id.size() + m.model.size());
    out += R"({"choices":[{"delta":{"content":)";
    out += jsonString(text);
    out += R"(},"finish_reason":null,"index":0}],"created":)";
    out += QByteArray::number(m.created);
    out += R"(,"id":)";
    out += jsonString(m.id);
    out += R"(,"model":)";
    out += jsonString(m.model);
    out += R"(,"object":"chat.completion.chunk"})";
    return out;
}

QByteArray CompletionFormat::toolCallChunk(const CompletionMeta &m,
                                           const QJsonObject &toolCallDelta)
{
    return chunk(
        m,
        oneChoice({{QStringLiteral("tool_calls"), QJsonArray {toolCallDelta}}}, QJsonValue::Null));
}

QByteArray CompletionFormat::finishChunk(const CompletionMeta &m, const QString &finishReason)
{
    return chunk(m, oneChoice(QJsonObject {}, finishReason));
}

QByteArray CompletionFormat::usageChunk(const CompletionMeta &m, const Usage &usage)
{
    return chunk(m, QJsonArray {}, {{QStringLiteral("usage"), usageJson(usage)}});
}

QJsonObject CompletionFormat::completion(const CompletionMeta &m, const QString &content,
                                         const QJsonArray &toolCalls, const QString &finishReason,
                                         const Usage &usage)
{
    QJsonObject message {{QStringLiteral("role"), QStringLiteral("assistant")},
                         {QStringLiteral("content"), content}};
    if (!toolCalls.isEmpty())
        message.insert(QStringLiteral("tool_calls"), toolCalls);
    return {{QStringLiteral("id"), m.id},
            {QStringLiteral("object"), QStringLiteral("chat.completion")},
            {QStringLiteral("created"), m.created},
            {QStringLiteral("model"), m.model},
            {QStringLiteral("choices"),
             QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                      {QStringLiteral("message"), message},
                                      {QStringLiteral("finish_reason"), finishReason}}}},
            {QStringLiteral("usage"), usageJson(usage)}};
}

} // namespace passerelle
