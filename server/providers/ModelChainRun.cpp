#include "providers/ModelChainRun.h"

#include "Logging.h"

#include <QTimer>

namespace passerelle {

ModelChainRun::ModelChainRun(const QStringList &modelChain, Factory factory, QObject *parent)
    : BackendRun(parent), m_chain(modelChain), m_factory(std::move(factory))
{
    m_chain.removeAll(QString());
}

ModelChainRun::~ModelChainRun()
{
    if (m_current) {
        disconnect(m_current, nullptr, this, nullptr);
        m_current->abort();
    }
}

QString ModelChainRun::currentModel() const
{
    return m_attempt >= 0 && m_attempt < m_chain.size() ? m_chain.at(m_attempt) : QString();
}

void ModelChainRun::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_chain.isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            if (m_done)
                return;
            m_done = true;
            BackendError error;
            error.kind = BackendError::Kind::Internal;
            error.message = QStringLiteral("the agent has no model");
            emit failed(error);
        });
        return;
    }
    startAttempt(0);
}

void ModelChainRun::abort()
{
    if (m_done)
        return;
    m_done = true;
    dropAttempt();
}

void ModelChainRun::setPaused(bool paused)
{
    m_paused = paused;
    if (m_current)
        m_current->setPaused(paused);
}

void ModelChainRun::dropAttempt()
{
    if (!m_current)
        return;
    BackendRun *attempt = m_current;
    m_current = nullptr;
    disconnect(attempt, nullptr, this, nullptr);
    attempt->abort();
    attempt->deleteLater(); // it may be inside its own signal right now
}

void ModelChainRun::startAttempt(int index)
{
    m_attempt = index;
    const QString modelRef = m_chain.at(index);
    QString error;
    std::unique_ptr<BackendRun> run = m_factory ? m_factory(modelRef, &error) : nullptr;
    if (!run) {
        BackendError failure;
        failure.kind = BackendError::Kind::Internal;
        failure.message
            = error.isEmpty() ? QStringLiteral("no backend for '%1'").arg(modelRef) : error;
        // Reported from the event loop, never from inside start().
        QTimer::singleShot(0, this, [this, failure] {
            if (!m_done)
                onAttemptFailed(failure);
        });
        return;
    }

    BackendRun *attempt = run.release();
    attempt->setParent(this);
    m_current = attempt;
    relayDeltas(attempt);
    connect(attempt, &BackendRun::finished, this,
            [this](const QString &finishReason, const passerelle::Usage &usage) {
                if (m_done)
                    return;
                m_done = true;
                setStopSequence(m_current->stopSequence());
                dropAttempt();
                emit finished(finishReason, usage);
            });
    connect(attempt, &BackendRun::failed, this, &ModelChainRun::onAttemptFailed);
    attempt->start();
    if (m_paused && m_current == attempt)
        attempt->setPaused(true);
}

void ModelChainRun::onAttemptFailed(const BackendError &error)
{
    if (m_done)
        return;
    const bool attemptHadOutput = m_current ? m_current->hasOutput() || hasOutput() : hasOutput();
    dropAttempt();
    const int next = m_attempt + 1;
    const bool fallingBack = !attemptHadOutput && next < m_chain.size();
    emit attemptFailed(m_chain.at(m_attempt), error, fallingBack);
    if (m_done) // aborted by a listener
        return;
    if (fallingBack) {
        qCInfo(lcUpstream).noquote() << "model" << m_chain.at(m_attempt) << "failed ("
                                     << error.message << "); trying fallback" << m_chain.at(next);
        startAttempt(next);
        return;
    }
    m_done = true;
    emit failed(error);
}

} // namespace passerelle
