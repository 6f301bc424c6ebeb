#include "surfaces/RequestFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace passerelle {

namespace {

// Qt's parser only takes an object or an array at the top level; a lone scalar ("5", "true") is
// still valid JSON and must get the "not an object" message, not "Invalid JSON body".
bool isJsonScalar(const QByteArray &body)
{
    QJsonParseError error {};
    const QJsonDocument wrapped
        = QJsonDocument::fromJson(QByteArray("[") + body + QByteArray("]"), &error);
    return error.error == QJsonParseError::NoError && wrapped.isArray()
        && wrapped.array().size() == 1;
}

} // namespace

std::optional<QString> RequestFields::parseObject(const QByteArray &rawBody, QJsonObject *out)
{
    *out = QJsonObject();
    const QByteArray text = rawBody.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        if (isJsonScalar(text))
            return QStringLiteral("Request body must be a JSON object");
        return QStringLiteral("Invalid JSON body");
    }
    if (!doc.isObject())
        return QStringLiteral("Request body must be a JSON object");
    *out = doc.object();
    return std::nullopt;
}

bool RequestFields::isSet(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return !v.isUndefined() && !v.isNull();
}

std::optional<qint64> RequestFields::integerOf(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    // Qt keeps integral JSON literals as qint64: read those without a round trip through double.
    const QVariant var = v.toVariant();
    if (var.typeId() == QMetaType::LongLong)
        return var.toLongLong();
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < -9.2e18 || d > 9.2e18)
        return std::nullopt;
    return static_cast<qint64>(d);
}

bool RequestFields::isNonEmptyString(const QJsonValue &v)
{
    return v.isString() && !v.toString().isEmpty();
}

std::optional<QString> RequestFields::checkRange(const QJsonObject &o, QLatin1String field,
                                                 double min, double max, QLatin1String minText,
                                                 QLatin1String maxText)
{
    if (!isSet(o, field))
        return std::nullopt;
    const QJsonValue v = o.value(field);
    if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max)
        return QStringLiteral("`") + field + QStringLiteral("` must be between ") + minText
            + QStringLiteral(" and ") + maxText + QStringLiteral(".");
    return std::nullopt;
}

std::optional<QString> RequestFields::checkPositiveInteger(const QJsonObject &o,
                                                           QLatin1String field,
                                                           std::optional<qint64> *out)
{
    if (!isSet(o, field))
        return std::nullopt;
    const std::optional<qint64> n = integerOf(o.value(field));
    if (!n || *n <= 0)
        return field + QStringLiteral(": expected a positive integer");
    *out = n;
    return std::nullopt;
}

std::optional<QString> RequestFields::checkType(const QJsonObject &o, QLatin1String field,
                                                QJsonValue::Type type, QLatin1String what)
{
    if (!isSet(o, field) || o.value(field).type() == type)
        return std::nullopt;
    return field + QStringLiteral(": expected ") + what;
}

QString RequestFields::indexPath(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

std::optional<QString> RequestFields::checkTextParts(const QJsonValue &value, const QString &path,
                                                     std::initializer_list<QLatin1String> textTypes)
{
    if (value.isString())
        return std::nullopt;
    if (!value.isArray())
        return path + QStringLiteral(": expected a string or an array");
    const QJsonArray parts = value.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partPath = indexPath(path, i);
        if (!parts.at(i).isObject())
            return partPath + QStringLiteral(": expected an object");
        const QJsonObject part = parts.at(i).toObject();
        if (!part.value(QLatin1String("type")).isString())
            return partPath + QStringLiteral(".type: expected a string");
        const QString type = part.value(QLatin1String("type")).toString();
        const bool isText = std::any_of(textTypes.begin(), textTypes.end(),
                                        [&type](QLatin1String t) { return type == t; });
        if (isText && !part.value(QLatin1String("text")).isString())
            return partPath + QStringLiteral(".text: expected a string");
    }
    return std::nullopt;
}

} // namespace passerelle
