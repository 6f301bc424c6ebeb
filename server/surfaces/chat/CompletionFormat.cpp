#include "surfaces/chat/CompletionFormat.h"

#include "RandomId.h"

namespace passerelle {

QString CompletionFormat::newCompletionId()
{
    return QStringLiteral("chatcmpl_") + RandomId::uuid().toString(QUuid::WithoutBraces);
}

QString CompletionFormat::emptyReplyText()
{
    return QStringLiteral("No response from OpenClaw.");
}

OrderedJsonObject CompletionFormat::usageJson(const Usage &usage)
{
    return OrderedJsonObject()
        .insert(QLatin1String("prompt_tokens"), usage.promptTokens)
        .insert(QLatin1String("completion_tokens"), usage.completionTokens)
        .insert(QLatin1String("total_tokens"), usage.total());
}

// The members of `from` not named in `known`, in QJsonObject's (sorted) order.
static void appendOthers(OrderedJsonObject &to, const QJsonObject &from,
                         std::initializer_list<QLatin1String> known)
{
    for (auto it = from.begin(); it != from.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            to.insertValue(it.key(), it.value());
    }
}

OrderedJsonObject CompletionFormat::toolCallJson(const QJsonObject &call)
{
    const QLatin1String index("index"), id("id"), type("type"), function("function");
    OrderedJsonObject out;
    for (const QLatin1String key : {index, id, type}) {
        if (call.contains(key))
            out.insertValue(key, call.value(key));
    }
    if (call.contains(function)) {
        const QJsonValue fn = call.value(function);
        if (fn.isObject()) {
            const QJsonObject f = fn.toObject();
            const QLatin1String name("name"), arguments("arguments");
            OrderedJsonObject ordered;
            for (const QLatin1String key : {name, arguments}) {
                if (f.contains(key))
                    ordered.insertValue(key, f.value(key));
            }
            appendOthers(ordered, f, {name, arguments});
            out.insert(function, ordered);
        } else {
            out.insertValue(function, fn);
        }
    }
    appendOthers(out, call, {index, id, type, function});
    return out;
}

OrderedJsonObject CompletionFormat::head(const CompletionMeta &m, QLatin1String object)
{
    return OrderedJsonObject()
        .insert(QLatin1String("id"), m.id)
        .insert(QLatin1String("object"), QString(object))
        .insert(QLatin1String("created"), m.created)
        .insert(QLatin1String("model"), m.model);
}

QByteArray CompletionFormat::chunk(const CompletionMeta &m, const OrderedJsonObject &delta,
                                   const std::optional<QString> &finishReason)
{
    OrderedJsonObject choice;
    choice.insert(QLatin1String("index"), 0).insert(QLatin1String("delta"), delta);
    if (finishReason)
        choice.insert(QLatin1String("finish_reason"), *finishReason);
    else
        choice.insertNull(QLatin1String("finish_reason"));
    return head(m, QLatin1String("chat.completion.chunk"))
        .insert(QLatin1String("choices"), QList<OrderedJsonObject> {choice})
        .toJson();
}

QByteArray CompletionFormat::roleChunk(const CompletionMeta &m)
{
    return chunk(m, OrderedJsonObject().insert(QLatin1String("role"), QStringLiteral("assistant")),
                 std::nullopt);
}

QByteArray CompletionFormat::contentChunk(const CompletionMeta &m, const QString &text)
{
    return chunk(m, OrderedJsonObject().insert(QLatin1String("content"), text), std::nullopt);
}

CompletionFormat::ContentFrame CompletionFormat::contentFrame(const CompletionMeta &m)
{
    // Cut from the chunk of an empty text, so that both ways give the same bytes.
    const QByteArray whole = contentChunk(m, QString());
    static const QByteArray empty = QByteArrayLiteral("\"delta\":{\"content\":\"\"");
    const qsizetype at = whole.lastIndexOf(empty) + empty.size() - 2;
    return {whole.left(at), whole.mid(at + 2)};
}

QByteArray CompletionFormat::contentChunk(const ContentFrame &frame, const QString &text)
{
    QByteArray out;
    out.reserve(frame.before.size() + text.size() * 3 + 2 + frame.after.size());
    out += frame.before;
    OrderedJsonObject::appendString(out, text);
    out += frame.after;
    return out;
}

QByteArray CompletionFormat::toolCallChunk(const CompletionMeta &m,
                                           const QJsonObject &toolCallDelta)
{
    return chunk(m,
                 OrderedJsonObject().insert(QLatin1String("tool_calls"),
                                            QList<OrderedJsonObject> {toolCallJson(toolCallDelta)}),
                 std::nullopt);
}

QByteArray CompletionFormat::finishChunk(const CompletionMeta &m, const QString &finishReason)
{
    return chunk(m, OrderedJsonObject(), finishReason);
}

QByteArray CompletionFormat::usageChunk(const CompletionMeta &m, const Usage &usage)
{
    return head(m, QLatin1String("chat.completion.chunk"))
        .insertRaw(QLatin1String("choices"), QByteArrayLiteral("[]"))
        .insert(QLatin1String("usage"), usageJson(usage))
        .toJson();
}

QByteArray CompletionFormat::completion(const CompletionMeta &m, const QString &content,
                                        const QJsonArray &toolCalls, const QString &finishReason,
                                        const Usage &usage)
{
    OrderedJsonObject message;
    message.insert(QLatin1String("role"), QStringLiteral("assistant"))
        .insert(QLatin1String("content"), content);
    if (!toolCalls.isEmpty()) {
        QList<OrderedJsonObject> calls;
        calls.reserve(toolCalls.size());
        for (const QJsonValue &c : toolCalls)
            calls << toolCallJson(c.toObject());
        message.insert(QLatin1String("tool_calls"), calls);
    }
    OrderedJsonObject choice;
    choice.insert(QLatin1String("index"), 0)
        .insert(QLatin1String("message"), message)
        .insert(QLatin1String("finish_reason"), finishReason);
    return head(m, QLatin1String("chat.completion"))
        .insert(QLatin1String("choices"), QList<OrderedJsonObject> {choice})
        .insert(QLatin1String("usage"), usageJson(usage))
        .toJson();
}

} // namespace passerelle
