// The built-in echo model of SPEC.md section 9: pieces, token counts, max_tokens and stop.

#include "providers/EchoBackend.h"

#include <QSignalSpy>
#include <QTest>

using namespace passerelle;

class TestEchoBackend : public QObject
{
    Q_OBJECT

private slots:
    void plan_data();
    void plan();
    void streamsInOrder();
    void saysWhichStopSequenceEndedIt();
    void abortStopsEverything();
};

void TestEchoBackend::plan_data()
{
    QTest::addColumn<QString>("system");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<QStringList>("stop");
    QTest::addColumn<QStringList>("pieces");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<int>("promptTokens");
    QTest::addColumn<int>("completionTokens");

    QTest::newRow("words keep their whitespace")
        << QString() << QStringLiteral("hello  big\nworld") << -1 << QStringList()
        << QStringList {QStringLiteral("hello  "), QStringLiteral("big\n"), QStringLiteral("world")}
        << QStringLiteral("stop") << 3 << 3;
    QTest::newRow("system words count in the prompt")
        << QStringLiteral("be brief") << QStringLiteral("hi") << -1 << QStringList()
        << QStringList {QStringLiteral("hi")} << QStringLiteral("stop") << 3 << 1;
    QTest::newRow("max_tokens cuts and says length")
        << QString() << QStringLiteral("a b c") << 2 << QStringList()
        << QStringList {QStringLiteral("a "), QStringLiteral("b ")} << QStringLiteral("length") << 3
        << 2;
    QTest::newRow("max_tokens equal to length is stop")
        << QString() << QStringLiteral("a b") << 2 << QStringList()
        << QStringList {QStringLiteral("a "), QStringLiteral("b")} << QStringLiteral("stop") << 2
        << 2;
    QTest::newRow("stop sequence cuts before it")
        << QString() << QStringLiteral("one two. three") << -1 << QStringList {QStringLiteral(".")}
        << QStringList {QStringLiteral("one "), QStringLiteral("two")} << QStringLiteral("stop")
        << 3 << 2;
    QTest::newRow("earliest of several stops")
        << QString() << QStringLiteral("x y z") << -1
        << QStringList {QStringLiteral("z"), QStringLiteral("y")}
        << QStringList {QStringLiteral("x ")} << QStringLiteral("stop") << 3 << 1;
    QTest::newRow("stop then max_tokens")
        << QString() << QStringLiteral("a b c d|e") << 2 << QStringList {QStringLiteral("|")}
        << QStringList {QStringLiteral("a "), QStringLiteral("b ")} << QStringLiteral("length") << 4
        << 2;
}

void TestEchoBackend::plan()
{
    QFETCH(QString, system);
    QFETCH(QString, prompt);
    QFETCH(int, maxTokens);
    QFETCH(QStringList, stop);
    QFETCH(QStringList, pieces);
    QFETCH(QString, finish);
    QFETCH(int, promptTokens);
    QFETCH(int, completionTokens);
    BackendRequest r;
    r.systemPrompt = system;
    r.prompt = prompt;
    if (maxTokens >= 0)
        r.maxTokens = maxTokens;
    r.stop = stop;
    const EchoPlan p = EchoBackend::plan(r);
    QCOMPARE(p.pieces, pieces);
    QCOMPARE(p.finishReason, finish);
    QCOMPARE(p.usage.promptTokens, promptTokens);
    QCOMPARE(p.usage.completionTokens, completionTokens);
    QVERIFY(p.usage.known);
}

void TestEchoBackend::streamsInOrder()
{
    BackendRequest r;
    r.prompt = QStringLiteral("a b c");
    RunPacer pacer;
    EchoBackend echo(r, 1, &pacer);
    QSignalSpy deltas(&echo, &BackendRun::contentDelta);
    QSignalSpy finished(&echo, &BackendRun::finished);
    echo.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(deltas.count(), 3);
    QCOMPARE(deltas.at(2).first().toString(), QStringLiteral("c"));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("stop"));
    QVERIFY(echo.hasOutput());
}

void TestEchoBackend::saysWhichStopSequenceEndedIt()
{
    BackendRequest r;
    r.prompt = QStringLiteral("a b STOP c END");
    r.stop = {QStringLiteral("END"), QStringLiteral("STOP")};
    QCOMPARE(EchoBackend::plan(r).stopSequence, QStringLiteral("STOP"));
    RunPacer pacer;
    EchoBackend echo(r, 0, &pacer);
    QSignalSpy finished(&echo, &BackendRun::finished);
    echo.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toString(), QStringLiteral("stop"));
    QCOMPARE(echo.stopSequence(), QStringLiteral("STOP"));
    // Cut by max_tokens before it: no stop sequence.
    r.maxTokens = 1;
    QVERIFY(EchoBackend::plan(r).stopSequence.isEmpty());
    EchoBackend cut(r, 0, &pacer);
    QSignalSpy cutFinished(&cut, &BackendRun::finished);
    cut.start();
    QTRY_COMPARE(cutFinished.count(), 1);
    QCOMPARE(cutFinished.first().first().toString(), QStringLiteral("length"));
    QVERIFY(cut.stopSequence().isEmpty());
    // None in the prompt: none reported.
    r.maxTokens.reset();
    r.stop = {QStringLiteral("zzz")};
    QVERIFY(EchoBackend::plan(r).stopSequence.isEmpty());
}

void TestEchoBackend::abortStopsEverything()
{
    BackendRequest r;
    r.prompt = QStringLiteral("a b c d e f");
    RunPacer pacer;
    EchoBackend echo(r, 5, &pacer);
    QSignalSpy deltas(&echo, &BackendRun::contentDelta);
    QSignalSpy finished(&echo, &BackendRun::finished);
    echo.start();
    QTRY_VERIFY(deltas.count() >= 1);
    echo.abort();
    const int seen = int(deltas.count());
    // A second run with the same pacing runs to its end meanwhile; the aborted one stays silent.
    EchoBackend witness(r, 5, &pacer);
    QSignalSpy witnessDone(&witness, &BackendRun::finished);
    witness.start();
    QTRY_COMPARE(witnessDone.count(), 1);
    QCOMPARE(deltas.count(), seen);
    QCOMPARE(finished.count(), 0);
}

QTEST_GUILESS_MAIN(TestEchoBackend)
#include "tst_echobackend.moc"
