#include "LiveChart.h"

#include "GatewayController.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace passerelle {

namespace {

// A "nice" axis maximum (1, 2, 5 × 10^n) at or above v.
double niceCeiling(double v)
{
    if (v <= 1)
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * p >= v)
            return m * p;
    }
    return 10 * p;
}

const QColor kBarColor(0x3b, 0x82, 0xc4);
const QColor kLineColor(0xe0, 0x7b, 0x1a);

} // namespace

LiveChart::LiveChart(const GatewayController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    m_tick.start();
}

QSize LiveChart::sizeHint() const
{
    return {560, 200};
}

QSize LiveChart::minimumSizeHint() const
{
    return {320, 140};
}

void LiveChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());

    const QFontMetrics fm = fontMetrics();
    const int legendH = fm.height() + 6;
    const int axisW = fm.horizontalAdvance(QStringLiteral("00000")) + 8;
    const QRectF plot(axisW, legendH + 4, width() - 2 * axisW,
                      height() - legendH - fm.height() - 12);
    if (plot.width() < 20 || plot.height() < 20 || !m_controller)
        return;

    const QList<TrafficStats::Second> secs
        = m_controller->traffic().window(QDateTime::currentSecsSinceEpoch());
    double maxReq = 0;
    double maxLat = 0;
    for (const auto &s : secs) {
        maxReq = std::max(maxReq, double(s.requests));
        maxLat = std::max(maxLat, s.meanLatencyMs());
    }
    maxReq = niceCeiling(maxReq);
    maxLat = niceCeiling(maxLat);

    // Grid and scales: requests/s on the left, latency on the right.
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(40);
    p.setPen(grid);
    const QLocale loc;
    for (int i = 0; i <= 4; ++i) {
        const double y = plot.bottom() - plot.height() * i / 4.0;
        p.setPen(grid);
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kBarColor.darker(110));
        p.drawText(QRectF(0, y - fm.height() / 2.0, axisW - 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, loc.toString(maxReq * i / 4.0, 'g', 4));
        p.setPen(kLineColor.darker(110));
        p.drawText(QRectF(plot.right() + 4, y - fm.height() / 2.0, axisW - 4, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, loc.toString(maxLat * i / 4.0, 'g', 4));
    }

    const int n = static_cast<int>(secs.size());
    const double slot = plot.width() / n;
    p.setPen(Qt::NoPen);
    p.setBrush(kBarColor);
    for (int i = 0; i < n; ++i) {
        if (secs.at(i).requests == 0)
            continue;
        const double h = plot.height() * secs.at(i).requests / maxReq;
        p.drawRect(
            QRectF(plot.left() + i * slot + 1, plot.bottom() - h, std::max(1.0, slot - 2), h));
    }

    QPainterPath line;
    bool open = false;
    for (int i = 0; i < n; ++i) {
        const double lat = secs.at(i).meanLatencyMs();
        if (lat < 0) {
            open = false;
            continue;
        }
        const QPointF pt(plot.left() + (i + 0.5) * slot,
                         plot.bottom() - plot.height() * lat / maxLat);
        if (open)
            line.lineTo(pt);
        else
            line.moveTo(pt);
        open = true;
        p.setBrush(kLineColor);
        p.drawEllipse(pt, 2.0, 2.0);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kLineColor, 2));
    p.drawPath(line);

    // Time axis and legend.
    p.setPen(pal.color(QPalette::Text));
    const double textY = plot.bottom() + 4;
    p.drawText(QRectF(plot.left(), textY, plot.width() / 2, fm.height()), Qt::AlignLeft,
               tr("−60 s"));
    p.drawText(QRectF(plot.center().x(), textY, plot.width() / 2, fm.height()), Qt::AlignRight,
               tr("now"));

    const QString reqLabel = tr("Requests per second");
    const QString latLabel = tr("Mean latency (ms)");
    double x = plot.left();
    p.fillRect(QRectF(x, 5, 12, fm.height() - 4), kBarColor);
    x += 16;
    p.drawText(QPointF(x, fm.ascent() + 3), reqLabel);
    x += fm.horizontalAdvance(reqLabel) + 18;
    p.setPen(QPen(kLineColor, 2));
    p.drawLine(QPointF(x, 3 + fm.height() / 2.0), QPointF(x + 12, 3 + fm.height() / 2.0));
    x += 16;
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QPointF(x, fm.ascent() + 3), latLabel);
}

} // namespace passerelle
