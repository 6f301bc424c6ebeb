#include "http/HeapTrimmer.h"

#include <QThreadPool>

#include <iterator>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace passerelle {

namespace {

// glibc adjusts its thresholds to the biggest block freed so far: after one 8 MB body its mmap
// threshold is 16 MB and its trim threshold 32 MB, so blocks that big come from the arenas from
// then on, and up to 32 MB free at the top of each thread's arena stays resident: malloc_trim
// returns free pages inside an arena, but the top of an arena other than the main one only
// shrinks on free, past the trim threshold. Fixed values end the adjustment: a block of 256 KiB or
// more is a mapping of its own, unmapped when freed; an arena keeps at most 1 MiB free at its top.
void fixAllocatorThresholds()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

} // namespace

HeapTrimmer::HeapTrimmer(QObject *parent) : QObject(parent)
{
    static const bool fixed = (fixAllocatorThresholds(), true);
    Q_UNUSED(fixed);
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
