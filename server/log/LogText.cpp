#include "log/LogText.h"

namespace passerelle {

namespace {

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

} // namespace

QString LogText::escape(const QString &text, int maxChars)
{
    static const char hex[] = "0123456789ABCDEF";
    const qsizetype limit = qMax(4, maxChars);
    bool plain = text.size() <= limit;
    for (qsizetype i = 0; plain && i < text.size(); ++i)
        plain = !isControl(text.at(i).unicode());
    if (plain)
        return text;
    QString out;
    out.reserve(qMin(text.size(), limit) + 8);
    qsizetype lastFit = 0; // the longest whole prefix that leaves room for "..."
    for (const QChar ch : text) {
        if (out.size() <= limit - 3)
            lastFit = out.size();
        if (out.size() > limit)
            break;
        const char16_t c = ch.unicode();
        if (isControl(c)) {
            out += QLatin1String("\\x");
            out += QLatin1Char(hex[(c >> 4) & 0xf]);
            out += QLatin1Char(hex[c & 0xf]);
        } else {
            out += ch;
        }
    }
    if (out.size() <= limit)
        return out;
    if (lastFit > 0 && out.at(lastFit - 1).isHighSurrogate())
        --lastFit; // never half of a character
    out.truncate(lastFit);
    out += QLatin1String("...");
    return out;
}

QString LogText::escape(const QByteArray &utf8, int maxChars)
{
    return escape(QString::fromUtf8(utf8), maxChars);
}

} // namespace passerelle
