#include "engine/ProviderGate.h"

#include <algorithm>

namespace passerelle {

void ProviderGate::setLimits(int maxConcurrent, int maxQueue)
{
    m_maxConcurrent = std::max(0, maxConcurrent);
    m_maxQueue = std::max(0, maxQueue);
    admitWaiting();
    changed();
}

ProviderGate::Ticket ProviderGate::request(Waiter *waiter, int *ahead)
{
    if (m_queue.empty() && hasRoom()) {
        ++m_running;
        m_holders.push_back(waiter);
        changed();
        return Ticket::Running;
    }
    if (int(m_queue.size()) >= m_maxQueue)
        return Ticket::Refused;
    if (ahead)
        *ahead = int(m_queue.size());
    m_queue.push_back(waiter);
    changed();
    return Ticket::Queued;
}

void ProviderGate::release(Waiter *waiter)
{
    const auto holder = std::find(m_holders.begin(), m_holders.end(), waiter);
    if (holder != m_holders.end()) {
        m_holders.erase(holder);
        --m_running;
        admitWaiting();
        changed();
        return;
    }
    const auto before = m_queue.size();
    m_queue.remove(waiter);
    if (m_queue.size() != before)
        changed();
}

void ProviderGate::admitWaiting()
{
    // The gate's state is complete before each waiter hears of its slot: admitted() may start a
    // backend, which may in turn release (a failure reported at once) and admit the next.
    while (!m_queue.empty() && hasRoom()) {
        Waiter *next = m_queue.front();
        m_queue.pop_front();
        ++m_running;
        m_holders.push_back(next);
        next->admitted();
    }
}

} // namespace passerelle
