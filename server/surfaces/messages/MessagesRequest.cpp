#include "surfaces/messages/MessagesRequest.h"

#include "surfaces/RequestFields.h"

namespace passerelle {

namespace {

using RF = RequestFields;

// Text blocks ({type:"text", text}) only: `system` and a tool result's content.
std::optional<QString> checkTextBlocks(const QJsonValue &value, const QString &path)
{
    return RF::checkTextParts(value, path, {QLatin1String("text")});
}

std::optional<QString> checkBlock(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return path + QStringLiteral(": expected an object");
    const QJsonObject block = value.toObject();
    if (!RF::isNonEmptyString(block.value(QLatin1String("type"))))
        return path + QStringLiteral(".type: expected a non-empty string");
    const QString type = block.value(QLatin1String("type")).toString();
    if (type == QLatin1String("text")) {
        if (!block.value(QLatin1String("text")).isString())
            return path + QStringLiteral(".text: expected a string");
    } else if (type == QLatin1String("tool_use")) {
        if (!RF::isNonEmptyString(block.value(QLatin1String("id"))))
            return path + QStringLiteral(".id: expected a non-empty string");
        if (!RF::isNonEmptyString(block.value(QLatin1String("name"))))
            return path + QStringLiteral(".name: expected a non-empty string");
        if (!block.value(QLatin1String("input")).isObject())
            return path + QStringLiteral(".input: expected an object");
    } else if (type == QLatin1String("tool_result")) {
        if (!RF::isNonEmptyString(block.value(QLatin1String("tool_use_id"))))
            return path + QStringLiteral(".tool_use_id: expected a non-empty string");
        if (RF::isSet(block, QLatin1String("content"))) {
            if (auto e = checkTextBlocks(block.value(QLatin1String("content")),
                                         path + QStringLiteral(".content")))
                return e;
        }
        if (RF::isSet(block, QLatin1String("is_error"))
            && !block.value(QLatin1String("is_error")).isBool())
            return path + QStringLiteral(".is_error: expected a boolean");
    } else if (type == QLatin1String("image") || type == QLatin1String("document")) {
        if (!block.value(QLatin1String("source")).isObject())
            return path + QStringLiteral(".source: expected an object");
    }
    // thinking, redacted_thinking and block types of newer clients carry nothing to the model.
    return std::nullopt;
}

std::optional<QString> checkMessage(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return path + QStringLiteral(": expected an object");
    const QJsonObject message = value.toObject();
    const QString role = message.value(QLatin1String("role")).toString();
    if (role != QLatin1String("user") && role != QLatin1String("assistant")
        && role != QLatin1String("system"))
        return path + QStringLiteral(".role: expected one of user, assistant, system");
    const QJsonValue content = message.value(QLatin1String("content"));
    const QString contentPath = path + QStringLiteral(".content");
    if (content.isString())
        return std::nullopt;
    if (!content.isArray())
        return contentPath + QStringLiteral(": expected a string or an array");
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        if (auto e = checkBlock(blocks.at(i), RF::indexPath(contentPath, i)))
            return e;
    }
    return std::nullopt;
}

// Client tools ({name, description?, input_schema}, no `type` or type "custom") become chat
// function tools; server tools (a `type` such as web_search_20250305, bash_20250124) are accepted
// and not sent upstream.
std::optional<QString> checkTools(const QJsonValue &value, QJsonArray *upstream)
{
    if (!value.isArray())
        return QStringLiteral("tools: expected an array");
    const QJsonArray tools = value.toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString path = RF::indexPath(QStringLiteral("tools"), i);
        if (!tools.at(i).isObject())
            return path + QStringLiteral(": expected an object");
        const QJsonObject tool = tools.at(i).toObject();
        if (RF::isSet(tool, QLatin1String("type"))) {
            if (!RF::isNonEmptyString(tool.value(QLatin1String("type"))))
                return path + QStringLiteral(".type: expected a non-empty string");
            if (tool.value(QLatin1String("type")).toString() != QLatin1String("custom"))
                continue;
        }
        if (!RF::isNonEmptyString(tool.value(QLatin1String("name"))))
            return path + QStringLiteral(".name: expected a non-empty string");
        if (RF::isSet(tool, QLatin1String("description"))
            && !tool.value(QLatin1String("description")).isString())
            return path + QStringLiteral(".description: expected a string");
        if (!tool.value(QLatin1String("input_schema")).isObject())
            return path + QStringLiteral(".input_schema: expected an object");
        QJsonObject function {{QStringLiteral("name"), tool.value(QLatin1String("name"))}};
        if (RF::isSet(tool, QLatin1String("description")))
            function.insert(QStringLiteral("description"),
                            tool.value(QLatin1String("description")));
        function.insert(QStringLiteral("parameters"), tool.value(QLatin1String("input_schema")));
        upstream->append(QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                      {QStringLiteral("function"), function}});
    }
    return std::nullopt;
}

