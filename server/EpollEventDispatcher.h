#pragma once

// The server thread's event dispatcher (issue 9): epoll for socket notifiers and a heap for
// timers, so that one turn of the event loop costs what is ready, not what is open. Qt's own
// dispatchers (glib, poll) hand every socket of the thread to the kernel on each turn and keep
// timers in a sorted list: with 10,000 streams open, each turn walked 10,000 descriptors and each
// timer re-arm 10,000 entries. Posted events are sent as Qt's dispatchers send them (first in
// each turn), wake-ups from other threads go through one eventfd written at most once per turn;
// the thread's own (an event it posts to itself: deleteLater, a queued call) only make the next
// wait return at once, without the write and read of the eventfd (two system calls per request
// on the echo path). Linux only; the thread that runs it, one per thread.

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QElapsedTimer>

#include <atomic>
#include <unordered_map>
#include <vector>

#include <sys/epoll.h>

class QSocketNotifier;

namespace passerelle {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused an epoll set or an eventfd (then use Qt's own).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // registered with epoll
    };
    struct Timer
    {
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 dueNs = 0;
        quint64 generation = 0;
    };
    struct Due
    {
        qint64 dueNs;
        int timerId;
        quint64 generation;
        bool operator>(const Due &o) const { return dueNs > o.dueNs; }
    };

    void updateWatch(int fd, Watch &watch);
    void pushDue(int timerId, Timer &timer);
    qint64 nextDueNs(); // -1: no timer; drops stale heap entries
    int activateTimers();
    int activateSockets(int ready);
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps = 0; // 1 once the eventfd was written this turn
    QAtomicInt m_interrupt = 0;
    std::atomic<Qt::HANDLE> m_owner {nullptr}; // the thread running processEvents
    bool m_localWake = false; // the owner posted to itself: the next wait does not block
    std::unordered_map<int, Watch> m_watches;
    std::vector<QSocketNotifier *> m_activating; // this turn's, cleared on unregister
    std::unordered_map<int, Timer> m_timers;
    std::vector<Due> m_heap; // min-heap of due times; stale entries skipped
    quint64 m_nextGeneration = 1;
    QElapsedTimer m_clock;
    std::vector<epoll_event> m_events;
};

} // namespace passerelle
