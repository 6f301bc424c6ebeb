#pragma once

// The one table of config keys (SPEC.md section 2), in the manner of KeePassXC's configStrings:
// each key is declared once, as a row binding its dotted path to a field, with its type, default,
// bounds and a one-line meaning. The rows drive reading (GatewayConfig::fromJson), writing back
// (toJson), the default state of the config structs and the bound checks of startupError(). Built
// once on first use and immutable afterwards: any thread may read it.
//
// A key is added by one row in ConfigKeys.cpp (a provider's key: in ProviderRegistry.cpp) and one
// line in README.md's key table (tests/tst_configkeys fails until the two agree).

#include "config/GatewayConfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

namespace passerelle {

// Reads values out of one JSON object and reports "<key path>: <problem>" into an error list (none
// when the list is null). A parent that is not an object is reported once, however many keys live
// under it. Cheap to copy: copies share the list of what was reported. Lives for one read, on the
// thread doing it.
class ConfigReader
{
public:
    ConfigReader(const QJsonObject &root, QStringList *errors);

    // The value at a dotted path below this reader's object; Undefined when it or a parent is
    // missing. A parent of the wrong type is reported ("<parent>: expected an object").
    QJsonValue value(const QString &dotted) const;
    // The same, reporting nothing.
    QJsonValue peek(const QString &dotted) const;
    // A reader on the object at a dotted path (an empty one when missing or of the wrong type,
    // which is reported).
    ConfigReader at(const QString &dotted) const;
    // A reader on `object`, its problems reported under `path` (a provider entry, a list element).
    ConfigReader entry(const QString &path, const QJsonObject &object) const;

    const QJsonObject &object() const { return m_object; }
    QString pathOf(const QString &dotted) const;
    void error(const QString &path, const QString &problem) const;
    void expected(const QString &dotted, const QString &type) const;

    // Typed reads of one key: true when present and of the right type (then *out is set);
    // a value of the wrong type is reported and leaves *out alone.
    template<typename V> bool read(const QString &dotted, V *out) const;
    // An array of objects, each handed to `each` as a reader with its "<key>[i]" path.
    void forEachObject(const QString &dotted,
                       const std::function<void(const ConfigReader &)> &each) const;

    static ConfigReader silent() { return ConfigReader(QJsonObject(), nullptr); }

private:
    struct Reported
    {
        QStringList *errors = nullptr;
        QSet<QString> parents;
    };
    ConfigReader(const QJsonObject &object, const QString &path, std::shared_ptr<Reported> shared);
    QJsonValue walk(const QString &dotted, bool report) const;

    QJsonObject m_object;
    QString m_path;
    std::shared_ptr<Reported> m_shared;
};

// JSON encoding of the value types the rows use, and the write-back primitives.
namespace configjson {

// "<path>: expected ..." problems are reported through the reader; false leaves *out alone.
bool decode(const QJsonValue &v, bool *out, const ConfigReader &r, const QString &path);
bool decode(const QJsonValue &v, QString *out, const ConfigReader &r, const QString &path);
bool decode(const QJsonValue &v, QStringList *out, const ConfigReader &r, const QString &path);
// Provider models: entries of the wrong shape are reported and left out, the others kept.
bool decode(const QJsonValue &v, QList<ProviderModel> *out, const ConfigReader &r,
            const QString &path);
// String map (provider headers): values that are not strings are reported and left out.
bool decode(const QJsonValue &v, QMap<QString, QString> *out, const ConfigReader &r,
            const QString &path);
// An integer in [min, max]; `type` names the accepted range in the message.
bool decodeInteger(const QJsonValue &v, qint64 min, qint64 max, qint64 *out);
QString integerType(qint64 min, qint64 max, qint64 typeMin, qint64 typeMax);

QJsonValue encode(bool v);
QJsonValue encode(qint64 v);
QJsonValue encode(const QString &v);
QJsonValue encode(const QStringList &v);
QJsonValue encode(const QList<ProviderModel> &v);
QJsonValue encode(const QMap<QString, QString> &v);
// A value written over what the file held at its place: models keep their entries' other keys.
template<typename V> QJsonValue encodeOver(const V &v, const QJsonValue &)
{
    return encode(v);
}
QJsonValue encodeOver(const QList<ProviderModel> &v, const QJsonValue &old);

// `"a", "b" or "c"`: the accepted words of an enumerated key, for its error message.
QString oneOf(const QStringList &words);
QString compact(const QJsonValue &v); // a value as the README shows it

// Sets obj[key] = v unless obj already holds an equal value, or lacks the key and v is the
// default: a key the user never wrote stays unwritten while it keeps its default.
bool put(QJsonObject &obj, const QString &key, const QJsonValue &v, bool isDefault);
// put() at a dotted path, creating parents only when something is written.
void putPath(QJsonObject &root, const QString &dotted, const QJsonValue &v, bool isDefault);
void removePath(QJsonObject &root, const QString &dotted);
// Hands `edit` the object at a dotted path (empty when missing) and stores it back if it changed.
void editObjectAt(QJsonObject &root, const QString &dotted,
                  const std::function<void(QJsonObject &)> &edit);

} // namespace configjson

template<typename V> bool ConfigReader::read(const QString &dotted, V *out) const
{
    const QJsonValue v = value(dotted);
    return !v.isUndefined() && configjson::decode(v, out, *this, pathOf(dotted));
}

// How the panel edits a key (provider keys): the widget, a label, a placeholder and the range in
// the shown unit. Texts are QT_TRANSLATE_NOOP("ProviderType", ...) so the core needs no Widgets.
struct KeyEditor
{
    enum class Kind { None, Text, Url, Secret, Seconds, Milliseconds, Count, ModelList, Headers };

