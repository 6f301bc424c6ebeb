#include "ws/WsProtocol.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace passerelle {

const QString WsProtocol::kInvalidRequest = QStringLiteral("INVALID_REQUEST");
const QString WsProtocol::kUnavailable = QStringLiteral("UNAVAILABLE");

namespace {

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

QJsonObject WsError::toJson() const
{
    QJsonObject out {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!details.isEmpty())
        out.insert(QStringLiteral("details"), details);
    if (retryAfterMs) {
        out.insert(QStringLiteral("retryable"), true);
        out.insert(QStringLiteral("retryAfterMs"), *retryAfterMs);
    }
    return out;
}

WsFrameParse WsProtocol::parse(const QString &text)
{
    WsFrameParse out;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        out.kind = WsFrameParse::Kind::NotJson;
        out.error = QStringLiteral("frame is not a JSON object");
        return out;
    }
    const QJsonObject frame = doc.object();
    const QJsonValue id = frame.value(QStringLiteral("id"));
    if (id.isString())
        out.id = id.toString();
    if (frame.value(QStringLiteral("type")).toString() != QLatin1String("req")) {
        out.kind = WsFrameParse::Kind::NotRequest;
        out.error = QStringLiteral("frame is not a request");
        return out;
    }
    const QJsonValue method = frame.value(QStringLiteral("method"));
    const QJsonValue params = frame.value(QStringLiteral("params"));
    out.kind = WsFrameParse::Kind::Invalid;
    if (out.id.isEmpty()) {
        out.error = QStringLiteral("invalid request frame: id must be a non-empty string");
    } else if (!method.isString() || method.toString().isEmpty()) {
        out.error = QStringLiteral("invalid request frame: method must be a non-empty string");
    } else if (!params.isUndefined() && !params.isNull() && !params.isObject()) {
        out.error = QStringLiteral("invalid request frame: params must be an object");
    } else {
        out.kind = WsFrameParse::Kind::Request;
        out.request = WsRequest {out.id, method.toString(), params.toObject()};
    }
    return out;
}

int WsProtocol::negotiate(int minProtocol, int maxProtocol)
{
    for (int version = kVersion; version >= kOldestVersion; --version) {
        if (minProtocol <= version && version <= maxProtocol)
            return version;
    }
    return 0;
}

QString WsProtocol::response(const QString &id, const QJsonObject &payload)
{
    return compact(QJsonObject {{QStringLiteral("type"), QStringLiteral("res")},
                                {QStringLiteral("id"), id},
                                {QStringLiteral("ok"), true},
                                {QStringLiteral("payload"), payload}});
}

QString WsProtocol::errorResponse(const QString &id, const WsError &error,
                                  const QJsonObject &payload)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("res")},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("ok"), false},
                       {QStringLiteral("error"), error.toJson()}};
    if (!payload.isEmpty())
        frame.insert(QStringLiteral("payload"), payload);
    return compact(frame);
}

QString WsProtocol::event(const QString &name, const QJsonObject &payload, qint64 seq)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("event")},
                       {QStringLiteral("event"), name},
                       {QStringLiteral("payload"), payload}};
    if (seq >= 0)
        frame.insert(QStringLiteral("seq"), seq);
    return compact(frame);
}

QString WsProtocol::closeReason(const QString &reason)
{
    QString out = reason;
    while (out.toUtf8().size() > 123)
        out.chop(1);
    return out;
}

} // namespace passerelle