// {type: auto|any|tool|none, name?, disable_parallel_tool_use?} -> the chat tool_choice and
// parallel_tool_calls (undefined: send none).
std::optional<QString> checkToolChoice(const QJsonValue &v, QJsonValue *choice,
                                       QJsonValue *parallel)
{
    if (!v.isObject())
        return QStringLiteral("tool_choice: expected an object");
    const QJsonObject o = v.toObject();
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("auto")) {
        *choice = QStringLiteral("auto");
    } else if (type == QLatin1String("any")) {
        *choice = QStringLiteral("required");
    } else if (type == QLatin1String("none")) {
        *choice = QStringLiteral("none");
    } else if (type == QLatin1String("tool")) {
        if (!RF::isNonEmptyString(o.value(QLatin1String("name"))))
            return QStringLiteral("tool_choice.name: expected a non-empty string");
        *choice = QJsonObject {
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject {{QStringLiteral("name"), o.value(QLatin1String("name"))}}}};
    } else {
        return QStringLiteral("tool_choice.type: expected one of auto, any, tool, none");
    }
    if (RF::isSet(o, QLatin1String("disable_parallel_tool_use"))) {
        if (!o.value(QLatin1String("disable_parallel_tool_use")).isBool())
            return QStringLiteral("tool_choice.disable_parallel_tool_use: expected a boolean");
        *parallel = !o.value(QLatin1String("disable_parallel_tool_use")).toBool();
    }
    return std::nullopt;
}

QString textOfBlocks(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    QStringList texts;
    const QJsonArray blocks = value.toArray();
    for (const auto &block : blocks) {
        const QJsonObject o = block.toObject();
        if (o.value(QLatin1String("type")).toString() == QLatin1String("text"))
            texts.append(o.value(QLatin1String("text")).toString());
    }
    return texts.join(QLatin1Char('\n'));
}

} // namespace

std::optional<QString> MessagesRequest::parse(const QByteArray &rawBody, Kind kind)
{
    *this = MessagesRequest();
    if (auto error = RF::parseObject(rawBody, &body))
        return error;
    const QJsonObject &o = body;
    const auto set = [&o](const char *key) { return RF::isSet(o, QLatin1String(key)); };
    const auto value = [&o](const char *key) { return o.value(QLatin1String(key)); };
    using T = QJsonValue::Type;

    if (!value("model").isString())
        return QStringLiteral("model: expected a string");
    model = value("model").toString();
    if (kind == Kind::Create) {
        if (!set("max_tokens"))
            return QStringLiteral("max_tokens: expected a positive integer");
        if (auto e = RF::checkPositiveInteger(o, QLatin1String("max_tokens"), &maxTokens))
            return e;
    }
    if (!value("messages").isArray())
        return QStringLiteral("messages: expected an array");
    messages = value("messages").toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (auto e = checkMessage(messages.at(i), RF::indexPath(QStringLiteral("messages"), i)))
            return e;
    }
    if (set("system")) {
        if (auto e = checkTextBlocks(value("system"), QStringLiteral("system")))
            return e;
        system = textOfBlocks(value("system"));
    }
    if (auto e = RF::checkType(o, QLatin1String("stream"), T::Bool, QLatin1String("a boolean")))
        return e;
    stream = value("stream").toBool(false);
    if (set("stop_sequences")) {
        if (!value("stop_sequences").isArray())
            return QStringLiteral("stop_sequences: expected an array of strings");
        const QJsonArray stops = value("stop_sequences").toArray();
        for (const auto &s : stops) {
            if (!s.isString())
                return QStringLiteral("stop_sequences: expected an array of strings");
            if (!s.toString().isEmpty())
                stopSequences.append(s.toString());
        }
    }
    if (auto e = RF::checkRange(o, QLatin1String("temperature"), 0, 1, QLatin1String("0"),
                                QLatin1String("1")))
        return e;
    if (auto e
        = RF::checkRange(o, QLatin1String("top_p"), 0, 1, QLatin1String("0"), QLatin1String("1")))
        return e;
    std::optional<qint64> topK;
    if (auto e = RF::checkPositiveInteger(o, QLatin1String("top_k"), &topK))
        return e;
    if (auto e = RF::checkType(o, QLatin1String("metadata"), T::Object, QLatin1String("an object")))
        return e;

    QJsonArray tools;
    if (set("tools")) {
        if (auto e = checkTools(value("tools"), &tools))
            return e;
    }
    QJsonValue choice(QJsonValue::Undefined); // Undefined: none to send
    QJsonValue parallel(QJsonValue::Undefined);
    if (set("tool_choice")) {
        if (auto e = checkToolChoice(value("tool_choice"), &choice, &parallel))
            return e;
    }

    if (set("temperature"))
        upstream.insert(QStringLiteral("temperature"), value("temperature"));
    if (set("top_p"))
        upstream.insert(QStringLiteral("top_p"), value("top_p"));
    // Tool fields only with function tools to go with them: an upstream refuses a tool_choice
    // without tools. top_k is not an OpenAI field: it stays here.
    if (!tools.isEmpty()) {
        upstream.insert(QStringLiteral("tools"), tools);
        if (!choice.isUndefined())
            upstream.insert(QStringLiteral("tool_choice"), choice);
        if (!parallel.isUndefined())
            upstream.insert(QStringLiteral("parallel_tool_calls"), parallel);
    }
    return std::nullopt;
}

} // namespace passerelle
