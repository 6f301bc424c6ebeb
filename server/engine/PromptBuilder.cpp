#include "engine/PromptBuilder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace passerelle {

namespace {

enum class Role { User, Assistant, Tool };

struct Entry
{
    Role role = Role::User;
    QString sender;
    QString body;
};

// `function.arguments` is a JSON-encoded string in OpenAI's format; a client that sends an object
// instead gets it written compactly rather than dropped.
QString argumentsText(const QJsonValue &arguments)
{
    if (arguments.isString())
        return arguments.toString();
    if (arguments.isObject())
        return QString::fromUtf8(
            QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
    if (arguments.isArray())
        return QString::fromUtf8(QJsonDocument(arguments.toArray()).toJson(QJsonDocument::Compact));
    return QString();
}

QStringList toolCallLines(const QJsonValue &toolCalls)
{
    QStringList lines;
    const QJsonArray calls = toolCalls.toArray();
    for (const auto &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonValue id = call.value(QLatin1String("id"));
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        const QJsonValue name = function.value(QLatin1String("name"));
        if (!id.isString() || id.toString().isEmpty() || !name.isString()
            || name.toString().isEmpty())
            continue;
        lines.append(QStringLiteral("tool_call id=") + id.toString() + QStringLiteral(" name=")
                     + name.toString() + QStringLiteral(" arguments=")
                     + argumentsText(function.value(QLatin1String("arguments"))));
    }
    return lines;
}

} // namespace

QString PromptBuilder::contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString().trimmed();
    if (!content.isArray())
        return QString();
    QStringList parts;
    const QJsonArray array = content.toArray();
    for (const auto &value : array) {
        const QJsonObject part = value.toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        if (type != QLatin1String("text") && type != QLatin1String("input_text"))
            continue;
        const QString text = part.value(QLatin1String("text")).toString();
        if (!text.isEmpty())
            parts.append(text);
    }
    return parts.join(QLatin1Char('\n')).trimmed();
}

QList<ChatTurn> PromptBuilder::conversationTurns(const QJsonArray &messages)
{
    QList<ChatTurn> turns;
    for (const auto &value : messages) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString().trimmed();
        const QString text = contentText(message.value(QLatin1String("content")));
        if (role == QLatin1String("user")) {
            turns.append(ChatTurn {role, text});
        } else if (role == QLatin1String("assistant")) {
            turns.append(
                ChatTurn {role, text, message.value(QLatin1String("tool_calls")).toArray()});
        } else if (role == QLatin1String("tool") || role == QLatin1String("function")) {
            turns.append(ChatTurn {QStringLiteral("tool"),
                                   text,
                                   {},
                                   message.value(QLatin1String("tool_call_id")).toString()});
        }
    }
    return turns;
}

BuiltPrompt PromptBuilder::build(const QJsonArray &messages)
{
    BuiltPrompt result;
    QStringList systemParts;
    QList<Entry> entries;

    for (const auto &value : messages) {
        if (!value.isObject())
            continue;
        const QJsonObject message = value.toObject();
        const QJsonValue roleValue = message.value(QLatin1String("role"));
        if (!roleValue.isString())
            continue;
        const QString role = roleValue.toString().trimmed();
        const QString text = contentText(message.value(QLatin1String("content")));

        if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            if (!text.isEmpty())
                systemParts.append(text);
            continue;
        }

        Entry entry;
        entry.body = text;
        if (role == QLatin1String("user")) {
            entry.role = Role::User;
            entry.sender = QStringLiteral("User");
        } else if (role == QLatin1String("assistant")) {
            entry.role = Role::Assistant;
            entry.sender = QStringLiteral("Assistant");
            QStringList lines = toolCallLines(message.value(QLatin1String("tool_calls")));
            if (!lines.isEmpty()) {
                if (!entry.body.isEmpty())
                    lines.prepend(entry.body);
                entry.body = lines.join(QLatin1Char('\n'));
            }
        } else if (role == QLatin1String("tool") || role == QLatin1String("function")) {
            entry.role = Role::Tool;
            const QString callId
                = message.value(QLatin1String("tool_call_id")).toString().trimmed();
            entry.sender
                = callId.isEmpty() ? QStringLiteral("Tool") : QStringLiteral("Tool:") + callId;
        } else {
            continue;
        }
        if (entry.body.isEmpty())
            continue;
        entries.append(entry);
    }

    result.extraSystemPrompt = systemParts.join(QStringLiteral("\n\n"));
    if (entries.isEmpty())
        return result;

    qsizetype current = entries.size() - 1;
    for (qsizetype i = entries.size() - 1; i >= 0; --i) {
        if (entries.at(i).role == Role::User || entries.at(i).role == Role::Tool) {
            current = i;
            break;
        }
    }

    const auto line
        = [](const Entry &e) -> QString { return e.sender + QStringLiteral(": ") + e.body; };
    const Entry &turn = entries.at(current);
    if (current == 0) {
        result.prompt = turn.role == Role::Tool ? line(turn) : turn.body;
        return result;
    }

    QStringList history;
    for (qsizetype i = 0; i < current; ++i)
        history.append(line(entries.at(i)));
    result.prompt = QStringLiteral("[Chat messages since your last reply - for context]\n")
        + history.join(QLatin1Char('\n'))
        + QStringLiteral("\n\n[Current message - respond to this]\n") + line(turn);
    return result;
}

} // namespace passerelle
