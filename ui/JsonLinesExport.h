#pragma once

// Writes requests of the log as JSON Lines: one compact JSON object per line with the row's
// fields, its (already redacted) request body, its response and its SSE frames. A plain function
// pair so tests can check the exact output; the page only adds the file dialog. GUI thread.

#include "RequestLogModel.h"

#include <QIODevice>
#include <QJsonObject>
#include <QList>

namespace passerelle {

class JsonLinesExport
{
public:
    static QJsonObject toJson(const RequestRecord &record,
                              const QList<RequestLogModel::Frame> &frames);
    // Writes the given requests (in that order; ids no longer in the log are skipped). Returns
    // the number of lines written, or -1 with *error set when the device fails.
    static int write(QIODevice &out, const RequestLogModel &log, const QList<quint64> &ids,
                     QString *error = nullptr);
};

} // namespace passerelle
