#include "surfaces/responses/ResponsesInput.h"

#include "engine/PromptBuilder.h"

#include <QJsonObject>
#include <QStringList>

namespace passerelle {

namespace {

// Parts become chat parts: text as {type:"text"}, images as image_url; a message of text parts
// only becomes a plain string (what every upstream template reads).
QJsonValue chatContent(const QJsonValue &content)
{
    if (!content.isArray())
        return content.isString() ? content : QJsonValue(QString());
    QJsonArray parts;
    QStringList texts;
    bool onlyText = true;
    const QJsonArray array = content.toArray();
    for (const auto &value : array) {
        const QJsonObject part = value.toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        if (type == QLatin1String("input_text") || type == QLatin1String("output_text")
            || type == QLatin1String("text")) {
            const QString text = part.value(QLatin1String("text")).toString();
            texts.append(text);
            parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                      {QStringLiteral("text"), text}});
        } else if (type == QLatin1String("input_image")
                   && part.value(QLatin1String("image_url")).isString()) {
            onlyText = false;
            parts.append(QJsonObject {
                {QStringLiteral("type"), QStringLiteral("image_url")},
                {QStringLiteral("image_url"),
                 QJsonObject {{QStringLiteral("url"), part.value(QLatin1String("image_url"))}}}});
        }
    }
    if (onlyText)
        return texts.join(QLatin1Char('\n'));
    return parts;
}

} // namespace

QJsonArray ResponsesInput::messages(const QString &instructions, bool hasInstructions,
                                    const QJsonArray &items)
{
    QJsonArray out;
    if (hasInstructions && !instructions.trimmed().isEmpty())
        out.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("system")},
                                {QStringLiteral("content"), instructions}});
    for (const auto &value : items) {
        const QJsonObject item = value.toObject();
        const QString type = item.value(QLatin1String("type")).toString(QStringLiteral("message"));
        if (type == QLatin1String("message")) {
            out.append(QJsonObject {
                {QStringLiteral("role"), item.value(QLatin1String("role"))},
                {QStringLiteral("content"), chatContent(item.value(QLatin1String("content")))}});
        } else if (type == QLatin1String("function_call")) {
            const QJsonObject call {
                {QStringLiteral("id"), item.value(QLatin1String("call_id"))},
                {QStringLiteral("type"), QStringLiteral("function")},
                {QStringLiteral("function"),
                 QJsonObject {
                     {QStringLiteral("name"), item.value(QLatin1String("name"))},
                     {QStringLiteral("arguments"), item.value(QLatin1String("arguments"))}}}};
            // Calls made together, and the text said with them, are one assistant message.
            QJsonObject last = out.isEmpty() ? QJsonObject() : out.last().toObject();
            if (last.value(QLatin1String("role")).toString() == QLatin1String("assistant")) {
                QJsonArray calls = last.value(QLatin1String("tool_calls")).toArray();
                calls.append(call);
                last.insert(QStringLiteral("tool_calls"), calls);
                out.replace(out.size() - 1, last);
            } else {
                out.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")},
                                        {QStringLiteral("content"), QString()},
                                        {QStringLiteral("tool_calls"), QJsonArray {call}}});
            }
        } else if (type == QLatin1String("function_call_output")) {
            const QJsonValue output = chatContent(item.value(QLatin1String("output")));
            out.append(QJsonObject {
                {QStringLiteral("role"), QStringLiteral("tool")},
                {QStringLiteral("tool_call_id"), item.value(QLatin1String("call_id"))},
                {QStringLiteral("content"),
                 output.isString() ? output : QJsonValue(PromptBuilder::contentText(output))}});
        }
    }
    return out;
}

bool ResponsesInput::hasCurrentTurn(const QJsonArray &messages)
{
    for (const auto &value : messages) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        if ((role == QLatin1String("user") || role == QLatin1String("tool"))
            && !PromptBuilder::contentText(message.value(QLatin1String("content"))).isEmpty())
            return true;
    }
    return false;
}

} // namespace passerelle
