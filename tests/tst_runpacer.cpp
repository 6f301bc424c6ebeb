// RunPacer on its own: wake-ups in due order across delays and in request order within one,
// thousands of clients three times each, cancel and destruction silencing a client, a new
// schedule replacing a pending one, and a wake-up that schedules the next.

#include "providers/RunPacer.h"

#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace passerelle;

namespace {

struct Probe final : RunPacer::Client
{
    Probe(int id, std::vector<int> *log) : id(id), log(log) { }
    void paced() override
    {
        log->push_back(id);
        if (--again > 0)
            pacer->schedule(this, delay);
    }
    int id;
    std::vector<int> *log;
    RunPacer *pacer = nullptr;
    int again = 0;
    int delay = 1;
};

} // namespace

class TestRunPacer final : public QObject
{
    Q_OBJECT

private slots:
    void dueOrder();
    void cancelAndDestroy();
    void rescheduleReplaces();
    void wakeUpSchedulesTheNext();
    void thousandsInOrder();
};

void TestRunPacer::dueOrder()
{
    RunPacer pacer;
    std::vector<int> log;
    Probe slow(1, &log), fast(2, &log), fastToo(3, &log);
    pacer.schedule(&slow, 60);
    pacer.schedule(&fast, 5);
    pacer.schedule(&fastToo, 5);
    QCOMPARE(pacer.pending(), 3);
    QTRY_COMPARE(log.size(), size_t(3));
    QCOMPARE(log, (std::vector<int> {2, 3, 1}));
    QCOMPARE(pacer.pending(), 0);
}

void TestRunPacer::cancelAndDestroy()
{
    RunPacer pacer;
    std::vector<int> log;
    Probe kept(1, &log), cancelled(2, &log);
    auto destroyed = std::make_unique<Probe>(3, &log);
    pacer.schedule(&cancelled, 5);
    pacer.schedule(destroyed.get(), 5);
    pacer.schedule(&kept, 10);
    pacer.cancel(&cancelled);
    pacer.cancel(&cancelled); // twice is harmless
    destroyed.reset();
    QCOMPARE(pacer.pending(), 1);
    QTRY_COMPARE(log.size(), size_t(1));
    QCOMPARE(log, std::vector<int> {1});
}

void TestRunPacer::rescheduleReplaces()
{
    RunPacer pacer;
    std::vector<int> log;
    Probe probe(1, &log), later(2, &log);
    pacer.schedule(&probe, 5);
    pacer.schedule(&probe, 40); // replaces the 5 ms wake-up
    pacer.schedule(&later, 20);
    QCOMPARE(pacer.pending(), 2);
    QTRY_COMPARE(log.size(), size_t(2));
    QCOMPARE(log, (std::vector<int> {2, 1}));
}

void TestRunPacer::wakeUpSchedulesTheNext()
{
    RunPacer pacer;
    std::vector<int> log;
    Probe probe(7, &log);
    probe.pacer = &pacer;
    probe.again = 5;
    pacer.schedule(&probe, 1);
    QTRY_COMPARE(log.size(), size_t(5));
    QCOMPARE(pacer.pending(), 0);
}

void TestRunPacer::thousandsInOrder()
{
    RunPacer pacer;
    std::vector<int> log;
    std::vector<std::unique_ptr<Probe>> probes;
    for (int i = 0; i < 5000; ++i) {
        probes.push_back(std::make_unique<Probe>(i, &log));
        probes.back()->pacer = &pacer;
        probes.back()->again = 3;
        probes.back()->delay = 1 + i % 3;
        pacer.schedule(probes.back().get(), probes.back()->delay);
    }
    QTRY_COMPARE(log.size(), size_t(15000));
    // Within one delay, wake-ups come in the order they were asked.
    std::vector<int> lastSeen(5000, -1);
    std::vector<int> order;
    for (int id : log) {
        if (id % 3 == 0 && lastSeen[size_t(id)] == -1)
            order.push_back(id);
        lastSeen[size_t(id)] = 1;
    }
    QVERIFY(std::is_sorted(order.begin(), order.end()));
}

QTEST_GUILESS_MAIN(TestRunPacer)
#include "tst_runpacer.moc"
