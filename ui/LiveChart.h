#pragma once

// A small live chart for the overview, painted with QPainter: requests per second as bars and
// mean latency as a line over the last minute, each with its own scale. Reads the core's request
// statistics through the controller (the same figures a scraper gets) and repaints every second.
// GUI thread.

#include <QTimer>
#include <QWidget>

namespace passerelle {

class GatewayController;

class LiveChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveChart)

public:
    explicit LiveChart(const GatewayController *controller, QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    const GatewayController *m_controller = nullptr;
    QTimer m_tick;
};

} // namespace passerelle
