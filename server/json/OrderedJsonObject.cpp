#include "json/OrderedJsonObject.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace passerelle {

void OrderedJsonObject::appendKey(QLatin1String key)
{
    if (!m_members.isEmpty())
        m_members += ',';
    m_members += '"';
    m_members.append(key.data(), key.size()); // the keys of the wire formats need no escaping
    m_members += "\":";
}

void OrderedJsonObject::appendKey(const QString &key)
{
    if (!m_members.isEmpty())
        m_members += ',';
    appendString(m_members, key);
    m_members += ':';
}

OrderedJsonObject &OrderedJsonObject::insert(QLatin1String key, const QString &value)
{
    appendKey(key);
    appendString(m_members, value);
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insert(QLatin1String key, qint64 value)
{
    appendKey(key);
    m_members += QByteArray::number(value);
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insert(QLatin1String key, const OrderedJsonObject &value)
{
    appendKey(key);
    m_members += '{';
    m_members += value.m_members;
    m_members += '}';
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insert(QLatin1String key,
                                             const QList<OrderedJsonObject> &values)
{
    appendKey(key);
    m_members += '[';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            m_members += ',';
        m_members += '{';
        m_members += values.at(i).m_members;
        m_members += '}';
    }
    m_members += ']';
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insertNull(QLatin1String key)
{
    appendKey(key);
    m_members += "null";
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insertValue(const QString &key, const QJsonValue &value)
{
    appendKey(key);
    m_members += OrderedJsonObject::value(value);
    return *this;
}

OrderedJsonObject &OrderedJsonObject::insertRaw(QLatin1String key, const QByteArray &json)
{
    appendKey(key);
    m_members += json;
    return *this;
}

QByteArray OrderedJsonObject::toJson() const
{
    QByteArray out;
    out.reserve(m_members.size() + 2);
    out += '{';
    out += m_members;
    out += '}';
    return out;
}

QByteArray OrderedJsonObject::value(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return string(value.toString());
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Undefined:
        return QByteArrayLiteral("null");
    default: {
        // A scalar as Qt writes it (its number format): the one element of an array.
        const QByteArray wrapped = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    }
    }
}

QByteArray OrderedJsonObject::string(const QString &text)
{
    QByteArray out;
    appendString(out, text);
    return out;
}

void OrderedJsonObject::appendString(QByteArray &out, const QString &text)
{
    // No reserve(): it would grow `out` to this exact size at every string of an object, where
    // appending grows it geometrically.
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    const char *p = utf8.constData();
    const char *const end = p + utf8.size();
    const char *run = p; // the start of the bytes that need no escape, copied in one append
    for (; p != end; ++p) {
        const uchar c = uchar(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escape, sizeof escape);
        }
        }
    }
    out.append(run, p - run);
    out += '"';
}

} // namespace passerelle
