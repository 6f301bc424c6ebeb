#include "surfaces/chat/ChatRequest.h"

#include "surfaces/RequestFields.h"

namespace passerelle {

namespace {

using RF = RequestFields;
bool isSet(const QJsonObject &o, QLatin1String key)
{
    return RF::isSet(o, key);
}

std::optional<QString> checkStop(const QJsonObject &o, QStringList *stop)
{
    if (!isSet(o, QLatin1String("stop")))
        return std::nullopt;
    const QString message
        = QStringLiteral("stop: expected a string or an array of up to 4 non-empty strings");
    const QJsonValue v = o.value(QLatin1String("stop"));
    if (v.isString()) {
        // A lone "" means "no stop sequence" (some clients send it by default).
        if (!v.toString().isEmpty())
            stop->append(v.toString());
        return std::nullopt;
    }
    if (!v.isArray() || v.toArray().size() > 4)
        return message;
    for (const auto &item : v.toArray()) {
        if (!item.isString() || item.toString().isEmpty())
            return message;
        stop->append(item.toString());
    }
    return std::nullopt;
}

std::optional<QString> checkResponseFormat(const QJsonObject &o)
{
    if (!isSet(o, QLatin1String("response_format")))
        return std::nullopt;
    const QJsonValue v = o.value(QLatin1String("response_format"));
    if (!v.isObject())
        return QStringLiteral("response_format: expected an object");
    const QString type = v.toObject().value(QLatin1String("type")).toString();
    if (type != QLatin1String("text") && type != QLatin1String("json_object")
        && type != QLatin1String("json_schema"))
        return QStringLiteral(
            "response_format.type: expected one of text, json_object, json_schema");
    return std::nullopt;
}

std::optional<QString> checkTools(const QJsonObject &o)
{
    if (!isSet(o, QLatin1String("tools")))
        return std::nullopt;
    const QJsonValue v = o.value(QLatin1String("tools"));
    if (!v.isArray())
        return QStringLiteral("tools: expected an array");
    const QJsonArray tools = v.toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString at = QStringLiteral("tools[") + QString::number(i) + QStringLiteral("]");
        if (!tools.at(i).isObject())
            return at + QStringLiteral(": expected an object");
        const QJsonObject tool = tools.at(i).toObject();
        if (tool.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return at + QStringLiteral(".type: expected \"function\"");
        const QJsonValue function = tool.value(QLatin1String("function"));
        if (!function.isObject())
            return at + QStringLiteral(".function: expected an object");
        const QJsonObject fn = function.toObject();
        if (!RF::isNonEmptyString(fn.value(QLatin1String("name"))))
            return at + QStringLiteral(".function.name: expected a non-empty string");
        if (isSet(fn, QLatin1String("parameters"))
            && !fn.value(QLatin1String("parameters")).isObject())
            return at + QStringLiteral(".function.parameters: expected an object");
    }
    return std::nullopt;
}

std::optional<QString> checkToolChoice(const QJsonObject &o)
{
    if (!isSet(o, QLatin1String("tool_choice")))
        return std::nullopt;
    const QJsonValue v = o.value(QLatin1String("tool_choice"));
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("none") || s == QLatin1String("auto")
            || s == QLatin1String("required"))
            return std::nullopt;
        return QStringLiteral("tool_choice: expected one of none, auto, required");
    }
    if (!v.isObject())
        return QStringLiteral("tool_choice: expected a string or an object");
    const QJsonObject choice = v.toObject();
    if (choice.value(QLatin1String("type")).toString() != QLatin1String("function"))
        return QStringLiteral("tool_choice.type: expected \"function\"");
    const QJsonValue function = choice.value(QLatin1String("function"));
    if (!function.isObject()
        || !RF::isNonEmptyString(function.toObject().value(QLatin1String("name"))))
        return QStringLiteral("tool_choice.function.name: expected a non-empty string");
    return std::nullopt;
}

} // namespace

