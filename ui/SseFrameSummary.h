#pragma once

// What one logged event frame says, in a few readable words for the request log's events view:
// the content delta of a chat chunk, a tool call's name and argument piece, the finish reason or
// the usage, an error's message; for a named SSE event (whose name the view shows in a column of
// its own) the text it carries; else the event's name (a `type` field, a WebSocket event) with its
// text. Pure functions, any thread; texts through tr().

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace passerelle {

class SseFrameSummary
{
    Q_DECLARE_TR_FUNCTIONS(passerelle::SseFrameSummary)

public:
    // "" when the frame says nothing readable (an empty delta, a frame that is not JSON).
    static QString text(const QByteArray &frame);

private:
    static QString chatChunk(const QJsonObject &chunk);
    static QString deltaText(const QJsonObject &payload);
    static QString namedEvent(const QString &name, const QJsonObject &payload);
    static QString visible(const QString &text); // newlines and tabs shown, on one line
};

} // namespace passerelle
