#pragma once

// Gives the memory a big request or a burst of connections freed back to the system (SPEC.md
// sections 13 and 14: RSS back under 2x idle within a minute). glibc keeps freed heap pages in
// each thread's arena for reuse, so a 20 MB body or 5,000 streams would leave their peak behind
// for good; a moment after the last big request or the burst ended,
// malloc_trim(0) returns them, on a pool thread (it takes the arena locks), and again later (3, 15,
// 40 s) for what other threads (the store's, the pool's) freed after it. The first trimmer fixes
// glibc's mmap and trim thresholds for the process (HeapTrimmer.cpp says why). Elsewhere than glibc
// it does nothing. Server thread.

#include <QObject>
#include <QTimer>

namespace passerelle {

class HeapTrimmer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeapTrimmer)

public:
    explicit HeapTrimmer(QObject *parent = nullptr);

    // After the last big request: a trim at each of these delays (ms), each counted from the one
    // before.
    static constexpr int kDelaysMs[] = {500, 2500, 12000, 25000};

    void schedule(); // a big request or a burst of connections has ended
    static void trimNow();

private:
    void trimAndRearm();

    QTimer m_timer;
    int m_stage = 0; // the delay m_timer runs for
};

} // namespace passerelle
