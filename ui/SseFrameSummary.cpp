#include "SseFrameSummary.h"

#include "RequestLogModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace passerelle {

QString SseFrameSummary::visible(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\n'), QStringLiteral("⏎"));
    out.replace(QLatin1Char('\t'), QStringLiteral("⇥"));
    out.remove(QLatin1Char('\r'));
    return out;
}

QString SseFrameSummary::text(const QByteArray &frame)
{
    QString eventName;
    QByteArray data;
    bool hasData = false;
    QStringList comments;
    const QByteArray trimmed = frame.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        data = trimmed; // a WebSocket frame: the JSON text itself
        hasData = true;
    } else {
        for (QByteArray line : frame.split('\n')) {
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty())
                continue;
            if (line.startsWith(':')) {
                comments << QString::fromUtf8(line.mid(1)).trimmed();
                continue;
            }
            const qsizetype colon = line.indexOf(':');
            const QByteArray field = colon < 0 ? line : line.left(colon);
            QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (field == "event") {
                eventName = QString::fromUtf8(value);
            } else if (field == "data") {
                if (hasData)
                    data += '\n';
                data += value;
                hasData = true;
            }
        }
    }
    if (!hasData) {
        if (!eventName.isEmpty())
            return {}; // the events view shows the name in its own column
        if (comments == QStringList {QStringLiteral("keep-alive")})
            return tr("keep-alive");
        return visible(comments.join(QLatin1Char(' ')));
    }
    if (data == "[DONE]")
        return tr("end of stream");
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty())
        return eventName;
    const QJsonValue error = o.value(QLatin1String("error"));
    if (error.isObject() || error.isString()) {
        const QString message = error.isString()
            ? error.toString()
            : error.toObject().value(QLatin1String("message")).toString();
        return tr("error: %1").arg(visible(message));
    }
    if (o.value(QLatin1String("choices")).isArray())
        return chatChunk(o);
    if (!eventName.isEmpty()) // its name has a column of its own: the text it carries
        return visible(deltaText(o));
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("event")) // the WebSocket protocol: {type, event, payload}
        return namedEvent(o.value(QLatin1String("event")).toString(),
                          o.value(QLatin1String("payload")).toObject());
    if (type == QLatin1String("res")) // a failed one has its error, above
        return tr("response: ok");
    if (!type.isEmpty())
        return namedEvent(type, o);
    return {};
}

QString SseFrameSummary::chatChunk(const QJsonObject &chunk)
{
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    const QJsonObject usage = chunk.value(QLatin1String("usage")).toObject();
    QStringList parts;
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        const QString role = delta.value(QLatin1String("role")).toString();
        if (!role.isEmpty())
            parts << tr("role: %1").arg(role);
        const QString content = delta.value(QLatin1String("content")).toString();
        if (!content.isEmpty())
            parts << visible(content);
        for (const QJsonValue &t : delta.value(QLatin1String("tool_calls")).toArray()) {
            const QJsonObject call = t.toObject();
            const QJsonObject fn = call.value(QLatin1String("function")).toObject();
            const QString name = fn.value(QLatin1String("name")).toString();
            const QString arguments = visible(fn.value(QLatin1String("arguments")).toString());
            QString piece = name.isEmpty()
                ? arguments
                : (arguments.isEmpty() ? tr("call %1").arg(name)
                                       : tr("call %1 %2").arg(name, arguments));
            const int index = call.value(QLatin1String("index")).toInt();
            if (index > 0)
                piece = QStringLiteral("#%1 ").arg(index) + piece;
            if (!piece.isEmpty())
                parts << piece;
        }
        const QString finish = choice.value(QLatin1String("finish_reason")).toString();
        if (!finish.isEmpty())
            parts << tr("finish: %1").arg(finish);
    }
    if (!usage.isEmpty())
        parts << tr("usage: %1")
                     .arg(RequestLogModel::tokensText(
                         usage.value(QLatin1String("prompt_tokens")).toInteger(),
                         usage.value(QLatin1String("completion_tokens")).toInteger()));
    return parts.join(QStringLiteral(" · "));
}

QString SseFrameSummary::deltaText(const QJsonObject &payload)
{
    // The text a delta event carries: Responses (`delta`), Messages (`delta.text`, a tool's
    // `delta.partial_json`), the WebSocket chat (`deltaText`) and agent (`data.delta`) events.
    const QJsonValue delta = payload.value(QLatin1String("delta"));
    QString text = delta.toString();
    if (delta.isObject()) {
        const QJsonObject d = delta.toObject();
        text = d.value(QLatin1String("text")).toString();
        if (text.isEmpty())
            text = d.value(QLatin1String("partial_json")).toString();
    }
    if (text.isEmpty())
        text = payload.value(QLatin1String("deltaText")).toString();
    if (text.isEmpty())
        text = payload.value(QLatin1String("data"))
                   .toObject()
                   .value(QLatin1String("delta"))
                   .toString();
    return text;
}

QString SseFrameSummary::namedEvent(const QString &name, const QJsonObject &payload)
{
    const QString text = deltaText(payload);
    // A WebSocket event's kind within its name: chat's state, agent's stream (and phase).
    QString kind = payload.value(QLatin1String("state")).toString();
    if (kind.isEmpty())
        kind = payload.value(QLatin1String("stream")).toString();
    const QString phase
        = payload.value(QLatin1String("data")).toObject().value(QLatin1String("phase")).toString();
    if (!phase.isEmpty())
        kind += QLatin1Char(' ') + phase;
    const QString label = kind.isEmpty() ? name : name + QLatin1Char(' ') + kind;
    return text.isEmpty() ? label : label + QStringLiteral(": ") + visible(text);
}

} // namespace passerelle
