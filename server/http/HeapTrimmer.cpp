#include "http/HeapTrimmer.h"

#include <QThreadPool>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace passerelle {

HeapTrimmer::HeapTrimmer(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDelayMs);
    connect(&m_timer, &QTimer::timeout, this,
            [] { QThreadPool::globalInstance()->start([] { trimNow(); }); });
}

void HeapTrimmer::schedule()
{
    m_timer.start(); // one trim after a burst, not one per request
}

void HeapTrimmer::trimNow()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace passerelle
