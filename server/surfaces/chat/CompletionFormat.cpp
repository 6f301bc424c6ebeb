#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>
#include <QUuid>

namespace passerelle {

void ToolCallAccumulator::add(const QJsonObject &delta)
{
    const int index = delta.value(QStringLiteral("index")).toInt(int(m_calls.size()));
    QJsonObject &call = m_calls[index];
    const QString id = delta.value(QStringLiteral("id")).toString();
    if (!id.isEmpty())
        call.insert(QStringLiteral("id"), id);
    call.insert(QStringLiteral("type"), QStringLiteral("function"));
    const QJsonObject fn = delta.value(QStringLiteral("function")).toObject();
    QJsonObject merged = call.value(QStringLiteral("function")).toObject();
    const QString name = fn.value(QStringLiteral("name")).toString();
    if (!name.isEmpty())
        merged.insert(QStringLiteral("name"),
                      QString(merged.value(QStringLiteral("name")).toString() + name));
    merged.insert(QStringLiteral("arguments"),
                  QString(merged.value(QStringLiteral("arguments")).toString()
                          + fn.value(QStringLiteral("arguments")).toString()));
    call.insert(QStringLiteral("function"), merged);
}

QJsonArray ToolCallAccumulator::toolCalls() const
{
    QJsonArray out;
    for (const QJsonObject &c : m_calls)
        out.append(c);
    return out;
}

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
