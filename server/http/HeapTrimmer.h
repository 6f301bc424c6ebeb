#pragma once

// Gives the memory a big request freed back to the system (SPEC.md section 14, "Big requests":
// RSS back under 2x idle). glibc keeps freed heap pages in each thread's arena for reuse, so a
// 20 MB body would leave its peak behind for good; a moment after the last big request ended,
// malloc_trim(0) returns them, on a pool thread (it takes the arena locks). Elsewhere than glibc
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

    static constexpr int kDelayMs = 500;

    void schedule(); // a big request has ended
    static void trimNow();

private:
    QTimer m_timer;
};

} // namespace passerelle
