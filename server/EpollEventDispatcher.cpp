#include "EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <functional>

#include <sys/eventfd.h>
#include <unistd.h>

namespace passerelle {

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_clock.start();
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll >= 0 && m_wakeFd >= 0) {
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = m_wakeFd;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev);
    }
    m_events.resize(1024);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

// --- sockets -------------------------------------------------------------------------------------

void EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
    quint32 events = 0;
    if (watch.read)
        events |= EPOLLIN;
    if (watch.write)
        events |= EPOLLOUT;
    if (watch.exception)
        events |= EPOLLPRI;
    if (events == watch.events)
        return;
    epoll_event ev {};
    ev.events = events;
    ev.data.fd = fd;
    if (events == 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(fd);
        return;
    }
    const int op = watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(m_epoll, op, fd, &ev) != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev); // the descriptor was closed and reused
    watch.events = events;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    std::replace(m_activating.begin(), m_activating.end(), notifier,
                 static_cast<QSocketNotifier *>(nullptr));
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    updateWatch(fd, watch);
}

int EpollEventDispatcher::activateSockets(int ready)
{
    // Collected first: a notifier's slot may disable or delete any notifier, ours included
    // (unregisterSocketNotifier then clears it from this list).
    m_activating.clear();
    for (int i = 0; i < ready; ++i) {
        const epoll_event &ev = m_events[size_t(i)];
        if (ev.data.fd == m_wakeFd)
            continue;
        const auto it = m_watches.find(ev.data.fd);
        if (it == m_watches.end())
            continue;
        const Watch &watch = it->second;
        // As Qt's poll dispatcher: a hang-up or an error wakes the reader and the writer.
        if (watch.read && (ev.events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
            m_activating.push_back(watch.read);
        if (watch.write && (ev.events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            m_activating.push_back(watch.write);
        if (watch.exception && (ev.events & EPOLLPRI))
            m_activating.push_back(watch.exception);
    }
    int sent = 0;
    for (size_t i = 0; i < m_activating.size(); ++i) {
        QSocketNotifier *notifier = m_activating[i];
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++sent;
    }
    m_activating.clear();
    return sent;
}

// --- timers --------------------------------------------------------------------------------------

void EpollEventDispatcher::pushDue(int timerId, Timer &timer)
{
    timer.generation = m_nextGeneration++;
    m_heap.push_back({timer.dueNs, timerId, timer.generation});
    std::push_heap(m_heap.begin(), m_heap.end(), std::greater<> {});
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer &timer = m_timers[timerId];
    timer.intervalMs = qMax<qint64>(0, interval);
    timer.type = timerType;
    timer.object = object;
    timer.dueNs = nowNs() + timer.intervalMs * 1000000;
    pushDue(timerId, timer);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.erase(timerId) > 0; // its heap entry goes stale
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> out;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            out.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return out;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    return int(qMax<qint64>(0, (it->second.dueNs - nowNs() + 999999) / 1000000));
}

qint64 EpollEventDispatcher::nextDueNs()
{
    while (!m_heap.empty()) {
        const Due &top = m_heap.front();
        const auto it = m_timers.find(top.timerId);
        if (it != m_timers.end() && it->second.generation == top.generation)
            return top.dueNs;
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<> {});
        m_heap.pop_back();
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = nowNs();
    // The timers due now, each once: one re-armed for 0 ms waits for the next turn.
    std::vector<int> due;
    while (true) {
        const qint64 next = nextDueNs();
        if (next < 0 || next > now)
            break;
        const int id = m_heap.front().timerId;
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<> {});
        m_heap.pop_back();
        due.push_back(id);
    }
    int sent = 0;
    for (const int id : due) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end())
            continue; // stopped by an earlier timer of this turn
        Timer &timer = it->second;
        // Re-armed before the event: a nested event loop in its handler does not fire it again.
        // A late timer is not made to catch up: its next time counts from now.
        const qint64 interval = timer.intervalMs * 1000000;
        timer.dueNs += interval;
        if (timer.dueNs <= now)
            timer.dueNs = now + interval;
        pushDue(id, timer);
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++sent;
    }
    return sent;
}

// --- the loop ------------------------------------------------------------------------------------

void EpollEventDispatcher::wakeUp()
{
    if (QThread::currentThreadId() == m_owner.load(std::memory_order_relaxed)) {
        m_localWake = true; // not in epoll_wait: it is this thread that runs
        return;
    }
    if (m_wakeUps.testAndSetAcquire(0, 1)) {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    m_owner.store(QThread::currentThreadId(), std::memory_order_relaxed);
    emit awake();
    m_localWake = false; // what was posted so far is sent now; what these post sets it again
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeSockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool wait
        = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupt.loadRelaxed() && !m_localWake;

    int timeoutMs = 0;
    if (wait) {
        const qint64 next = includeTimers ? nextDueNs() : -1;
        // Rounded up: a timer never fires before its time.
        timeoutMs = next < 0 ? -1 : int(qMax<qint64>(0, (next - nowNs() + 999999) / 1000000));
        if (timeoutMs != 0)
            emit aboutToBlock();
    }
    if (m_interrupt.loadRelaxed())
        return false;

    int ready = epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs);
    if (ready < 0)
        ready = 0; // EINTR
    emit awake();

    // The wake-up: posted events are sent at the start of the next turn (or below).
    bool woken = false;
    for (int i = 0; i < ready; ++i) {
        if (m_events[size_t(i)].data.fd == m_wakeFd) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &count, sizeof count);
            m_wakeUps.storeRelease(0);
            woken = true;
        }
    }
    int handled = 0;
    if (includeSockets)
        handled += activateSockets(ready);
    if (includeTimers)
        handled += activateTimers();
    if (std::exchange(m_localWake, false))
        woken = true;
    if (woken) {
        QCoreApplication::sendPostedEvents();
        ++handled;
    }
    if (ready == int(m_events.size()) && m_events.size() < 65536)
        m_events.resize(m_events.size() * 2);
    return handled > 0;
}

} // namespace passerelle