    Kind kind = Kind::None;
    const char *label = nullptr;
    const char *placeholder = nullptr;
    int minimum = 0;
    int maximum = 0;
    const char *zeroText = nullptr; // shown instead of 0 (Count)
    const char *missing = nullptr; // required: the message when left empty
    const char *invalid = nullptr; // the message when the text does not fit (Url, Headers)

    static KeyEditor text(const char *label, const char *placeholder);
    static KeyEditor url(const char *label, const char *placeholder, const char *missing,
                         const char *invalid);
    static KeyEditor secret(const char *label, const char *placeholder);
    static KeyEditor seconds(const char *label, int minimum, int maximum);
    static KeyEditor milliseconds(const char *label, int minimum, int maximum);
    static KeyEditor count(const char *label, int minimum, int maximum, const char *zeroText);
    static KeyEditor modelList(const char *label, const char *placeholder, const char *missing);
    static KeyEditor headers(const char *label, const char *placeholder, const char *invalid);
};

// Bounds of an integer key. Checked when read (a value outside is reported as "expected a positive
// integer" and the key keeps its default), or, for keys whose range is a rule of the product
// rather than of the type (gateway.port), read as any integer and refused by startupError().
struct IntBounds
{
    qint64 min = std::numeric_limits<qint64>::min();
    qint64 max = std::numeric_limits<qint64>::max();
    bool atStartup = false;

    static IntBounds positive() { return {1, std::numeric_limits<qint64>::max(), false}; }
    static IntBounds nonNegative() { return {0, std::numeric_limits<qint64>::max(), false}; }
    static IntBounds startupRange(qint64 min, qint64 max) { return {min, max, true}; }
};

// One row: a key of objects of type T (GatewayConfig for the file, ProviderConfig for a provider
// entry, RateLimitConfig for gateway.auth.rateLimit). `path` is relative to the object T is read
// from. The functions a row does not need are empty.
template<typename T> struct ConfigKey
{
    QString path;
    QString defaultText; // the default as README.md's table shows it
    QString meaning; // one line, for README.md
    KeyEditor editor;

    std::function<void(T &)> reset; // puts the default in place
    std::function<void(const ConfigReader &, T &)> read;
    std::function<void(QJsonObject &, const T &)> write; // into the object it was read from
    std::function<QString(const T &, const QString &prefix)> check; // bounds: "" when fine
    std::function<bool(const T &, const T &)> same;
    // The value alone, as JSON (editors): encode it, or set it (false when it does not fit).
    std::function<QJsonValue(const T &)> encode;
    std::function<bool(T &, const QJsonValue &)> decode;

    ConfigKey withEditor(const KeyEditor &e) const
    {
        ConfigKey k = *this;
        k.editor = e;
        return k;
    }
};

template<typename T> struct ConfigKeyTable
{
    QList<ConfigKey<T>> keys;

    void reset(T &c) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (k.reset)
                k.reset(c);
        }
    }
    void read(const ConfigReader &r, T &c) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (k.read)
                k.read(r, c);
        }
    }
    void write(QJsonObject &o, const T &c) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (k.write)
                k.write(o, c);
        }
    }
    // The first bound a value breaks, as "<prefix><path> must be ..."; "" when none.
    QString check(const T &c, const QString &prefix = QString()) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (!k.check)
                continue;
            if (QString problem = k.check(c, prefix); !problem.isEmpty())
                return problem;
        }
        return QString();
    }
    bool same(const T &a, const T &b) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (k.same && !k.same(a, b))
                return false;
        }
        return true;
    }
    const ConfigKey<T> *find(const QString &path) const
    {
        for (const ConfigKey<T> &k : keys) {
            if (k.path == path)
                return &k;
        }
        return nullptr;
    }
};

