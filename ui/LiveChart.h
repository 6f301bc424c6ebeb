#pragma once

// A small live chart for the overview, painted with QPainter: requests per second as bars and
// mean latency as a line over the last minute, each with its own scale. Reads a TrafficStats it
// does not own and repaints every second. GUI thread.

#include <QTimer>
#include <QWidget>

namespace passerelle {

class TrafficStats;

class LiveChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveChart)

public:
    explicit LiveChart(const TrafficStats *stats, QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    const TrafficStats *m_stats = nullptr;
    QTimer m_tick;
};

} // namespace passerelle
