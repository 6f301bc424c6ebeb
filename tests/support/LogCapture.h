#pragma once

// Records every Qt log message (category and text) while it lives, from any thread, and passes
// each on to the handler that was installed before it. For tests of what the gateway logs: how
// often, with which text, and that no secret or raw control character reaches a line.

#include <QList>
#include <QMutex>
#include <QString>
#include <QtGlobal>

namespace passerelle::test {

class LogCapture
{
public:
    struct Line
    {
        QString category;
        QString text;
    };

    LogCapture();
    ~LogCapture();
    Q_DISABLE_COPY_MOVE(LogCapture)

    QList<Line> lines() const;
    // The texts of the lines of one category ("passerelle.http"), in order.
    QStringList texts(const QString &category) const;
    void clear();

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &text);

    mutable QMutex m_mutex;
    QList<Line> m_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace passerelle::test