// ---- row builders. `field` is a generic accessor: [](auto &c) -> auto & { return c.port; } ----

// A row whose functions the caller writes (the composite keys).
template<typename T>
ConfigKey<T> customKey(const char *path, const QString &defaultText, const char *meaning)
{
    ConfigKey<T> k;
    k.path = QString::fromLatin1(path);
    k.defaultText = defaultText;
    k.meaning = QString::fromLatin1(meaning);
    return k;
}

// A key holding one JSON value that configjson::decode/encode handle (bool, string, string list,
// provider models, string map).
template<typename T, typename Field, typename V>
ConfigKey<T> valueKey(const char *path, Field field, V def, const char *meaning)
{
    ConfigKey<T> k = customKey<T>(path, configjson::compact(configjson::encode(def)), meaning);
    k.reset = [field, def](T &c) { field(c) = def; };
    k.read = [field, p = k.path](const ConfigReader &r, T &c) {
        const QJsonValue v = r.value(p);
        if (!v.isUndefined())
            configjson::decode(v, &field(c), r, r.pathOf(p));
    };
    k.write = [field, def, p = k.path](QJsonObject &o, const T &c) {
        const QJsonValue old = ConfigReader(o, nullptr).peek(p);
        configjson::putPath(o, p, configjson::encodeOver(field(c), old), field(c) == def);
    };
    k.same = [field](const T &a, const T &b) { return field(a) == field(b); };
    k.encode = [field](const T &c) { return configjson::encode(field(c)); };
    k.decode = [field](T &c, const QJsonValue &v) {
        return configjson::decode(v, &field(c), ConfigReader::silent(), QString());
    };
    return k;
}

template<typename T, typename Field>
ConfigKey<T> boolKey(const char *path, Field field, bool def, const char *meaning)
{
    return valueKey<T>(path, field, def, meaning);
}

template<typename T, typename Field>
ConfigKey<T> stringKey(const char *path, Field field, const char *def, const char *meaning)
{
    return valueKey<T>(path, field, QString::fromLatin1(def), meaning);
}

template<typename T, typename Field>
ConfigKey<T> stringListKey(const char *path, Field field, const char *meaning)
{
    return valueKey<T>(path, field, QStringList(), meaning);
}

// An int or qint64 field within bounds (see IntBounds).
template<typename T, typename Field>
ConfigKey<T> intKey(const char *path, Field field, qint64 def, IntBounds bounds,
                    const char *meaning)
{
    using V = std::decay_t<decltype(field(std::declval<T &>()))>;
    static_assert(std::is_integral_v<V>, "intKey binds an integer field");
    constexpr qint64 typeMin = std::numeric_limits<V>::min();
    constexpr qint64 typeMax = std::numeric_limits<V>::max();
    const qint64 min = std::max(bounds.min, typeMin);
    const qint64 max = std::min(bounds.max, typeMax);
    const qint64 readMin = bounds.atStartup ? typeMin : min;
    const qint64 readMax = bounds.atStartup ? typeMax : max;
    const QString type = configjson::integerType(readMin, readMax, typeMin, typeMax);

    ConfigKey<T> k = customKey<T>(path, QString::number(def), meaning);
    k.reset = [field, def](T &c) { field(c) = V(def); };
    k.read = [field, readMin, readMax, type, p = k.path](const ConfigReader &r, T &c) {
        const QJsonValue v = r.value(p);
        qint64 i = 0;
        if (v.isUndefined())
            return;
        if (configjson::decodeInteger(v, readMin, readMax, &i))
            field(c) = V(i);
        else
            r.expected(p, type);
    };
    k.write = [field, def, p = k.path](QJsonObject &o, const T &c) {
        configjson::putPath(o, p, configjson::encode(qint64(field(c))), field(c) == def);
    };
    k.check = [field, min, max, typeMax, p = k.path](const T &c, const QString &prefix) {
        const qint64 v = field(c);
        if (v >= min && v <= max)
            return QString();
        if (max == typeMax)
            return QStringLiteral("%1 must be at least %2 (got %3)")
                .arg(QString(prefix + p))
                .arg(min)
                .arg(v);
        return QStringLiteral("%1 must be between %2 and %3 (got %4)")
            .arg(QString(prefix + p))
            .arg(min)
            .arg(max)
            .arg(v);
    };
    k.same = [field](const T &a, const T &b) { return field(a) == field(b); };
    k.encode = [field](const T &c) { return configjson::encode(qint64(field(c))); };
    k.decode = [field, min, max](T &c, const QJsonValue &v) {
        qint64 i = 0;
        if (!configjson::decodeInteger(v, min, max, &i))
            return false;
        field(c) = V(i);
        return true;
    };
    return k;
}

