#pragma once

// Gives the memory a big request freed back to the system (SPEC.md section 14, "Big requests":
// RSS back under 2x idle). glibc keeps freed heap pages in each thread's arena for reuse, so a
// 20 MB body would leave its peak behind for good; a moment after the last big request ended,
// malloc_trim(0) returns them, on a pool thread (it takes the arena locks), and again later (3, 15,
// 40 s) for what other threads (the store's, the pool's) freed after it. Elsewhere than glibc it
// does nothing. Server thread.

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

    void schedule(); // a big request has ended
    static void trimNow();

private:
    void trimAndRearm();

    QTimer m_timer;
    int m_stage = 0; // the delay m_timer runs for
};

} // namespace passerelle
