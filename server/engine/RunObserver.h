#pragma once

// What a surface hears of its run (RunEngine::start), on the server thread: ready, queued, started,
// each content and tool-call delta, then exactly one of runFinished / runFailed - unless the
// surface aborts the run first; nothing is reported after abort. A runFailed before runReady is a
// refusal (nothing was asked of a backend; answer it as an error status). The surface turns these
// into its wire format (SSE chunks, a JSON body, WebSocket events).

#include "engine/RunRequest.h"

namespace passerelle {

class AgentRun;

class RunObserver
{
public:
    virtual ~RunObserver() = default;
    // The run exists and has reported nothing yet (from inside RunEngine::start, before it
    // begins): what comes next may come from inside start() too.
    virtual void runCreated(AgentRun *run) { Q_UNUSED(run); }
    // The history is loaded and the backend is about to be asked (perhaps after a queue). It may
    // come from inside RunEngine::start.
    virtual void runReady() { }
    // Waiting for its provider's admission (SPEC section 12): `position` runs are ahead of it.
    virtual void runQueued(int position) { Q_UNUSED(position); }
    // The backend was asked (left the queue, history loaded).
    virtual void runStarted() { }
    virtual void runContent(const QString &text) = 0;
    // One OpenAI tool-call delta: {"index":n, "id"?, "type"?, "function":{"name"?,"arguments"?}}
    virtual void runToolCall(const QJsonObject &delta) { Q_UNUSED(delta); }
    // What the store keeps as the response of a run that asked for it (RunRequest::storeResponse):
    // the surface's JSON of its answer. Called once, before it is stored and runFinished comes.
    virtual QByteArray runStoredBody(const RunResult &result)
    {
        Q_UNUSED(result);
        return {};
    }
    virtual void runFinished(const RunResult &result) = 0;
    virtual void runFailed(const RunFailure &failure) = 0;
};

} // namespace passerelle