std::optional<QString> ChatRequest::parse(const QByteArray &rawBody)
{
    *this = ChatRequest();

    if (auto error = RF::parseObject(rawBody, &body))
        return error;
    const QJsonObject &o = body;

    if (isSet(o, QLatin1String("model"))) {
        if (!o.value(QLatin1String("model")).isString())
            return QStringLiteral("model: expected a string");
        model = o.value(QLatin1String("model")).toString();
    }
    if (isSet(o, QLatin1String("messages"))) {
        if (!o.value(QLatin1String("messages")).isArray())
            return QStringLiteral("messages: expected an array");
        messages = o.value(QLatin1String("messages")).toArray();
    }
    if (isSet(o, QLatin1String("stream"))) {
        if (!o.value(QLatin1String("stream")).isBool())
            return QStringLiteral("stream: expected a boolean");
        stream = o.value(QLatin1String("stream")).toBool();
    }
    if (isSet(o, QLatin1String("stream_options"))) {
        const QJsonValue v = o.value(QLatin1String("stream_options"));
        if (!v.isObject())
            return QStringLiteral("stream_options: expected an object");
        const QJsonObject options = v.toObject();
        if (isSet(options, QLatin1String("include_usage"))) {
            if (!options.value(QLatin1String("include_usage")).isBool())
                return QStringLiteral("stream_options.include_usage: expected a boolean");
            includeUsage = options.value(QLatin1String("include_usage")).toBool();
        }
    }
    if (isSet(o, QLatin1String("user"))) {
        if (!o.value(QLatin1String("user")).isString())
            return QStringLiteral("user: expected a string");
        user = o.value(QLatin1String("user")).toString();
    }

    std::optional<qint64> legacyMax;
    std::optional<qint64> completionMax;
    if (auto e = RF::checkPositiveInteger(o, QLatin1String("max_tokens"), &legacyMax))
        return e;
    if (auto e
        = RF::checkPositiveInteger(o, QLatin1String("max_completion_tokens"), &completionMax))
        return e;
    maxTokens = completionMax ? completionMax : legacyMax;

    if (auto e = RF::checkRange(o, QLatin1String("temperature"), 0, 2, QLatin1String("0"),
                                QLatin1String("2")))
        return e;
    if (auto e
        = RF::checkRange(o, QLatin1String("top_p"), 0, 1, QLatin1String("0"), QLatin1String("1")))
        return e;
    if (auto e = RF::checkRange(o, QLatin1String("frequency_penalty"), -2, 2, QLatin1String("-2"),
                                QLatin1String("2")))
        return e;
    if (auto e = RF::checkRange(o, QLatin1String("presence_penalty"), -2, 2, QLatin1String("-2"),
                                QLatin1String("2")))
        return e;
    if (isSet(o, QLatin1String("seed")) && !RF::integerOf(o.value(QLatin1String("seed"))))
        return QStringLiteral("seed: expected an integer");
    if (auto e = checkStop(o, &stop))
        return e;
    if (auto e = checkResponseFormat(o))
        return e;
    if (auto e = checkTools(o))
        return e;
    if (auto e = checkToolChoice(o))
        return e;
    if (isSet(o, QLatin1String("parallel_tool_calls"))
        && !o.value(QLatin1String("parallel_tool_calls")).isBool())
        return QStringLiteral("parallel_tool_calls: expected a boolean");
    if (isSet(o, QLatin1String("logit_bias")) && !o.value(QLatin1String("logit_bias")).isObject())
        return QStringLiteral("logit_bias: expected an object");

    static const char *const forwarded[] = {
        "temperature",     "top_p", "frequency_penalty", "presence_penalty",    "seed",
        "response_format", "tools", "tool_choice",       "parallel_tool_calls", "logit_bias",
    };
    for (const char *key : forwarded) {
        const QLatin1String name(key);
        if (isSet(o, name))
            passthrough.insert(name, o.value(name));
    }
    return std::nullopt;
}

} // namespace passerelle
