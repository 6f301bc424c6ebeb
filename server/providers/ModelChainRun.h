#pragma once

// Runs an agent's model chain (primary, then each fallback in order; SPEC.md section 9): each
// attempt is a BackendRun made by the factory; the next model is tried only when an attempt fails
// before any output, and the last failure is the one reported. Deltas and the end are forwarded
// as this run's own signals. Server thread.

#include "providers/Backend.h"

#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

namespace passerelle {

class ModelChainRun final : public BackendRun
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelChainRun)

public:
    // Makes the run of one model reference ("provider/model"); nullptr with *error set when it
    // cannot (an unconfigured provider), which counts as that attempt failing.
    using Factory
        = std::function<std::unique_ptr<BackendRun>(const QString &modelRef, QString *error)>;

    ModelChainRun(const QStringList &modelChain, Factory factory, QObject *parent = nullptr);
    ~ModelChainRun() override;

    void start() override;
    void abort() override;
    void setPaused(bool paused) override;

    // The model reference of the attempt running now, or of the one that ended the chain.
    QString currentModel() const;
    int attemptCount() const { return m_attempt + 1; }

signals:
    // An attempt failed (before the chain's own failed(), when it is the last); `fallingBack`:
    // the next model of the chain starts now.
    void attemptFailed(const QString &modelRef, const passerelle::BackendError &error,
                       bool fallingBack);

private:
    void startAttempt(int index);
    void onAttemptFailed(const BackendError &error);
    void dropAttempt();

    QStringList m_chain;
    Factory m_factory;
    int m_attempt = -1;
    QPointer<BackendRun> m_current; // a child of this run
    bool m_started = false;
    bool m_done = false;
    bool m_paused = false;
};

} // namespace passerelle
