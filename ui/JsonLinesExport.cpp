#include "JsonLinesExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace passerelle {

namespace {

// A body that is JSON is embedded as JSON, anything else as a string.
QJsonValue bodyValue(const QByteArray &body)
{
    if (body.isEmpty())
        return QJsonValue::Null;
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error == QJsonParseError::NoError) {
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
    }
    return QString::fromUtf8(body);
}

QJsonValue millis(qint64 ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(ms);
}

} // namespace

QJsonObject JsonLinesExport::toJson(const RequestRecord &r,
                                    const QList<RequestLogModel::Frame> &frames)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), static_cast<qint64>(r.id));
    o.insert(QStringLiteral("time"), r.startedAt.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("transport"), r.transport);
    o.insert(QStringLiteral("client"), r.client);
    o.insert(QStringLiteral("method"), r.method);
    o.insert(QStringLiteral("path"), r.path);
    o.insert(QStringLiteral("agent"), r.agentId);
    o.insert(QStringLiteral("sessionKey"), r.sessionKey);
    o.insert(QStringLiteral("model"), r.model);
    o.insert(QStringLiteral("stream"), r.stream);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("finished"), r.finished);
    o.insert(QStringLiteral("ttfbMs"), millis(r.ttfbMs));
    o.insert(QStringLiteral("durationMs"), millis(r.durationMs));
    if (r.usage.known) {
        o.insert(QStringLiteral("usage"),
                 QJsonObject {{QStringLiteral("prompt_tokens"), r.usage.promptTokens},
                              {QStringLiteral("completion_tokens"), r.usage.completionTokens},
                              {QStringLiteral("total_tokens"), r.usage.total()}});
    } else {
        o.insert(QStringLiteral("usage"), QJsonValue::Null);
    }
    o.insert(QStringLiteral("error"),
             r.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r.error));
    o.insert(QStringLiteral("request"), bodyValue(r.requestBody));
    o.insert(QStringLiteral("response"),
             r.responseBody.isEmpty() ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(QString::fromUtf8(r.responseBody)));
    QJsonArray events;
    for (const RequestLogModel::Frame &f : frames) {
        QByteArray text = f.data;
        while (text.endsWith('\n'))
            text.chop(1);
        events.append(QJsonObject {{QStringLiteral("offsetMs"), f.offsetMs},
                                   {QStringLiteral("frame"), QString::fromUtf8(text)}});
    }
    o.insert(QStringLiteral("events"), events);
    return o;
}

int JsonLinesExport::write(QIODevice &out, const RequestLogModel &log, const QList<quint64> &ids,
                           QString *error)
{
    int lines = 0;
    for (quint64 id : ids) {
        const RequestRecord *r = log.recordById(id);
        if (!r)
            continue;
        QByteArray line = QJsonDocument(toJson(*r, log.frames(id))).toJson(QJsonDocument::Compact);
        line.append('\n');
        if (out.write(line) != line.size()) {
            if (error)
                *error = out.errorString();
            return -1;
        }
        ++lines;
    }
    return lines;
}

} // namespace passerelle
