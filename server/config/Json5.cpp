#include "config/Json5.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace passerelle {

QString Json5Error::toString() const
{
    return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(message);
}

namespace {

constexpr int MaxDepth = 512;

bool isLineTerminator(char32_t c)
{
    return c == u'\n' || c == u'\r' || c == 0x2028 || c == 0x2029;
}

bool isJson5Space(char32_t c)
{
    switch (c) {
    case u'\t':
    case u'\n':
    case 0x0B: // vertical tab
    case 0x0C: // form feed
    case u'\r':
    case u' ':
    case 0x00A0:
    case 0x2028:
    case 0x2029:
    case 0xFEFF:
        return true;
    default:
        return QChar::category(c) == QChar::Separator_Space;
    }
}

bool isIdentifierStart(char32_t c)
{
    if (c == u'$' || c == u'_')
        return true;
    if (c < 0x80)
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Number_Letter:
        return true;
    default:
        return false;
    }
}

bool isIdentifierPart(char32_t c)
{
    if (isIdentifierStart(c))
        return true;
    if (c < 0x80)
        return c >= u'0' && c <= u'9';
    if (c == 0x200C || c == 0x200D) // ZWNJ, ZWJ
        return true;
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Number_DecimalDigit:
    case QChar::Punctuation_Connector:
        return true;
    default:
        return false;
    }
}

int hexValue(char32_t c)
{
    if (c >= u'0' && c <= u'9')
        return int(c - u'0');
    if (c >= u'a' && c <= u'f')
        return int(c - u'a') + 10;
    if (c >= u'A' && c <= u'F')
        return int(c - u'A') + 10;
    return -1;
}

