#pragma once

// A JSON object whose keys stay in the order they were inserted, written compactly (no spaces),
// strings escaped exactly as QJsonDocument escapes them. QJsonObject sorts its keys; the wire
// objects of OpenAI-compatible APIs have a fixed order that clients and users compare against.
// A value type, any thread.

#include <QByteArray>
#include <QJsonValue>
#include <QLatin1String>
#include <QList>
#include <QString>

#include <cstddef>

namespace passerelle {

class OrderedJsonObject
{
public:
    OrderedJsonObject &insert(QLatin1String key, const QString &value);
    OrderedJsonObject &insert(QLatin1String key, qint64 value);
    OrderedJsonObject &insert(QLatin1String key, int value) { return insert(key, qint64(value)); }
    OrderedJsonObject &insert(QLatin1String key, const OrderedJsonObject &value);
    // An array of objects, in their order.
    OrderedJsonObject &insert(QLatin1String key, const QList<OrderedJsonObject> &values);
    OrderedJsonObject &insertNull(QLatin1String key);
    // Any JSON value, written by Qt's compact writer (so the keys of an object in it sorted).
    OrderedJsonObject &insertValue(const QString &key, const QJsonValue &value);
    // Text that already is compact JSON, taken as it is.
    OrderedJsonObject &insertRaw(QLatin1String key, const QByteArray &json);
    // No implicit conversion of a C string to bool, nor a stray bool.
    OrderedJsonObject &insert(QLatin1String key, const char *value) = delete;
    OrderedJsonObject &insert(QLatin1String key, bool value) = delete;

    bool isEmpty() const { return m_members.isEmpty(); }
    QByteArray toJson() const; // "{...}", compact

    // A JSON string literal (quotes included), escaped as QJsonDocument escapes it.
    static QByteArray string(const QString &text);
    static void appendString(QByteArray &out, const QString &text);
    // One value, compact, as QJsonDocument writes it inside an array or object.
    static QByteArray value(const QJsonValue &value);

private:
    void appendKey(QLatin1String key);
    void appendKey(const QString &key);

    QByteArray m_members; // "key":value,"key":value (no braces)
};

} // namespace passerelle
