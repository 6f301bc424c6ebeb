#pragma once

// What the run engine tells those who watch every run (the metrics), on the server thread: each
// failed model attempt (and whether the chain falls back to its next model), and each run's end
// with its surface, agent, outcome, first-output and total time and usage. Called synchronously
// from inside the run: a listener only counts, it never calls back into the engine.

#include "engine/RunRequest.h"

namespace passerelle {

enum class RunOutcome {
    Ok, // finished with an answer
    Error, // failed (an upstream error, a timeout, no usable model...)
    Busy, // refused by its provider's full admission queue (SPEC section 12)
    Aborted, // ended by its surface (the client left) or by the gateway stopping
};
const char *runOutcomeName(RunOutcome outcome); // "ok", "error", "busy", "aborted"

struct RunEnd
{
    Surface surface = Surface::ChatCompletions;
    QString agentId;
    RunOutcome outcome = RunOutcome::Ok;
    qint64 firstOutputNs = -1; // since the run started; -1: it produced nothing
    qint64 durationNs = 0;
    Usage usage;
};

class RunListener
{
public:
    virtual ~RunListener() = default;
    // An attempt of the model chain failed; `fallingBack`: the next model is tried now.
    virtual void attemptFailed(const QString &agentId, const QString &modelRef,
                               const BackendError &error, bool fallingBack)
    {
        Q_UNUSED(agentId);
        Q_UNUSED(modelRef);
        Q_UNUSED(error);
        Q_UNUSED(fallingBack);
    }
    virtual void runEnded(const RunEnd &end) = 0;
};

} // namespace passerelle
