#include "http/HeapTrimmer.h"

#include <QThreadPool>

#include <iterator>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace passerelle {

HeapTrimmer::HeapTrimmer(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HeapTrimmer::trimAndRearm);
}

void HeapTrimmer::schedule()
{
    // A few trims after a burst, not one per request: each new big request starts them again.
    m_stage = 0;
    m_timer.start(kDelaysMs[0]);
}

void HeapTrimmer::trimAndRearm()
{
    QThreadPool::globalInstance()->start([] { trimNow(); });
    if (++m_stage < int(std::size(kDelaysMs)))
        m_timer.start(kDelaysMs[m_stage]);
}

void HeapTrimmer::trimNow()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace passerelle
