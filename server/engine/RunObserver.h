#pragma once

// What a surface hears of its run (RunEngine::start), on the server thread: queued, started, each
// content and tool-call delta, then exactly one of runFinished / runFailed - unless the surface
// aborts the run first; nothing is reported after abort. The surface turns these into its wire
// format (SSE chunks, a JSON body, WebSocket events).

#include "engine/RunRequest.h"

namespace passerelle {

class RunObserver
{
public:
    virtual ~RunObserver() = default;
    // Waiting for its provider's admission (SPEC section 12): `position` runs are ahead of it.
    virtual void runQueued(int position) { Q_UNUSED(position); }
    // The backend was asked (left the queue, history loaded).
    virtual void runStarted() { }
    virtual void runContent(const QString &text) = 0;
    // One OpenAI tool-call delta: {"index":n, "id"?, "type"?, "function":{"name"?,"arguments"?}}
    virtual void runToolCall(const QJsonObject &delta) { Q_UNUSED(delta); }
    virtual void runFinished(const RunResult &result) = 0;
    virtual void runFailed(const RunFailure &failure) = 0;
};

} // namespace passerelle
