#include "surfaces/responses/ResponsesRequest.h"

#include "surfaces/RequestFields.h"

namespace passerelle {

namespace {

using RF = RequestFields;

// Content of a message item: a string or an array of part objects; text parts need their text.
std::optional<QString> checkContent(const QJsonValue &content, const QString &path)
{
    return RF::checkTextParts(content, path,
                              {QLatin1String("input_text"), QLatin1String("output_text")});
}

std::optional<QString> checkItem(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return path + QStringLiteral(": expected an object");
    const QJsonObject item = value.toObject();
    const QJsonValue typeValue = item.value(QLatin1String("type"));
    if (RF::isSet(item, QLatin1String("type")) && !typeValue.isString())
        return path + QStringLiteral(".type: expected a string");
    const QString type = typeValue.isString() ? typeValue.toString() : QStringLiteral("message");
    if (type == QLatin1String("message")) {
        const QString role = item.value(QLatin1String("role")).toString();
        if (role != QLatin1String("user") && role != QLatin1String("assistant")
            && role != QLatin1String("system") && role != QLatin1String("developer"))
            return path
                + QStringLiteral(".role: expected one of user, assistant, system, developer");
        return checkContent(item.value(QLatin1String("content")),
                            path + QStringLiteral(".content"));
    }
    if (type == QLatin1String("function_call")) {
        if (!RF::isNonEmptyString(item.value(QLatin1String("call_id"))))
            return path + QStringLiteral(".call_id: expected a non-empty string");
        if (!RF::isNonEmptyString(item.value(QLatin1String("name"))))
            return path + QStringLiteral(".name: expected a non-empty string");
        if (!item.value(QLatin1String("arguments")).isString())
            return path + QStringLiteral(".arguments: expected a string");
        return std::nullopt;
    }
    if (type == QLatin1String("function_call_output")) {
        if (!RF::isNonEmptyString(item.value(QLatin1String("call_id"))))
            return path + QStringLiteral(".call_id: expected a non-empty string");
        const QJsonValue output = item.value(QLatin1String("output"));
        if (output.isString())
            return std::nullopt;
        if (!output.isArray())
            return path + QStringLiteral(".output: expected a string or an array");
        return checkContent(output, path + QStringLiteral(".output"));
    }
    // reasoning, item_reference and the item types of other tools (web_search_call,
    // local_shell_call, custom_tool_call...) are accepted and carry nothing to the model.
    return std::nullopt;
}

std::optional<QString> checkTools(const QJsonValue &value, QJsonArray *echoed, QJsonArray *upstream)
{
    if (!value.isArray())
        return QStringLiteral("tools: expected an array");
    const QJsonArray tools = value.toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString path = RF::indexPath(QStringLiteral("tools"), i);
        if (!tools.at(i).isObject())
            return path + QStringLiteral(": expected an object");
        const QJsonObject tool = tools.at(i).toObject();
        if (!RF::isNonEmptyString(tool.value(QLatin1String("type"))))
            return path + QStringLiteral(".type: expected a non-empty string");
        if (tool.value(QLatin1String("type")).toString() != QLatin1String("function")) {
            echoed->append(tool); // web_search, mcp, custom, local_shell...: not sent upstream
            continue;
        }
        // Flat {type, name, description?, parameters?, strict?}, or chat's nested function:{}.
        const bool nested = tool.value(QLatin1String("function")).isObject();
        const QJsonObject fn = nested ? tool.value(QLatin1String("function")).toObject() : tool;
        const QString fnPath = nested ? path + QStringLiteral(".function") : path;
        if (!RF::isNonEmptyString(fn.value(QLatin1String("name"))))
            return fnPath + QStringLiteral(".name: expected a non-empty string");
        if (RF::isSet(fn, QLatin1String("parameters"))
            && !fn.value(QLatin1String("parameters")).isObject())
            return fnPath + QStringLiteral(".parameters: expected an object");
        if (RF::isSet(fn, QLatin1String("description"))
            && !fn.value(QLatin1String("description")).isString())
            return fnPath + QStringLiteral(".description: expected a string");
        if (RF::isSet(fn, QLatin1String("strict")) && !fn.value(QLatin1String("strict")).isBool())
            return fnPath + QStringLiteral(".strict: expected a boolean");
        QJsonObject function {{QStringLiteral("name"), fn.value(QLatin1String("name"))}};
        QJsonObject flat {{QStringLiteral("type"), QStringLiteral("function")},
                          {QStringLiteral("name"), fn.value(QLatin1String("name"))}};
        for (const char *key : {"description", "parameters", "strict"}) {
            const QLatin1String name(key);
            if (RF::isSet(fn, name)) {
                function.insert(name, fn.value(name));
                flat.insert(name, fn.value(name));
            }
        }
        echoed->append(flat);
        upstream->append(QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                      {QStringLiteral("function"), function}});
    }
    return std::nullopt;
}

