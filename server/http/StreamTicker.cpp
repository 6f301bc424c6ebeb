#include "http/StreamTicker.h"

#include <algorithm>
#include <vector>

namespace passerelle {

StreamTicker::StreamTicker(QObject *parent) : QObject(parent)
{
    m_clock.start();
    connect(&m_timer, &QTimer::timeout, this, &StreamTicker::tick);
    setKeepAliveMs(m_keepAliveMs);
}

void StreamTicker::setKeepAliveMs(int ms)
{
    m_keepAliveMs = std::max(1, ms);
    // A quarter of the silence, at most a second: keep-alives come within a second of when due.
    m_timer.setInterval(std::clamp(m_keepAliveMs / 4, 1, 1000));
    if (!m_streams.empty())
        m_timer.start();
}

void StreamTicker::add(Stream *stream)
{
    stream->m_lastWriteMs = nowMs();
    m_streams.insert(stream);
    if (!m_timer.isActive())
        m_timer.start();
}

void StreamTicker::remove(Stream *stream)
{
    m_streams.erase(stream);
    if (m_streams.empty())
        m_timer.stop();
}

void StreamTicker::tick()
{
    const qint64 now = nowMs();
    std::vector<Stream *> due;
    for (Stream *s : m_streams) {
        if (now - s->m_lastWriteMs >= m_keepAliveMs)
            due.push_back(s);
    }
    // A keep-alive may end a stream (its client gone): check membership before each call.
    for (Stream *s : due) {
        if (m_streams.count(s) == 0)
            continue;
        s->m_lastWriteMs = now;
        s->keepAlive();
    }
}

} // namespace passerelle
