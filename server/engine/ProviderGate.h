#pragma once

// Admission of one provider's runs (SPEC.md section 12): at most maxConcurrent of them talk to the
// provider at once (0: no limit); the next ones wait in a FIFO queue of at most maxQueue; beyond
// that a run is refused. A waiting run that leaves is dropped from the queue at once, and a
// finished one hands its slot to the head of the queue. Server thread; the engine keeps one per
// provider name, shared with the runs that hold or wait for a slot.

#include <QString>

#include <functional>
#include <list>

namespace passerelle {

class ProviderGate
{
public:
    // A party that waits for a slot.
    class Waiter
    {
    public:
        virtual ~Waiter() = default;
        virtual void admitted() = 0; // it now holds a slot
    };
    enum class Ticket { Running, Queued, Refused };

    explicit ProviderGate(QString provider) : m_provider(std::move(provider)) { }
    ProviderGate(const ProviderGate &) = delete;
    ProviderGate &operator=(const ProviderGate &) = delete;

    const QString &provider() const { return m_provider; }
    // New limits apply at once to waiting runs (more room admits them); running ones go on.
    void setLimits(int maxConcurrent, int maxQueue);
    int maxConcurrent() const { return m_maxConcurrent; }
    int maxQueue() const { return m_maxQueue; }

    // Running: the waiter holds a slot now. Queued: admitted() comes later, with *ahead runs
    // queued in front of it. Refused: the queue is full.
    Ticket request(Waiter *waiter, int *ahead = nullptr);
    // The waiter is done: frees its slot (admitting the next), or leaves the queue. Safe to call
    // for a waiter that holds nothing.
    void release(Waiter *waiter);

    int running() const { return m_running; }
    int queued() const { return int(m_queue.size()); }
    // Called after every change of running() or queued().
    void setOnChange(std::function<void()> onChange) { m_onChange = std::move(onChange); }

private:
    bool hasRoom() const { return m_maxConcurrent <= 0 || m_running < m_maxConcurrent; }
    void admitWaiting();
    void changed() const
    {
        if (m_onChange)
            m_onChange();
    }

    QString m_provider;
    int m_maxConcurrent = 0;
    int m_maxQueue = 64;
    int m_running = 0;
    std::list<Waiter *> m_holders; // waiters holding a slot (few: bounded by maxConcurrent)
    std::list<Waiter *> m_queue;
    std::function<void()> m_onChange;
};

} // namespace passerelle
