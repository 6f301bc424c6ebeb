#pragma once

// What every HTTP answer to an agent run shares (chat completions, responses, messages): a child
// of the client socket that hands its run to the engine, keeps the reply context and, for a
// stream, an SseWriter whose frames go to the request log and which the StreamTicker keeps alive
// while the backend is silent, and which pauses the run while the client is behind on its stream
// (SPEC.md section 14, "Slow readers"); it writes a JSON reply or ends its stream once, and when
// the client goes it aborts the run at once and dies with the socket. The surface's class derives
// from it and turns the run's events into its wire format (and, for another API, its errors and
// keep-alives). Server thread.

#include "engine/RunObserver.h"
#include "http/FlowControl.h"
#include "http/HttpExchange.h"
#include "http/SseWriter.h"
#include "http/StreamTicker.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace passerelle {

class AgentRun;
class RunEngine;

class RunAnswer : public QObject,
                  protected RunObserver,
                  private StreamTicker::Stream,
                  private FlowControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunAnswer)

public:
    ~RunAnswer() override; // aborts a run still going

protected:
    RunAnswer(HttpExchange &exchange, StreamTicker *ticker, bool stream);

    // Starts `request` with this answer as its observer. Refused by the engine: the error is
    // answered, this answer is deleted and false returned (touch nothing of it then). run() is
    // set before the run reports anything, which it may do from inside.
    bool launch(HttpExchange &exchange, RunEngine *engine, RunRequest request);
    // A stream opens when its run is ready (history loaded, the backend about to be asked; a
    // failure before that is answered as an error status): the head goes out, then the surface's
    // first frames (streamOpened), both before the backend's request; frames are logged and
    // keep-alives start.
    virtual void streamOpened() { }
    SseWriter *sse() { return m_sse ? &*m_sse : nullptr; }
    // A frame of the open stream ("data: ..." or a named event); it counts for the keep-alives.
    void writeData(const QByteArray &payload);
    void writeEvent(const QByteArray &name, const QByteArray &payload);
    AgentRun *run() const;
    // A complete (non-streaming) reply; the request log shows its body.
    void writeReply(const HttpReply &reply);
    // A failure as its error reply (with Retry-After when it has one).
    void writeFailure(const RunFailure &failure);
    // The error reply of a failure answered before any output (the engine's refusal, a failed
    // non-streaming run): section 4's shape, with Retry-After when it has one. A surface of
    // another API (Anthropic's) answers in its own shape.
    virtual HttpReply errorReply(const RunFailure &failure) const;
    // The keep-alive of a silent stream: a ": keep-alive" comment; a surface whose clients
    // expect an event (Anthropic's ping) writes that instead.
    virtual void writeKeepAlive();
    // The answer is complete: this goes, the run ends itself.
    void done();

    // RunObserver: the stream's opening. A surface that overrides runReady calls this one.
    void runCreated(AgentRun *run) override;
    void runReady() override;

private:
    void keepAlive() override; // StreamTicker::Stream
    // FlowControl: the client is maxBufferedBytes behind (the run waits) or caught up.
    void setClientBehind(bool behind) override;
    void onClientGone();

    QPointer<ClientSocket> m_socket;
    ReplyContext m_context;
    StreamTicker *m_ticker = nullptr;
    QPointer<RequestLog> m_log;
    std::optional<SseWriter> m_sse;
    QPointer<AgentRun> m_run;
    bool m_done = false;
};

} // namespace passerelle
