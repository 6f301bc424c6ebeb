#pragma once

// A JSON5 reader (comments, unquoted keys, trailing commas, single quotes, hex numbers, +/-Infinity
// and NaN are rejected as non-JSON values) producing Qt's JSON types, with errors that name the
// line and column. Pure functions; any thread.

#include <QJsonValue>
#include <QString>

namespace passerelle {

struct Json5Error
{
    int line = 0; // 1-based; 0 when there is no error
    int column = 0; // 1-based
    QString message; // e.g. "unterminated string"

    bool isError() const { return line > 0; }
    QString toString() const; // "line 3, column 7: unterminated string"
};

class Json5
{
public:
    static QJsonValue parse(const QByteArray &utf8, Json5Error *error);
    // Pretty JSON (valid JSON5) with 2-space indentation, as the config file is written.
    static QByteArray serialize(const QJsonObject &object);
};

} // namespace passerelle