// How an offending character is named in a message: quoted when printable, U+XXXX otherwise.
QString describe(char32_t c)
{
    if (c > u' ' && c != 0x7F && QChar::isPrint(c))
        return u'\'' + QString::fromUcs4(&c, 1) + u'\'';
    return QStringLiteral("U+%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
}

// Byte offset of the first invalid UTF-8 sequence, or -1. Rejects overlong forms, surrogates and
// code points above U+10FFFF, as QString::fromUtf8 would silently replace them.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((b & 0xE0) == 0xC0) {
            len = 2, cp = b & 0x1F, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3, cp = b & 0x0F, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4, cp = b & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

// Recursive descent over the decoded text, one instance per parse() call (any thread). Depth is
// capped so hostile input cannot exhaust the stack; the first error found is the one reported.
class Parser
{
public:
    explicit Parser(const QString &text) : m_text(text) { }

    QJsonValue parseDocument(Json5Error *error)
    {
        QJsonValue value;
        bool ok = skipSpace() && parseValue(&value) && skipSpace();
        if (ok && m_pos < m_text.size())
            ok = fail(m_pos,
                      QStringLiteral("unexpected character %1 after the end of the value")
                          .arg(describe(codePoint(m_pos))));
        if (!ok) {
            if (error)
                *error = errorAt(m_errorPos, m_errorMessage);
            return QJsonValue(QJsonValue::Undefined);
        }
        if (error)
            *error = Json5Error {};
        return value;
    }

    // Line and column (1-based, in code points) of a position in the text.
    Json5Error errorAt(qsizetype pos, const QString &message) const
    {
        Json5Error e;
        e.line = 1;
        e.column = 1;
        e.message = message;
        for (qsizetype i = 0; i < pos && i < m_text.size(); ++i) {
            const char16_t c = m_text.at(i).unicode();
            const bool crlf = c == u'\r' && i + 1 < m_text.size() && m_text.at(i + 1) == u'\n';
            if (isLineTerminator(c) && !crlf) {
                ++e.line;
                e.column = 1;
            } else if (!QChar::isLowSurrogate(c) || i == 0
                       || !QChar::isHighSurrogate(m_text.at(i - 1).unicode())) {
                ++e.column;
            }
        }
        return e;
    }

private:
    bool fail(qsizetype pos, const QString &message)
    {
        if (m_errorPos < 0) {
            m_errorPos = pos;
            m_errorMessage = message;
        }
        return false;
    }

    bool failEnd() { return fail(m_text.size(), QStringLiteral("unexpected end of input")); }

    bool atEnd() const { return m_pos >= m_text.size(); }

    // The code point at pos (a surrogate pair read as one), 0 past the end.
    char32_t codePoint(qsizetype pos, int *units = nullptr) const
    {
        if (units)
            *units = 1;
        if (pos >= m_text.size())
            return 0;
        const char16_t c = m_text.at(pos).unicode();
        if (QChar::isHighSurrogate(c) && pos + 1 < m_text.size()
            && QChar::isLowSurrogate(m_text.at(pos + 1).unicode())) {
            if (units)
                *units = 2;
            return QChar::surrogateToUcs4(c, m_text.at(pos + 1).unicode());
        }
        return c;
    }

    char16_t peek(qsizetype offset = 0) const
    {
        const qsizetype p = m_pos + offset;
        return p < m_text.size() ? m_text.at(p).unicode() : u'\0';
    }

    bool skipSpace()
    {
        while (!atEnd()) {
            const char16_t c = peek();
            if (isJson5Space(c)) {
                ++m_pos;
            } else if (c == u'/' && peek(1) == u'/') {
                m_pos += 2;
                while (!atEnd() && !isLineTerminator(peek()))
                    ++m_pos;
            } else if (c == u'/' && peek(1) == u'*') {
                const qsizetype start = m_pos;
                const qsizetype end = m_text.indexOf(QLatin1String("*/"), m_pos + 2);
                if (end < 0)
                    return fail(start, QStringLiteral("unterminated comment"));
                m_pos = end + 2;
            } else {
                break;
            }
        }
        return true;
    }

    bool parseValue(QJsonValue *out)
    {
        if (atEnd())
            return failEnd();
        const char16_t c = peek();
        switch (c) {
        case u'{':
            return parseObject(out);
        case u'[':
            return parseArray(out);
        case u'"':
        case u'\'': {
            QString s;
            if (!parseString(&s))
                return false;
            *out = s;
            return true;
        }
        case u'+':
        case u'-':
        case u'.':
            return parseNumber(out);
        default:
            break;
        }
        if (c >= u'0' && c <= u'9')
            return parseNumber(out);
        if (isIdentifierStart(codePoint(m_pos)))
            return parseWord(out);
        return fail(m_pos,
                    QStringLiteral("unexpected character %1").arg(describe(codePoint(m_pos))));
    }

    // A bare word in value position: true, false, null, or a diagnosis of what it is instead.
    bool parseWord(QJsonValue *out)
    {
        const qsizetype start = m_pos;
        const QString word = readWord();
        if (word == QLatin1String("true")) {
            *out = true;
        } else if (word == QLatin1String("false")) {
            *out = false;
        } else if (word == QLatin1String("null")) {
            *out = QJsonValue(QJsonValue::Null);
        } else if (word == QLatin1String("Infinity") || word == QLatin1String("NaN")) {
            return failNonFinite(start, word);
        } else {
            // the word itself is not quoted: an unquoted value may well be a secret
            return fail(start, QStringLiteral("unexpected identifier (strings need quotes)"));
        }
        return true;
    }

    QString readWord()
    {
        const qsizetype start = m_pos;
        while (!atEnd()) {
            int units = 1;
            if (!isIdentifierPart(codePoint(m_pos, &units)))
                break;
            m_pos += units;
        }
        return m_text.mid(start, m_pos - start);
    }

    bool failNonFinite(qsizetype pos, const QString &word)
    {
        return fail(
            pos,
            QStringLiteral("%1 is not supported: JSON has no representation for it").arg(word));
    }

    bool enter(qsizetype pos)
    {
        if (++m_depth > MaxDepth)
            return fail(pos, QStringLiteral("nesting deeper than %1 levels").arg(MaxDepth));
        return true;
    }

    bool parseObject(QJsonValue *out)
    {
        if (!enter(m_pos))
            return false;
        ++m_pos; // '{'
        QJsonObject object;
        if (!skipSpace())
            return false;
        while (true) {
            if (atEnd())
                return failEnd();
            if (peek() == u'}')
                break;
            QString key;
            if (!parseKey(&key) || !skipSpace())
                return false;
            if (atEnd())
                return failEnd();
            if (peek() != u':')
                return fail(m_pos,
                            QStringLiteral("expected ':' after key \"%1\", found %2")
                                .arg(key, describe(codePoint(m_pos))));
            ++m_pos;
            QJsonValue value;
            if (!skipSpace() || !parseValue(&value) || !skipSpace())
                return false;
            object.insert(key, value); // a repeated key replaces the earlier one, as JSON.parse
            if (atEnd())
                return failEnd();
            if (peek() == u',') {
                ++m_pos;
                if (!skipSpace())
                    return false;
                continue;
            }
            if (peek() == u'}')
                break;
            return fail(m_pos,
                        QStringLiteral("expected ',' or '}' after a member, found %1")
                            .arg(describe(codePoint(m_pos))));
        }
        ++m_pos; // '}'
        --m_depth;
        *out = object;
        return true;
    }

    bool parseArray(QJsonValue *out)
    {
        if (!enter(m_pos))
            return false;
        ++m_pos; // '['
        QJsonArray array;
        if (!skipSpace())
            return false;
        while (true) {
            if (atEnd())
                return failEnd();
            if (peek() == u']')
                break;
            QJsonValue value;
            if (!parseValue(&value) || !skipSpace())
                return false;
            array.append(value);
            if (atEnd())
                return failEnd();
            if (peek() == u',') {
                ++m_pos;
                if (!skipSpace())
                    return false;
                continue;
            }
            if (peek() == u']')
                break;
            return fail(m_pos,
                        QStringLiteral("expected ',' or ']' after an element, found %1")
                            .arg(describe(codePoint(m_pos))));
        }
        ++m_pos; // ']'
        --m_depth;
        *out = array;
        return true;
    }

    bool parseKey(QString *key)
    {
        const char16_t c = peek();
        if (c == u'"' || c == u'\'')
            return parseString(key);
        const qsizetype start = m_pos;
        char32_t first = 0;
        if (!identifierChar(&first))
            return false;
        if (m_pos == start || !isIdentifierStart(first)) {
            m_pos = start;
            return fail(
                start,
                QStringLiteral("expected a key or '}', found %1").arg(describe(codePoint(start))));
        }
        key->append(QString::fromUcs4(&first, 1));
        while (!atEnd()) {
            const qsizetype at = m_pos;
            char32_t ch = 0;
            if (!identifierChar(&ch))
                return false;
            if (m_pos == at)
                break;
            if (!isIdentifierPart(ch)) {
                // an escape that decodes to a character not allowed in a name
                return fail(at, QStringLiteral("invalid character in key"));
            }
            key->append(QString::fromUcs4(&ch, 1));
        }
        return true;
    }

    // Reads one identifier character (literal or \uXXXX). Leaves m_pos unchanged when the next
    // character cannot be part of an identifier.
    bool identifierChar(char32_t *out)
    {
        if (peek() == u'\\') {
            const qsizetype start = m_pos;
            if (peek(1) != u'u')
                return fail(start, QStringLiteral("bad escape in key: expected \\u"));
            int v = 0;
            for (int k = 2; k < 6; ++k) {
                const int h = hexValue(peek(k));
                if (h < 0)
                    return fail(start, QStringLiteral("bad \\u escape: expected 4 hex digits"));
                v = v * 16 + h;
            }
            m_pos += 6;
            *out = char32_t(v);
            return true;
        }
        int units = 1;
        const char32_t c = codePoint(m_pos, &units);
        if (!atEnd() && isIdentifierPart(c)) {
            *out = c;
            m_pos += units;
        }
        return true;
    }

    bool parseString(QString *out)
    {
        const qsizetype start = m_pos;
        const char16_t quote = peek();
        ++m_pos;
        QString s;
        while (true) {
            if (atEnd())
                return fail(start, QStringLiteral("unterminated string"));
            const char16_t c = peek();
            if (c == quote) {
                ++m_pos;
                break;
            }
            if (c == u'\n' || c == u'\r')
                return fail(start, QStringLiteral("unterminated string"));
            if (c != u'\\') {
                s.append(QChar(c));
                ++m_pos;
                continue;
            }
            const qsizetype escape = m_pos;
            const char16_t e = peek(1);
            m_pos += 2;
            switch (e) {
            case u'\0':
                if (escape + 1 >= m_text.size())
                    return fail(start, QStringLiteral("unterminated string"));
                s.append(QChar(e));
                break;
            case u'b':
                s.append(QChar(u'\b'));
                break;
            case u'f':
                s.append(QChar(u'\f'));
                break;
            case u'n':
                s.append(QChar(u'\n'));
                break;
            case u'r':
                s.append(QChar(u'\r'));
                break;
            case u't':
                s.append(QChar(u'\t'));
                break;
            case u'v':
                s.append(QChar(u'\v'));
                break;
            case u'0':
                if (peek() >= u'0' && peek() <= u'9')
                    return fail(escape,
                                QStringLiteral(
                                    "bad escape sequence \"\\0%1\": octal escapes are not allowed")
                                    .arg(QChar(peek())));
                s.append(QChar(u'\0'));
                break;
            case u'1':
            case u'2':
            case u'3':
            case u'4':
            case u'5':
            case u'6':
            case u'7':
            case u'8':
            case u'9':
                return fail(escape, QStringLiteral("bad escape sequence \"\\%1\"").arg(QChar(e)));
            case u'x':
            case u'u': {
                const int digits = e == u'x' ? 2 : 4;
                int v = 0;
                for (int k = 0; k < digits; ++k) {
                    const int h = hexValue(peek(k));
                    if (h < 0)
                        return fail(escape,
                                    QStringLiteral("bad \\%1 escape: expected %2 hex digits")
                                        .arg(QChar(e))
                                        .arg(digits));
                    v = v * 16 + h;
                }
                m_pos += digits;
                s.append(QChar(char16_t(v)));
                break;
            }
            case u'\r': // line continuation; CR LF counts as one terminator
                if (peek() == u'\n')
                    ++m_pos;
                break;
            case u'\n':
            case 0x2028:
            case 0x2029:
                break;
            default:
                // JSON5: any other character stands for itself (\' \" \\ \/ and e.g. \a -> a)
                s.append(QChar(e));
                break;
            }
        }
        *out = s;
        return true;
    }

    bool parseNumber(QJsonValue *out)
    {
        const qsizetype start = m_pos;
        bool negative = false;
        if (peek() == u'+' || peek() == u'-') {
            negative = peek() == u'-';
            ++m_pos;
        }
        if (isIdentifierStart(peek())) {
            const QString word = readWord();
            if (word == QLatin1String("Infinity") || word == QLatin1String("NaN"))
                return failNonFinite(start, m_text.mid(start, m_pos - start));
            return fail(start, QStringLiteral("invalid number"));
        }
        if (peek() == u'0' && (peek(1) == u'x' || peek(1) == u'X'))
            return parseHex(start, negative, out);

        const qsizetype digitsStart = m_pos;
        qsizetype intDigits = 0;
        qsizetype fracDigits = 0;
        bool isInteger = true;
        while (peek() >= u'0' && peek() <= u'9') {
            ++m_pos;
            ++intDigits;
        }
        if (intDigits > 1 && m_text.at(digitsStart) == u'0')
            return fail(start, QStringLiteral("leading zeros are not allowed"));
        if (peek() == u'.') {
            isInteger = false;
            ++m_pos;
            while (peek() >= u'0' && peek() <= u'9') {
                ++m_pos;
                ++fracDigits;
            }
        }
        if (intDigits == 0 && fracDigits == 0)
            return fail(start, QStringLiteral("invalid number"));
        if (peek() == u'e' || peek() == u'E') {
            isInteger = false;
            ++m_pos;
            if (peek() == u'+' || peek() == u'-')
                ++m_pos;
            qsizetype expDigits = 0;
            while (peek() >= u'0' && peek() <= u'9') {
                ++m_pos;
                ++expDigits;
            }
            if (expDigits == 0)
                return fail(start, QStringLiteral("invalid number"));
        }
        if (!atEnd() && isIdentifierPart(codePoint(m_pos)))
            return fail(m_pos,
                        QStringLiteral("unexpected character %1 in a number")
                            .arg(describe(codePoint(m_pos))));

        const QByteArray latin = m_text.mid(digitsStart, m_pos - digitsStart).toLatin1();
        if (isInteger) {
            bool ok = false;
            const qint64 v = latin.toLongLong(&ok);
            if (ok && !(negative && v == 0)) {
                *out = negative ? -v : v;
                return true;
            }
        }
        bool ok = false;
        // toDouble does not take "5." or ".5" in every Qt version: complete them
        QByteArray normal = latin;
        if (normal.startsWith('.'))
            normal.prepend('0');
        normal.replace(".e", ".0e").replace(".E", ".0E");
        if (normal.endsWith('.'))
            normal.append('0');
        double d = normal.toDouble(&ok);
        if (!ok || !std::isfinite(d)) {
            // the syntax is already checked: toDouble refused an overflow or an underflow
            if (decimalMagnitude(normal) > 0)
                return fail(start, QStringLiteral("number out of range"));
            d = 0; // too small to represent: zero, as JSON.parse gives
        }
        *out = negative ? -d : d;
        return true;
    }

    // Roughly log10 of a checked decimal literal (digits[.digits][e[+-]digits]): > 0 when the
    // value is at least 1.
    static qint64 decimalMagnitude(const QByteArray &literal)
    {
        const qsizetype e = qMax(literal.indexOf('e'), literal.indexOf('E'));
        const QByteArray mantissa = e < 0 ? literal : literal.left(e);
        const qint64 exponent
            = e < 0 ? 0 : qBound(-100000LL, literal.mid(e + 1).toLongLong(), 100000LL);
        const qsizetype dot = mantissa.indexOf('.');
        QByteArray intPart = dot < 0 ? mantissa : mantissa.left(dot);
        const QByteArray fracPart = dot < 0 ? QByteArray() : mantissa.mid(dot + 1);
        while (intPart.startsWith('0'))
            intPart.remove(0, 1);
        if (!intPart.isEmpty())
            return intPart.size() + exponent;
        qsizetype zeros = 0;
        while (zeros < fracPart.size() && fracPart.at(zeros) == '0')
            ++zeros;
        return exponent - zeros;
    }

    bool parseHex(qsizetype start, bool negative, QJsonValue *out)
    {
        m_pos += 2;
        quint64 value = 0;
        double approx = 0;
        bool overflow = false;
        qsizetype digits = 0;
        while (hexValue(peek()) >= 0) {
            const int h = hexValue(peek());
            if (value > (std::numeric_limits<quint64>::max() >> 4))
                overflow = true;
            value = (value << 4) | quint64(h);
            approx = approx * 16 + h;
            ++m_pos;
            ++digits;
        }
        if (digits == 0)
            return fail(start, QStringLiteral("invalid number"));
        if (!atEnd() && isIdentifierPart(codePoint(m_pos)))
            return fail(m_pos,
                        QStringLiteral("unexpected character %1 in a number")
                            .arg(describe(codePoint(m_pos))));
        constexpr quint64 maxInt = quint64(std::numeric_limits<qint64>::max());
        if (!overflow && value <= maxInt) {
            *out = negative ? -qint64(value) : qint64(value);
            return true;
        }
        if (!std::isfinite(approx))
            return fail(start, QStringLiteral("number out of range"));
        *out = negative ? -approx : approx;
        return true;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_depth = 0;
    qsizetype m_errorPos = -1;
    QString m_errorMessage;
};

void writeString(QByteArray &out, const QString &s)
{
    QString escaped;
    escaped.reserve(s.size() + 2);
    escaped.append(u'"');
    for (const QChar ch : s) {
        switch (ch.unicode()) {
        case u'"':
            escaped.append(QLatin1String("\\\""));
            break;
        case u'\\':
            escaped.append(QLatin1String("\\\\"));
            break;
        case u'\b':
            escaped.append(QLatin1String("\\b"));
            break;
        case u'\f':
            escaped.append(QLatin1String("\\f"));
            break;
        case u'\n':
            escaped.append(QLatin1String("\\n"));
            break;
        case u'\r':
            escaped.append(QLatin1String("\\r"));
            break;
        case u'\t':
            escaped.append(QLatin1String("\\t"));
            break;
        default:
            if (ch.unicode() < 0x20)
                escaped.append(QStringLiteral("\\u%1").arg(ch.unicode(), 4, 16, QLatin1Char('0')));
            else
                escaped.append(ch);
        }
    }
    escaped.append(u'"');
    out.append(escaped.toUtf8());
}

void writeValue(QByteArray &out, const QJsonValue &v, int indent);

void writeIndent(QByteArray &out, int indent)
{
    out.append(QByteArray(indent, ' '));
}

void writeValue(QByteArray &out, const QJsonValue &v, int indent)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null");
        break;
    case QJsonValue::Bool:
        out.append(v.toBool() ? "true" : "false");
        break;
    case QJsonValue::Double: {
        constexpr qint64 notInteger = std::numeric_limits<qint64>::min();
        const qint64 i = v.toInteger(notInteger);
        const double d = v.toDouble();
        if (i != notInteger)
            out.append(QByteArray::number(i));
        else if (!std::isfinite(d))
            out.append("null");
        else
            out.append(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
        break;
    }
    case QJsonValue::String:
        writeString(out, v.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        if (a.isEmpty()) {
            out.append("[]");
            break;
        }
        out.append("[\n");
        for (qsizetype i = 0; i < a.size(); ++i) {
            writeIndent(out, indent + 2);
            writeValue(out, a.at(i), indent + 2);
            out.append(i + 1 < a.size() ? ",\n" : "\n");
        }
        writeIndent(out, indent);
        out.append(']');
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        if (o.isEmpty()) {
            out.append("{}");
            break;
        }
        out.append("{\n");
        qsizetype i = 0;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it, ++i) {
            writeIndent(out, indent + 2);
            writeString(out, it.key());
            out.append(": ");
            writeValue(out, it.value(), indent + 2);
            out.append(i + 1 < o.size() ? ",\n" : "\n");
        }
        writeIndent(out, indent);
        out.append('}');
        break;
    }
    }
}

} // namespace

QJsonValue Json5::parse(const QByteArray &utf8, Json5Error *error)
{
    const qsizetype bad = firstInvalidUtf8(utf8);
    if (bad >= 0) {
        const QString before = QString::fromUtf8(utf8.left(bad));
        const Parser prefix(before);
        if (error)
            *error = prefix.errorAt(before.size(), QStringLiteral("invalid UTF-8"));
        return QJsonValue(QJsonValue::Undefined);
    }
    const QString text = QString::fromUtf8(utf8);
    Parser parser(text);
    return parser.parseDocument(error);
}

QByteArray Json5::serialize(const QJsonObject &object)
{
    QByteArray out;
    writeValue(out, object, 0);
    out.append('\n');
    return out;
}

} // namespace passerelle
