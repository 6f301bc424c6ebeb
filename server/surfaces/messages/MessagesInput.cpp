#include "surfaces/messages/MessagesInput.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace passerelle {

namespace {

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

// A tool result's content: a string, or its text blocks joined by "\n".
QString resultText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList texts;
    const QJsonArray blocks = content.toArray();
    for (const auto &value : blocks) {
        const QJsonObject block = value.toObject();
        if (block.value(QLatin1String("type")).toString() == QLatin1String("text"))
            texts.append(block.value(QLatin1String("text")).toString());
    }
    return texts.join(QLatin1Char('\n'));
}

// {type:"image", source:{type:"base64", media_type, data}} or {source:{type:"url", url}}.
QString imageUrl(const QJsonObject &block)
{
    const QJsonObject source = block.value(QLatin1String("source")).toObject();
    const QString type = source.value(QLatin1String("type")).toString();
    if (type == QLatin1String("url"))
        return source.value(QLatin1String("url")).toString();
    if (type == QLatin1String("base64"))
        return QStringLiteral("data:") + source.value(QLatin1String("media_type")).toString()
            + QStringLiteral(";base64,") + source.value(QLatin1String("data")).toString();
    return {};
}

// The user's text and images gathered since the last tool result, as one chat user message:
// a plain string when it is text only (what every upstream template reads), else parts.
class UserParts
{
public:
    void text(const QString &t)
    {
        m_texts.append(t);
        m_parts.append(QJsonObject {{str("type"), str("text")}, {str("text"), t}});
    }
    void image(const QString &url)
    {
        m_images = true;
        m_parts.append(QJsonObject {{str("type"), str("image_url")},
                                    {str("image_url"), QJsonObject {{str("url"), url}}}});
    }
    void flushInto(QJsonArray *out)
    {
        if (m_parts.isEmpty())
            return;
        out->append(QJsonObject {
            {str("role"), str("user")},
            {str("content"),
             m_images ? QJsonValue(m_parts) : QJsonValue(m_texts.join(QLatin1Char('\n')))}});
        *this = UserParts();
    }

private:
    QStringList m_texts;
    QJsonArray m_parts;
    bool m_images = false;
};

void appendUser(const QJsonValue &content, QJsonArray *out)
{
    if (content.isString()) {
        out->append(QJsonObject {{str("role"), str("user")}, {str("content"), content}});
        return;
    }
    UserParts parts;
    const QJsonArray blocks = content.toArray();
    for (const auto &value : blocks) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            parts.text(block.value(QLatin1String("text")).toString());
        } else if (type == QLatin1String("image")) {
            const QString url = imageUrl(block);
            if (!url.isEmpty())
                parts.image(url);
        } else if (type == QLatin1String("tool_result")) {
            // Results answer the assistant's calls: they come before what the user says next.
            parts.flushInto(out);
            out->append(
                QJsonObject {{str("role"), str("tool")},
                             {str("tool_call_id"), block.value(QLatin1String("tool_use_id"))},
                             {str("content"), resultText(block.value(QLatin1String("content")))}});
        }
    }
    parts.flushInto(out);
}

void appendAssistant(const QJsonValue &content, QJsonArray *out)
{
    if (content.isString()) {
        out->append(QJsonObject {{str("role"), str("assistant")}, {str("content"), content}});
        return;
    }
    QStringList texts;
    QJsonArray calls;
    const QJsonArray blocks = content.toArray();
    for (const auto &value : blocks) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            texts.append(block.value(QLatin1String("text")).toString());
        } else if (type == QLatin1String("tool_use")) {
            const QByteArray arguments
                = QJsonDocument(block.value(QLatin1String("input")).toObject())
                      .toJson(QJsonDocument::Compact);
            calls.append(
                QJsonObject {{str("id"), block.value(QLatin1String("id"))},
                             {str("type"), str("function")},
                             {str("function"),
                              QJsonObject {{str("name"), block.value(QLatin1String("name"))},
                                           {str("arguments"), QString::fromUtf8(arguments)}}}});
        }
    }
    QJsonObject message {{str("role"), str("assistant")},
                         {str("content"), texts.join(QLatin1Char('\n'))}};
    if (!calls.isEmpty())
        message.insert(str("tool_calls"), calls);
    out->append(message);
}

} // namespace

QJsonArray MessagesInput::chatMessages(const QString &system, const QJsonArray &messages)
{
    QJsonArray out;
    if (!system.trimmed().isEmpty())
        out.append(QJsonObject {{str("role"), str("system")}, {str("content"), system}});
    for (const auto &value : messages) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        const QJsonValue content = message.value(QLatin1String("content"));
        if (role == QLatin1String("user")) {
            appendUser(content, &out);
        } else if (role == QLatin1String("assistant")) {
            appendAssistant(content, &out);
        } else if (role == QLatin1String("system")) {
            const QString text = resultText(content);
            if (!text.trimmed().isEmpty())
                out.append(QJsonObject {{str("role"), str("system")}, {str("content"), text}});
        }
    }
    return out;
}

} // namespace passerelle
