#include "support/LogCapture.h"

#include <QMutexLocker>

namespace passerelle::test {

namespace {

// One capture at a time: Qt has one message handler per process.
QMutex g_instanceMutex;
LogCapture *g_instance = nullptr;

} // namespace

LogCapture::LogCapture()
{
    QMutexLocker lock(&g_instanceMutex);
    g_instance = this;
    m_previous = qInstallMessageHandler(&LogCapture::handler);
}

LogCapture::~LogCapture()
{
    QMutexLocker lock(&g_instanceMutex);
    qInstallMessageHandler(m_previous);
    g_instance = nullptr;
}

void LogCapture::handler(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    QMutexLocker lock(&g_instanceMutex);
    if (!g_instance)
        return;
    {
        QMutexLocker own(&g_instance->m_mutex);
        g_instance->m_lines.append(
            {QString::fromLatin1(context.category ? context.category : "default"), text});
    }
    if (g_instance->m_previous)
        g_instance->m_previous(type, context, text);
}

QList<LogCapture::Line> LogCapture::lines() const
{
    QMutexLocker lock(&m_mutex);
    return m_lines;
}

QStringList LogCapture::texts(const QString &category) const
{
    QMutexLocker lock(&m_mutex);
    QStringList out;
    for (const Line &l : m_lines) {
        if (l.category == category)
            out.append(l.text);
    }
    return out;
}

void LogCapture::clear()
{
    QMutexLocker lock(&m_mutex);
    m_lines.clear();
}

} // namespace passerelle::test
