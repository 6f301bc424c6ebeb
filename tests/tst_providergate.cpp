// ProviderGate on its own (SPEC.md section 12): slots up to maxConcurrent (0: no limit), a FIFO
// queue of at most maxQueue, refusal beyond, a finished holder admitting the head of the queue, a
// waiter leaving the queue, and new limits applied to those waiting.

#include "engine/ProviderGate.h"

#include <QTest>

using namespace passerelle;

namespace {

class Recorder : public ProviderGate::Waiter
{
public:
    explicit Recorder(QStringList *log, QString name) : m_log(log), m_name(std::move(name)) { }
    void admitted() override { m_log->append(m_name); }

private:
    QStringList *m_log;
    QString m_name;
};

} // namespace

class TestProviderGate : public QObject
{
    Q_OBJECT

private slots:
    void unlimitedByDefault();
    void fifoQueueAndRefusal();
    void leavingTheQueue();
    void releaseOfNothingIsHarmless();
    void widerLimitsAdmitWaiting();
    void zeroQueueRefusesAtOnce();
    void changesAreAnnounced();
};

void TestProviderGate::unlimitedByDefault()
{
    ProviderGate gate(QStringLiteral("p"));
    QStringList log;
    std::vector<std::unique_ptr<Recorder>> waiters;
    for (int i = 0; i < 100; ++i) {
        waiters.push_back(std::make_unique<Recorder>(&log, QString::number(i)));
        QCOMPARE(gate.request(waiters.back().get()), ProviderGate::Ticket::Running);
    }
    QCOMPARE(gate.running(), 100);
    QCOMPARE(gate.queued(), 0);
}

void TestProviderGate::fifoQueueAndRefusal()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(2, 2);
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), b(&log, QStringLiteral("b")),
        c(&log, QStringLiteral("c")), d(&log, QStringLiteral("d")), e(&log, QStringLiteral("e"));
    QCOMPARE(gate.request(&a), ProviderGate::Ticket::Running);
    QCOMPARE(gate.request(&b), ProviderGate::Ticket::Running);
    int ahead = -1;
    QCOMPARE(gate.request(&c, &ahead), ProviderGate::Ticket::Queued);
    QCOMPARE(ahead, 0);
    QCOMPARE(gate.request(&d, &ahead), ProviderGate::Ticket::Queued);
    QCOMPARE(ahead, 1);
    QCOMPARE(gate.request(&e), ProviderGate::Ticket::Refused);
    QCOMPARE(gate.running(), 2);
    QCOMPARE(gate.queued(), 2);

    gate.release(&b);
    QCOMPARE(log, QStringList {QStringLiteral("c")});
    gate.release(&a);
    QCOMPARE(log, (QStringList {QStringLiteral("c"), QStringLiteral("d")}));
    QCOMPARE(gate.running(), 2);
    QCOMPARE(gate.queued(), 0);
    gate.release(&c);
    gate.release(&d);
    QCOMPARE(gate.running(), 0);
}

void TestProviderGate::leavingTheQueue()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(1, 5);
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), b(&log, QStringLiteral("b")),
        c(&log, QStringLiteral("c"));
    gate.request(&a);
    gate.request(&b);
    gate.request(&c);
    gate.release(&b); // leaves before its turn
    QCOMPARE(gate.queued(), 1);
    QCOMPARE(gate.running(), 1);
    gate.release(&a);
    QCOMPARE(log, QStringList {QStringLiteral("c")});
}

void TestProviderGate::releaseOfNothingIsHarmless()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(1, 1);
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), stranger(&log, QStringLiteral("x"));
    gate.request(&a);
    gate.release(&stranger);
    QCOMPARE(gate.running(), 1);
    gate.release(&a);
    gate.release(&a);
    QCOMPARE(gate.running(), 0);
}

void TestProviderGate::widerLimitsAdmitWaiting()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(1, 3);
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), b(&log, QStringLiteral("b")),
        c(&log, QStringLiteral("c"));
    gate.request(&a);
    gate.request(&b);
    gate.request(&c);
    gate.setLimits(3, 3);
    QCOMPARE(log, (QStringList {QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(gate.running(), 3);
    gate.setLimits(0, 0); // unlimited
    Recorder d(&log, QStringLiteral("d"));
    QCOMPARE(gate.request(&d), ProviderGate::Ticket::Running);
}

void TestProviderGate::zeroQueueRefusesAtOnce()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(1, 0);
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), b(&log, QStringLiteral("b"));
    QCOMPARE(gate.request(&a), ProviderGate::Ticket::Running);
    QCOMPARE(gate.request(&b), ProviderGate::Ticket::Refused);
}

void TestProviderGate::changesAreAnnounced()
{
    ProviderGate gate(QStringLiteral("p"));
    gate.setLimits(1, 1);
    int changes = 0;
    gate.setOnChange([&] { ++changes; });
    QStringList log;
    Recorder a(&log, QStringLiteral("a")), b(&log, QStringLiteral("b")),
        c(&log, QStringLiteral("c"));
    gate.request(&a); // running
    gate.request(&b); // queued
    QCOMPARE(gate.request(&c), ProviderGate::Ticket::Refused); // no change
    QCOMPARE(changes, 2);
    gate.release(&a); // b admitted
    QCOMPARE(changes, 3);
    gate.release(&b);
    QCOMPARE(changes, 4);
}

QTEST_GUILESS_MAIN(TestProviderGate)
#include "tst_providergate.moc"
