#pragma once

// One timer for the pacing of every paced run (the echo model's chunkDelayMs; STYLE.md "Timers
// scale"): Qt's timer list is linear in the number of timers, so thousands of streams each
// re-arming their own timer cost the server thread more per chunk the more streams there are. A
// run asks for one wake-up after `delayMs`; wake-ups of the same delay come due in the order they
// were asked, so each delay is a FIFO queue and a schedule or a wake-up costs O(1) whatever the
// number of streams. A cancelled or destroyed client is skipped. Server thread.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <map>
#include <unordered_map>

namespace passerelle {

class RunPacer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunPacer)

public:
    class Client
    {
    public:
        virtual ~Client();
        virtual void paced() = 0; // the wake-up asked for with schedule()

    private:
        friend class RunPacer;
        RunPacer *m_pacer = nullptr; // while a wake-up is pending
    };

    explicit RunPacer(QObject *parent = nullptr);
    ~RunPacer() override;

    // One wake-up of the client in delayMs (>= 1), replacing any it had pending.
    void schedule(Client *client, int delayMs);
    void cancel(Client *client); // safe when nothing is pending
    int pending() const { return int(m_tickets.size()); }

private:
    struct Entry
    {
        qint64 dueMs;
        Client *client;
        quint64 ticket;
    };
    void fire();
    void arm();

    std::map<int, std::deque<Entry>> m_queues; // by delay: each in due order
    std::unordered_map<Client *, quint64> m_tickets; // the live wake-up of each client
    quint64 m_nextTicket = 1;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_armedFor = -1;
};

} // namespace passerelle