// The chat-form tool_choice to send upstream (null: send none), or the message.
std::optional<QString> checkToolChoice(const QJsonValue &v, QJsonValue *upstream)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s != QLatin1String("none") && s != QLatin1String("auto")
            && s != QLatin1String("required"))
            return QStringLiteral("tool_choice: expected one of none, auto, required");
        *upstream = s;
        return std::nullopt;
    }
    if (!v.isObject())
        return QStringLiteral("tool_choice: expected a string or an object");
    const QJsonObject choice = v.toObject();
    if (!RF::isNonEmptyString(choice.value(QLatin1String("type"))))
        return QStringLiteral("tool_choice.type: expected a non-empty string");
    if (choice.value(QLatin1String("type")).toString() != QLatin1String("function"))
        return std::nullopt; // a tool of another type: not sent upstream
    QJsonValue name = choice.value(QLatin1String("name"));
    if (!name.isString()) // chat's nested form
        name = choice.value(QLatin1String("function")).toObject().value(QLatin1String("name"));
    if (!RF::isNonEmptyString(name))
        return QStringLiteral("tool_choice.name: expected a non-empty string");
    *upstream
        = QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                       {QStringLiteral("function"), QJsonObject {{QStringLiteral("name"), name}}}};
    return std::nullopt;
}

// text.format -> the chat response_format (null: none to send).
std::optional<QString> checkText(const QJsonValue &v, QJsonObject *echoed, QJsonValue *upstream)
{
    if (!v.isObject())
        return QStringLiteral("text: expected an object");
    *echoed = v.toObject();
    const QJsonValue formatValue = echoed->value(QLatin1String("format"));
    if (formatValue.isUndefined() || formatValue.isNull()) {
        echoed->insert(QStringLiteral("format"),
                       QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}});
        return std::nullopt;
    }
    if (!formatValue.isObject())
        return QStringLiteral("text.format: expected an object");
    const QJsonObject format = formatValue.toObject();
    const QString type = format.value(QLatin1String("type")).toString();
    if (type == QLatin1String("text"))
        return std::nullopt;
    if (type == QLatin1String("json_object")) {
        *upstream = QJsonObject {{QStringLiteral("type"), type}};
        return std::nullopt;
    }
    if (type != QLatin1String("json_schema"))
        return QStringLiteral("text.format.type: expected one of text, json_object, json_schema");
    if (!format.value(QLatin1String("schema")).isObject())
        return QStringLiteral("text.format.schema: expected an object");
    if (RF::isSet(format, QLatin1String("name"))
        && !RF::isNonEmptyString(format.value(QLatin1String("name"))))
        return QStringLiteral("text.format.name: expected a non-empty string");
    QJsonObject schema {{QStringLiteral("name"),
                         format.value(QLatin1String("name")).toString(QStringLiteral("response"))},
                        {QStringLiteral("schema"), format.value(QLatin1String("schema"))}};
    for (const char *key : {"description", "strict"}) {
        const QLatin1String name(key);
        if (RF::isSet(format, name))
            schema.insert(name, format.value(name));
    }
    *upstream
        = QJsonObject {{QStringLiteral("type"), type}, {QStringLiteral("json_schema"), schema}};
    return std::nullopt;
}

std::optional<QString> checkMetadata(const QJsonValue &v, QJsonObject *out)
{
    const QString message
        = QStringLiteral("metadata: expected an object of at most 16 string values");
    if (!v.isObject() || v.toObject().size() > 16)
        return message;
    const QJsonObject metadata = v.toObject();
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        if (!it.value().isString())
            return message;
    }
    *out = metadata;
    return std::nullopt;
}

} // namespace

