#include "engine/AdmittedRun.h"

#include <QTimer>

namespace passerelle {

AdmittedRun::AdmittedRun(std::unique_ptr<BackendRun> attempt, std::shared_ptr<ProviderGate> gate,
                         Hooks hooks, QObject *parent)
    : BackendRun(parent), m_attempt(std::move(attempt)), m_gate(std::move(gate)),
      m_hooks(std::move(hooks))
{
    relayDeltas(m_attempt.get());
    connect(m_attempt.get(), &BackendRun::finished, this,
            [this](const QString &reason, const passerelle::Usage &usage) {
                m_done = true;
                setStopSequence(m_attempt->stopSequence());
                leaveGate();
                emit finished(reason, usage);
            });
    connect(m_attempt.get(), &BackendRun::failed, this,
            [this](const passerelle::BackendError &error) {
                m_done = true;
                leaveGate();
                emit failed(error);
            });
}

AdmittedRun::~AdmittedRun()
{
    leaveGate();
}

void AdmittedRun::start()
{
    if (m_inGate || m_done)
        return;
    int ahead = 0;
    switch (m_gate->request(this, &ahead)) {
    case ProviderGate::Ticket::Running:
        m_inGate = true;
        startAttempt();
        return;
    case ProviderGate::Ticket::Queued:
        m_inGate = true;
        if (m_hooks.queued)
            m_hooks.queued(ahead);
        return;
    case ProviderGate::Ticket::Refused:
        // Reported from the event loop, never from inside start().
        QTimer::singleShot(0, this, [this] {
            if (m_done)
                return;
            m_done = true;
            BackendError error;
            error.kind = BackendError::Kind::Busy;
            error.message = QStringLiteral("provider '%1' is at maxConcurrent and its queue of %2 "
                                           "is full")
                                .arg(m_gate->provider())
                                .arg(m_gate->maxQueue());
            emit failed(error);
        });
        return;
    }
}

void AdmittedRun::admitted()
{
    if (m_done)
        return;
    startAttempt();
}

void AdmittedRun::startAttempt()
{
    if (m_hooks.admitted)
        m_hooks.admitted();
    if (m_done) // the hook may have aborted the run
        return;
    m_started = true;
    m_attempt->start();
    if (m_paused)
        m_attempt->setPaused(true);
}

void AdmittedRun::abort()
{
    if (m_done)
        return;
    m_done = true;
    m_attempt->abort();
    leaveGate();
}

void AdmittedRun::setPaused(bool paused)
{
    m_paused = paused;
    if (m_started)
        m_attempt->setPaused(paused);
}

void AdmittedRun::leaveGate()
{
    if (!m_inGate)
        return;
    m_inGate = false;
    m_gate->release(this);
}

} // namespace passerelle