// An enumerated key written as one of a few words.
template<typename T, typename Field, typename E>
ConfigKey<T> enumKey(const char *path, Field field, E def, QList<std::pair<QString, E>> words,
                     const char *meaning)
{
    const auto wordOf = [words](E e) {
        for (const auto &w : words) {
            if (w.second == e)
                return w.first;
        }
        return QString();
    };
    QStringList accepted;
    for (const auto &w : words)
        accepted << w.first;
    const QString type = configjson::oneOf(accepted);

    ConfigKey<T> k = customKey<T>(path, configjson::compact(wordOf(def)), meaning);
    k.reset = [field, def](T &c) { field(c) = def; };
    k.read = [field, words, type, p = k.path](const ConfigReader &r, T &c) {
        const QJsonValue v = r.value(p);
        if (v.isUndefined())
            return;
        for (const auto &w : words) {
            if (v.toString() == w.first) {
                field(c) = w.second;
                return;
            }
        }
        r.expected(p, type);
    };
    k.write = [field, def, wordOf, p = k.path](QJsonObject &o, const T &c) {
        configjson::putPath(o, p, wordOf(field(c)), field(c) == def);
    };
    k.same = [field](const T &a, const T &b) { return field(a) == field(b); };
    k.encode = [field, wordOf](const T &c) { return QJsonValue(wordOf(field(c))); };
    return k;
}

// The rows of a sub-table (keys of a struct held by T) as rows of T under a dotted prefix.
template<typename T, typename Sub, typename Access>
QList<ConfigKey<T>> nest(const char *prefix, Access access, const ConfigKeyTable<Sub> &sub)
{
    const QString p = QString::fromLatin1(prefix);
    QList<ConfigKey<T>> out;
    for (const ConfigKey<Sub> &s : sub.keys) {
        ConfigKey<T> k;
        k.path = p + u'.' + s.path;
        k.defaultText = s.defaultText;
        k.meaning = s.meaning;
        k.editor = s.editor;
        if (s.reset)
            k.reset = [access, f = s.reset](T &c) { f(access(c)); };
        if (s.read)
            k.read
                = [access, p, f = s.read](const ConfigReader &r, T &c) { f(r.at(p), access(c)); };
        if (s.write)
            k.write = [access, p, f = s.write](QJsonObject &o, const T &c) {
                configjson::editObjectAt(o, p, [&](QJsonObject &inner) { f(inner, access(c)); });
            };
        if (s.check)
            k.check = [access, p, f = s.check](const T &c, const QString &pre) {
                return f(access(c), QString(pre + p + u'.'));
            };
        if (s.same)
            k.same
                = [access, f = s.same](const T &a, const T &b) { return f(access(a), access(b)); };
        out << k;
    }
    return out;
}

// One line of the documented key list: README.md's table holds exactly these.
struct ConfigKeyDoc
{
    QString path; // provider keys as models.providers.<name>.<key>
    QString defaultText;
    QString meaning;
};

namespace ConfigKeys {

const ConfigKeyTable<GatewayConfig> &gateway(); // every key of the file, in reading order
const ConfigKeyTable<RateLimitConfig> &rateLimit(); // gateway.auth.rateLimit.*
const ConfigKeyTable<StoreConfig> &store(); // passerelle.store.*
QList<ConfigKeyDoc> documentation(); // the file's keys, then each provider key once

} // namespace ConfigKeys

} // namespace passerelle