std::optional<QString> ResponsesRequest::parse(const QByteArray &rawBody)
{
    *this = ResponsesRequest();
    if (auto error = RF::parseObject(rawBody, &body))
        return error;
    const QJsonObject &o = body;
    const auto set = [&o](const char *key) { return RF::isSet(o, QLatin1String(key)); };
    const auto value = [&o](const char *key) { return o.value(QLatin1String(key)); };
    using T = QJsonValue::Type;

    if (auto e = RF::checkType(o, QLatin1String("model"), T::String, QLatin1String("a string")))
        return e;
    model = value("model").toString();

    if (set("input")) {
        if (value("input").isString()) {
            input = {QJsonObject {{QStringLiteral("type"), QStringLiteral("message")},
                                  {QStringLiteral("role"), QStringLiteral("user")},
                                  {QStringLiteral("content"), value("input")}}};
        } else if (value("input").isArray()) {
            input = value("input").toArray();
            for (qsizetype i = 0; i < input.size(); ++i) {
                if (auto e = checkItem(input.at(i), RF::indexPath(QStringLiteral("input"), i)))
                    return e;
            }
        } else {
            return QStringLiteral("input: expected a string or an array");
        }
    }
    if (auto e
        = RF::checkType(o, QLatin1String("instructions"), T::String, QLatin1String("a string")))
        return e;
    hasInstructions = set("instructions");
    instructions = value("instructions").toString();
    if (auto e = RF::checkType(o, QLatin1String("stream"), T::Bool, QLatin1String("a boolean")))
        return e;
    stream = value("stream").toBool(false);
    if (auto e = RF::checkType(o, QLatin1String("store"), T::Bool, QLatin1String("a boolean")))
        return e;
    store = value("store").toBool(true);
    if (auto e = RF::checkType(o, QLatin1String("user"), T::String, QLatin1String("a string")))
        return e;
    user = value("user").toString();
    if (auto e = RF::checkType(o, QLatin1String("previous_response_id"), T::String,
                               QLatin1String("a string")))
        return e;
    previousResponseId = value("previous_response_id").toString();
    if (auto e = RF::checkPositiveInteger(o, QLatin1String("max_output_tokens"), &maxOutputTokens))
        return e;
    if (auto e = RF::checkRange(o, QLatin1String("temperature"), 0, 2, QLatin1String("0"),
                                QLatin1String("2")))
        return e;
    if (auto e
        = RF::checkRange(o, QLatin1String("top_p"), 0, 1, QLatin1String("0"), QLatin1String("1")))
        return e;
    temperature = set("temperature") ? value("temperature") : QJsonValue(QJsonValue::Null);
    topP = set("top_p") ? value("top_p") : QJsonValue(QJsonValue::Null);
    if (auto e = RF::checkType(o, QLatin1String("parallel_tool_calls"), T::Bool,
                               QLatin1String("a boolean")))
        return e;
    parallelToolCalls = value("parallel_tool_calls").toBool(true);
    if (set("metadata")) {
        if (auto e = checkMetadata(value("metadata"), &metadata))
            return e;
    }

    QJsonArray upstreamTools;
    if (set("tools")) {
        if (auto e = checkTools(value("tools"), &tools, &upstreamTools))
            return e;
    }
    QJsonValue upstreamChoice;
    toolChoice = QStringLiteral("auto");
    if (set("tool_choice")) {
        if (auto e = checkToolChoice(value("tool_choice"), &upstreamChoice))
            return e;
        toolChoice = value("tool_choice");
    }
    QJsonValue responseFormat;
    text = {
        {QStringLiteral("format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}}}};
    if (set("text")) {
        if (auto e = checkText(value("text"), &text, &responseFormat))
            return e;
    }

    if (set("temperature"))
        upstream.insert(QStringLiteral("temperature"), temperature);
    if (set("top_p"))
        upstream.insert(QStringLiteral("top_p"), topP);
    if (responseFormat.isObject())
        upstream.insert(QStringLiteral("response_format"), responseFormat);
    // Tool fields only with function tools to go with them: an upstream refuses a tool_choice
    // without tools, and the other tool types never go upstream.
    if (!upstreamTools.isEmpty()) {
        upstream.insert(QStringLiteral("tools"), upstreamTools);
        if (!upstreamChoice.isUndefined() && !upstreamChoice.isNull())
            upstream.insert(QStringLiteral("tool_choice"), upstreamChoice);
        if (set("parallel_tool_calls"))
            upstream.insert(QStringLiteral("parallel_tool_calls"), parallelToolCalls);
    }
    return std::nullopt;
}

} // namespace passerelle
