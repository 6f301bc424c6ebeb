#pragma once

// One timer for the keep-alives of every open stream (STYLE.md "Timers scale": thousands of
// streams must not each arm a timer of their own). A stream registers itself and notes each time
// it writes; the ticker calls back every stream that has been silent for keepAliveMs (SPEC.md
// sections 4 and 14: a comment every keepAliveMs of silence, within a second). Server thread.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <unordered_set>

namespace passerelle {

class StreamTicker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamTicker)

public:
    class Stream
    {
    public:
        virtual ~Stream() = default;
        virtual void keepAlive() = 0; // silent for keepAliveMs: write a keep-alive frame
        void noteWrite(const StreamTicker &ticker) { m_lastWriteMs = ticker.nowMs(); }

    private:
        friend class StreamTicker;
        qint64 m_lastWriteMs = 0;
    };

    explicit StreamTicker(QObject *parent = nullptr);

    void setKeepAliveMs(int ms);
    int keepAliveMs() const { return m_keepAliveMs; }
    void add(Stream *stream); // counts as a write now
    void remove(Stream *stream); // safe for a stream that is not registered
    int size() const { return int(m_streams.size()); }
    qint64 nowMs() const { return m_clock.elapsed(); }

private:
    void tick();

    std::unordered_set<Stream *> m_streams;
    QElapsedTimer m_clock;
    QTimer m_timer;
    int m_keepAliveMs = 15000;
};

} // namespace passerelle
