#pragma once

// What a stream adapter implements to follow a slow client (SPEC.md section 14, "Slow readers"):
// the connection under its SseWriter calls setClientBehind(true) once the bytes the client has not
// read pass passerelle.http.maxBufferedBytes, and setClientBehind(false) once it has read them
// down to half of that. An adapter over a run pauses the run meanwhile:
//
//     class MyStream : public QObject, private RunObserver, private FlowControl {
//         void setClientBehind(bool behind) override { if (m_run) m_run->setPaused(behind); }
//     };
//     m_sse->setFlowControl(this); // after SseWriter::begin()
//
// Server thread.

namespace passerelle {

class FlowControl
{
public:
    virtual ~FlowControl() = default;
    virtual void setClientBehind(bool behind) = 0;
};

} // namespace passerelle
