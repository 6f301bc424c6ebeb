#pragma once

// The checks every JSON request surface shares (SPEC.md section 4, steps 4 and 5): the body as a
// JSON object (an empty body counts as {}), "not set" for absent or null fields, integers, ranges
// and their exact messages ("max_tokens: expected a positive integer", "`temperature` must be
// between 0 and 2."). Pure functions, any thread.

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>
#include <QString>

#include <optional>

namespace passerelle {

class RequestFields
{
public:
    // The body as an object into *out, or the message: "Invalid JSON body", "Request body must be
    // a JSON object".
    static std::optional<QString> parseObject(const QByteArray &body, QJsonObject *out);
    // OpenAI clients send JSON null for "not set": treated like an absent key.
    static bool isSet(const QJsonObject &o, QLatin1String key);
    // 5 and 5.0 are integers; 5.5, "5" and values beyond qint64 are not.
    static std::optional<qint64> integerOf(const QJsonValue &v);
    static bool isNonEmptyString(const QJsonValue &v);
    // A number inside [min, max], else "`<field>` must be between <min> and <max>."
    static std::optional<QString> checkRange(const QJsonObject &o, QLatin1String field, double min,
                                             double max, QLatin1String minText,
                                             QLatin1String maxText);
    // A positive integer into *out, else "<field>: expected a positive integer".
    static std::optional<QString> checkPositiveInteger(const QJsonObject &o, QLatin1String field,
                                                       std::optional<qint64> *out);
    // A value of one JSON type, else "<field>: expected <what>" (what: "a string", "a boolean"...).
    static std::optional<QString> checkType(const QJsonObject &o, QLatin1String field,
                                            QJsonValue::Type type, QLatin1String what);
    // "<path>[<index>]", the path of an array element in a message.
    static QString indexPath(const QString &path, qsizetype index);
    // A string, or an array of objects with a string `type`, those of a type in `textTypes`
    // with a string `text` (message content, text blocks); else the message naming the path.
    static std::optional<QString> checkTextParts(const QJsonValue &value, const QString &path,
                                                 std::initializer_list<QLatin1String> textTypes);
};

} // namespace passerelle
