// The core's request statistics (TrafficStats): each request counted once across its updates,
// errors, running requests and streams, and the per-second window of the last minute.

#include "stats/TrafficStats.h"

#include <QTest>

using namespace passerelle;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0), Qt::UTC);

RequestRecord rec(quint64 id, int status = 0, bool finished = false, bool stream = false)
{
    RequestRecord r;
    r.id = id;
    r.startedAt = kT0.addMSecs(qint64(id) * 10);
    r.client = QStringLiteral("127.0.0.1");
    r.method = QStringLiteral("POST");
    r.path = QStringLiteral("/v1/chat/completions");
    r.agentId = QStringLiteral("main");
    r.sessionKey = QStringLiteral("agent:main:openai:%1").arg(id);
    r.model = QStringLiteral("openclaw");
    r.stream = stream;
    r.status = status;
    r.finished = finished;
    return r;
}

} // namespace

class TestTrafficStats : public QObject
{
    Q_OBJECT

private slots:
    void trafficCountsEachRequestOnce();
    void trafficWindowIgnoresOldSeconds();
    void snapshotCarriesTheCounters();
};

void TestTrafficStats::trafficCountsEachRequestOnce()
{
    TrafficStats s;
    s.ingest(LogBatch {{rec(1), rec(2, 200, false, true), rec(3, 500, true)}, {}});
    QCOMPARE(s.total(), 3);
    QCOMPARE(s.errors(), 1);
    QCOMPARE(s.activeStreams(), 1);
    QCOMPARE(s.running(), 2);
    RequestRecord done = rec(2, 200, true, true);
    done.durationMs = 400;
    s.ingest(LogBatch {{rec(1, 404, true), done, rec(3, 500, true)}, {}});
    QCOMPARE(s.total(), 3);
    QCOMPARE(s.errors(), 2);
    QCOMPARE(s.activeStreams(), 0);
    QCOMPARE(s.running(), 0);

    const qint64 now = kT0.toSecsSinceEpoch() + 1;
    const auto window = s.window(now);
    QCOMPARE(window.size(), TrafficStats::kWindowSeconds);
    QCOMPARE(window.last().epochSecond, now);
    QCOMPARE(window.at(window.size() - 2).requests, 3); // all started in kT0's second
    QCOMPARE(window.last().finished, 0);
}

void TestTrafficStats::trafficWindowIgnoresOldSeconds()
{
    TrafficStats s;
    RequestRecord fresh = rec(1, 200, true);
    fresh.startedAt = kT0;
    fresh.durationMs = 10;
    s.ingest(LogBatch {{fresh}, {}});
    // A request that started two minutes earlier must not wipe the current second's slot.
    RequestRecord old = rec(2, 200, true);
    old.startedAt = kT0.addSecs(-120);
    old.durationMs = 0;
    s.ingest(LogBatch {{old}, {}});
    const auto window = s.window(kT0.toSecsSinceEpoch());
    QCOMPARE(window.last().requests, 1);
    QCOMPARE(window.last().finished, 1);
    QCOMPARE(window.last().meanLatencyMs(), 10.0);
    QCOMPARE(s.total(), 2);
}

void TestTrafficStats::snapshotCarriesTheCounters()
{
    TrafficStats s;
    s.ingest(rec(1));
    s.ingest(rec(2, 200, false, true));
    s.ingest(rec(3, 500, true));
    const TrafficStats::Snapshot snap = s.snapshot();
    QCOMPARE(snap.total(), s.total());
    QCOMPARE(snap.errors(), 1);
    QCOMPARE(snap.running(), 2);
    QCOMPARE(snap.activeStreams(), 1);
    const qint64 now = kT0.toSecsSinceEpoch();
    QCOMPARE(snap.window(now).last().requests, 3);
    s.ingest(rec(4));
    QCOMPARE(snap.total(), 3); // a snapshot does not move with the stats
}

QTEST_GUILESS_MAIN(TestTrafficStats)
#include "tst_trafficstats.moc"
