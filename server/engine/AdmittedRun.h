#pragma once

// One model attempt behind its provider's admission gate (SPEC.md section 12): start() asks the
// gate for a slot and starts the wrapped attempt once it has one; while it waits it reports its
// place in the queue; a full queue fails the attempt with Kind::Busy (so the model chain may try a
// fallback). The slot is handed back the moment the attempt ends, fails or is aborted. Forwards
// the attempt's signals as its own. Server thread.

#include "engine/ProviderGate.h"
#include "providers/Backend.h"

#include <functional>
#include <memory>

namespace passerelle {

class AdmittedRun final : public BackendRun, private ProviderGate::Waiter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdmittedRun)

public:
    struct Hooks
    {
        std::function<void(int ahead)> queued; // waiting, with `ahead` runs in front
        std::function<void()> admitted; // the attempt is about to start
    };

    AdmittedRun(std::unique_ptr<BackendRun> attempt, std::shared_ptr<ProviderGate> gate,
                Hooks hooks, QObject *parent = nullptr);
    ~AdmittedRun() override;

    void start() override;
    void abort() override;
    void setPaused(bool paused) override;

private:
    void admitted() override;
    void startAttempt();
    void leaveGate();

    std::unique_ptr<BackendRun> m_attempt;
    std::shared_ptr<ProviderGate> m_gate;
    Hooks m_hooks;
    bool m_inGate = false; // holds a slot or waits for one
    bool m_started = false;
    bool m_done = false;
    bool m_paused = false;
};

} // namespace passerelle
