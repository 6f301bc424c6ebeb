#include "providers/RunPacer.h"

#include <vector>

namespace passerelle {

RunPacer::Client::~Client()
{
    if (m_pacer)
        m_pacer->cancel(this);
}

RunPacer::RunPacer(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RunPacer::fire);
}

RunPacer::~RunPacer()
{
    for (const auto &[client, ticket] : m_tickets)
        client->m_pacer = nullptr;
}

void RunPacer::schedule(Client *client, int delayMs)
{
    const quint64 ticket = m_nextTicket++;
    m_tickets[client] = ticket;
    client->m_pacer = this;
    const qint64 due = m_clock.elapsed() + qMax(1, delayMs);
    m_queues[qMax(1, delayMs)].push_back({due, client, ticket});
    if (m_armedFor < 0 || due < m_armedFor)
        arm();
}

void RunPacer::cancel(Client *client)
{
    // The queued entry stays and is skipped when it comes due (its ticket is gone).
    m_tickets.erase(client);
    client->m_pacer = nullptr;
}

void RunPacer::arm()
{
    qint64 next = -1;
    for (auto &[delay, queue] : m_queues) {
        // Drop cancelled entries at the head, so that they do not wake the thread for nothing.
        while (!queue.empty()) {
            const auto live = m_tickets.find(queue.front().client);
            if (live != m_tickets.end() && live->second == queue.front().ticket)
                break;
            queue.pop_front();
        }
        if (!queue.empty() && (next < 0 || queue.front().dueMs < next))
            next = queue.front().dueMs;
    }
    m_armedFor = next;
    if (next < 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(qMax<qint64>(0, next - m_clock.elapsed())));
}

void RunPacer::fire()
{
    m_armedFor = -1;
    const qint64 now = m_clock.elapsed();
    // Collect first: a wake-up may schedule the next one (into the same queue) or end runs.
    std::vector<std::pair<Client *, quint64>> due;
    for (auto &[delay, queue] : m_queues) {
        while (!queue.empty() && queue.front().dueMs <= now) {
            due.emplace_back(queue.front().client, queue.front().ticket);
            queue.pop_front();
        }
    }
    for (const auto &[client, ticket] : due) {
        const auto live = m_tickets.find(client);
        if (live == m_tickets.end() || live->second != ticket)
            continue; // cancelled (or destroyed) since, or rescheduled
        m_tickets.erase(live);
        client->m_pacer = nullptr;
        client->paced();
    }
    if (m_armedFor < 0)
        arm();
}

} // namespace passerelle
