#pragma once

// Client-controlled text made safe for a one-line log (SPEC.md section 14, "Logs"): every control
// character (C0, DEL and C1) becomes \xNN and the text is cut to at most 200 characters ("..."
// marks a cut), so a request path, header or id can neither start a line of its own nor carry
// terminal escapes. Escaping what is already escaped changes nothing. Pure, any thread.

#include <QByteArray>
#include <QString>

namespace passerelle {

class LogText
{
public:
    static constexpr int kMaxChars = 200;

    static QString escape(const QString &text, int maxChars = kMaxChars);
    static QString escape(const QByteArray &utf8, int maxChars = kMaxChars);
};

} // namespace passerelle
