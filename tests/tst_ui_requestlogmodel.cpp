// The request log's models without a server: batching, in-place updates, caps and the byte
// budget of RequestLogModel, the filter/search proxy, the live SSE frame model and the JSON Lines
// export.

#include "JsonLinesExport.h"
#include "RequestLogFilterModel.h"
#include "RequestLogModel.h"
#include "SseFrameModel.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
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

SseFrameRecord frame(quint64 id, qint64 offset, const char *text)
{
    return SseFrameRecord {id, offset, QByteArray(text)};
}

QString cell(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

} // namespace

class TestRequestLogModel : public QObject
{
    Q_OBJECT

private slots:
    void frameEventName_data();
    void frameEventName();
    void batchIsOneInsertion();
    void updatesInPlaceById();
    void displayedCells_data();
    void displayedCells();
    void capDropsOldestAndForgetsThem();
    void oversizedBatchKeepsNewest();
    void framesCappedPerRequest();
    void budgetEvictsOldestDetails();
    void clearForgetsRunningRequests();
    void filterKinds_data();
    void filterKinds();
    void searchIsCaseInsensitive();
    void frameModelGrowsLive();
    void frameModelResetsWhenRowDropped();
    void exportJsonLines();
};

void TestRequestLogModel::batchIsOneInsertion()
{
    RequestLogModel m;
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    LogBatch b;
    for (quint64 i = 1; i <= 500; ++i)
        b.records << rec(i);
    m.appendBatch(b);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 499);
    QCOMPARE(m.rowCount(), 500);
    QCOMPARE(m.rowOfId(1), 0);
    QCOMPARE(m.rowOfId(500), 499);
}

void TestRequestLogModel::updatesInPlaceById()
{
    RequestLogModel m;
    LogBatch first;
    first.records << rec(1) << rec(2) << rec(3);
    m.appendBatch(first);

    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    LogBatch second;
    second.records << rec(2, 200, true) << rec(3, 500, true) << rec(4);
    m.appendBatch(second);
    QCOMPARE(m.rowCount(), 4);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 1); // rows 1 and 2 are adjacent: one run
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(cell(m, 1, RequestLogModel::StatusColumn), QStringLiteral("200"));
    QCOMPARE(cell(m, 2, RequestLogModel::StatusColumn), QStringLiteral("500"));
    QCOMPARE(cell(m, 3, RequestLogModel::StatusColumn), QStringLiteral("…"));

    // New and then updated inside one batch: one row, the later state.
    LogBatch third;
    third.records << rec(5) << rec(5, 201, true);
    m.appendBatch(third);
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(cell(m, 4, RequestLogModel::StatusColumn), QStringLiteral("201"));
}

void TestRequestLogModel::displayedCells_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");
    QTest::newRow("client") << int(RequestLogModel::ClientColumn) << QStringLiteral("127.0.0.1");
    QTest::newRow("method") << int(RequestLogModel::MethodColumn) << QStringLiteral("POST");
    QTest::newRow("path") << int(RequestLogModel::PathColumn)
                          << QStringLiteral("/v1/chat/completions");
    QTest::newRow("agent") << int(RequestLogModel::AgentColumn) << QStringLiteral("main");
    QTest::newRow("session") << int(RequestLogModel::SessionColumn)
                             << QStringLiteral("agent:main:openai:7");
    QTest::newRow("stream") << int(RequestLogModel::StreamColumn) << QStringLiteral("stream");
    QTest::newRow("status") << int(RequestLogModel::StatusColumn) << QStringLiteral("200");
    QTest::newRow("ttfb") << int(RequestLogModel::TtfbColumn) << QStringLiteral("3 ms");
    QTest::newRow("duration") << int(RequestLogModel::DurationColumn) << QStringLiteral("1,250 ms");
    QTest::newRow("tokens") << int(RequestLogModel::TokensColumn) << QStringLiteral("42");
    QTest::newRow("error") << int(RequestLogModel::ErrorColumn) << QString();
}

void TestRequestLogModel::displayedCells()
{
    QFETCH(int, column);
    QFETCH(QString, expected);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    RequestLogModel m;
    RequestRecord r = rec(7, 200, true, true);
    r.ttfbMs = 3;
    r.durationMs = 1250;
    r.usage.known = true;
    r.usage.promptTokens = 30;
    r.usage.completionTokens = 12;
    m.appendBatch(LogBatch {{r}, {}});
    QCOMPARE(cell(m, 0, column), expected);
}

void TestRequestLogModel::capDropsOldestAndForgetsThem()
{
    RequestLogModel m;
    m.setLimits(100, 10, 1 << 20);
    LogBatch b;
    for (quint64 i = 1; i <= 80; ++i)
        b.records << rec(i);
    m.appendBatch(b);

    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    LogBatch more;
    for (quint64 i = 81; i <= 130; ++i)
        more.records << rec(i);
    m.appendBatch(more);
    QCOMPARE(m.rowCount(), 100);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(m.record(0)->id, quint64(31));
    QCOMPARE(m.record(99)->id, quint64(130));
    QCOMPARE(m.rowOfId(30), -1);
    QCOMPARE(m.rowOfId(31), 0);

    // A late update of a dropped request does not bring it back.
    m.appendBatch(LogBatch {{rec(5, 200, true)}, {}});
    QCOMPARE(m.rowCount(), 100);
    QCOMPARE(m.rowOfId(5), -1);
}

void TestRequestLogModel::oversizedBatchKeepsNewest()
{
    RequestLogModel m;
    m.setLimits(10, 10, 1 << 20);
    LogBatch b;
    for (quint64 i = 1; i <= 25; ++i)
        b.records << rec(i);
    m.appendBatch(b);
    QCOMPARE(m.rowCount(), 10);
    QCOMPARE(m.record(0)->id, quint64(16));
    QCOMPARE(m.record(9)->id, quint64(25));
}

void TestRequestLogModel::framesCappedPerRequest()
{
    RequestLogModel m;
    m.setLimits(100, 3, 1 << 20);
    LogBatch b;
    b.records << rec(1, 200, false, true);
    for (int i = 0; i < 5; ++i)
        b.frames << frame(1, i, "data: {}\n\n");
    QSignalSpy appended(&m, &RequestLogModel::framesAppended);
    m.appendBatch(b);
    QCOMPARE(m.frames(1).size(), 3);
    QCOMPARE(m.droppedFrames(1), 2);
    QCOMPARE(appended.count(), 1);
    QCOMPARE(appended.at(0).at(1).toInt(), 0);
    QCOMPARE(appended.at(0).at(2).toInt(), 2);
}

void TestRequestLogModel::budgetEvictsOldestDetails()
{
    RequestLogModel m;
    m.setLimits(100, 1000, 1000);
    LogBatch b;
    for (quint64 i = 1; i <= 5; ++i) {
        RequestRecord r = rec(i, 200, true);
        r.requestBody = QByteArray(300, 'x');
        b.records << r;
    }
    m.appendBatch(b);
    // 1500 bytes against a 1000-byte budget: the two oldest lose their bodies, rows stay.
    QCOMPARE(m.rowCount(), 5);
    QVERIFY(m.detailBytes() <= 1000);
    QVERIFY(m.detailsEvicted(1));
    QVERIFY(m.detailsEvicted(2));
    QVERIFY(!m.detailsEvicted(3));
    QVERIFY(m.recordById(1)->requestBody.isEmpty());
    QCOMPARE(m.recordById(3)->requestBody.size(), 300);
    QCOMPARE(cell(m, 0, RequestLogModel::StatusColumn), QStringLiteral("200"));
}

void TestRequestLogModel::clearForgetsRunningRequests()
{
    RequestLogModel m;
    m.appendBatch(LogBatch {{rec(1), rec(2)}, {}});
    m.clear();
    QCOMPARE(m.rowCount(), 0);
    m.appendBatch(LogBatch {{rec(2, 200, true), rec(3)}, {}});
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.record(0)->id, quint64(3));
}

void TestRequestLogModel::filterKinds_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QList<quint64>>("ids");
    QTest::newRow("all") << int(RequestLogFilterModel::Kind::All) << QList<quint64> {1, 2, 3, 4};
    QTest::newRow("errors") << int(RequestLogFilterModel::Kind::Errors) << QList<quint64> {2, 4};
    QTest::newRow("streams") << int(RequestLogFilterModel::Kind::Streams) << QList<quint64> {3, 4};
    QTest::newRow("running") << int(RequestLogFilterModel::Kind::Running) << QList<quint64> {3};
}

void TestRequestLogModel::filterKinds()
{
    QFETCH(int, kind);
    QFETCH(QList<quint64>, ids);
    RequestLogModel m;
    RequestLogFilterModel proxy;
    proxy.setSourceModel(&m);
    RequestRecord streamErr = rec(4, 200, true, true);
    streamErr.error = QStringLiteral("upstream provider timeout");
    m.appendBatch(
        LogBatch {{rec(1, 200, true), rec(2, 401, true), rec(3, 200, false, true), streamErr}, {}});
    proxy.setKind(static_cast<RequestLogFilterModel::Kind>(kind));
    QList<quint64> shown;
    for (int r = 0; r < proxy.rowCount(); ++r)
        shown << proxy.index(r, 0).data(RequestLogModel::IdRole).toULongLong();
    QCOMPARE(shown, ids);
}

void TestRequestLogModel::searchIsCaseInsensitive()
{
    RequestLogModel m;
    RequestLogFilterModel proxy;
    proxy.setSourceModel(&m);
    RequestRecord a = rec(1, 200, true);
    a.agentId = QStringLiteral("writer");
    RequestRecord b = rec(2, 400, true);
    b.error = QStringLiteral("Unknown agent 'ghost'.");
    m.appendBatch(LogBatch {{a, b, rec(3, 200, true)}, {}});
    proxy.setSearchText(QStringLiteral("WRITER"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setSearchText(QStringLiteral("ghost"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(RequestLogModel::IdRole).toULongLong(), quint64(2));
    proxy.setSearchText(QStringLiteral("400"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setSearchText(QString());
    QCOMPARE(proxy.rowCount(), 3);
    // New rows go through the filter as they arrive.
    proxy.setSearchText(QStringLiteral("writer"));
    RequestRecord c = rec(4, 200, true);
    c.agentId = QStringLiteral("writer");
    m.appendBatch(LogBatch {{c, rec(5)}, {}});
    QCOMPARE(proxy.rowCount(), 2);
}

void TestRequestLogModel::frameModelGrowsLive()
{
    RequestLogModel m;
    SseFrameModel frames(&m);
    m.appendBatch(LogBatch {{rec(1, 200, false, true), rec(2, 200, false, true)},
                            {frame(1, 0, "data: {\"a\":1}\n\n"), frame(2, 1, "data: other\n\n")}});
    frames.setRequestId(1);
    QCOMPARE(frames.rowCount(), 1);
    QSignalSpy inserted(&frames, &QAbstractItemModel::rowsInserted);
    m.appendBatch(LogBatch {{},
                            {frame(1, 12, "data: {\"b\":2}\n\n"), frame(2, 13, "data: x\n\n"),
                             frame(1, 40, "data: [DONE]\n\n")}});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(frames.rowCount(), 3);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(cell(frames, 1, SseFrameModel::OffsetColumn), QStringLiteral("+12 ms"));
    QCOMPARE(cell(frames, 1, SseFrameModel::FrameColumn), QStringLiteral("data: {\"b\":2}"));
    QCOMPARE(cell(frames, 2, SseFrameModel::FrameColumn), QStringLiteral("data: [DONE]"));
}

void TestRequestLogModel::frameModelResetsWhenRowDropped()
{
    RequestLogModel m;
    m.setLimits(2, 10, 1 << 20);
    SseFrameModel frames(&m);
    m.appendBatch(LogBatch {{rec(1, 200, false, true)}, {frame(1, 0, "data: a\n\n")}});
    frames.setRequestId(1);
    QCOMPARE(frames.rowCount(), 1);
    m.appendBatch(LogBatch {{rec(2), rec(3)}, {}});
    QCOMPARE(m.rowOfId(1), -1);
    QCOMPARE(frames.rowCount(), 0);
}

void TestRequestLogModel::exportJsonLines()
{
    RequestLogModel m;
    RequestRecord r = rec(9, 200, true, true);
    r.ttfbMs = 4;
    r.durationMs = 20;
    r.usage.known = true;
    r.usage.promptTokens = 5;
    r.usage.completionTokens = 2;
    r.requestBody = R"({"model":"openclaw","stream":true})";
    r.responseBody = "Hello there";
    RequestRecord failed = rec(10, 401, true);
    failed.error = QStringLiteral("Unauthorized");
    m.appendBatch(LogBatch {{r, failed},
                            {frame(9, 0, "data: {\"x\":1}\n\n"), frame(9, 7, "data: [DONE]\n\n")}});

    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    QCOMPARE(JsonLinesExport::write(buf, m, {10, 9, 777}), 2);
    const QList<QByteArray> lines = buf.data().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(2).isEmpty());

    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QStringLiteral("id")).toInt(), 10);
    QCOMPARE(first.value(QStringLiteral("status")).toInt(), 401);
    QCOMPARE(first.value(QStringLiteral("error")).toString(), QStringLiteral("Unauthorized"));
    QVERIFY(first.value(QStringLiteral("usage")).isNull());
    QVERIFY(first.value(QStringLiteral("request")).isNull());

    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QStringLiteral("time")).toString(),
             QStringLiteral("2026-03-01T12:00:00.090Z"));
    QCOMPARE(second.value(QStringLiteral("stream")).toBool(), true);
    QCOMPARE(second.value(QStringLiteral("ttfbMs")).toInt(), 4);
    QCOMPARE(second.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("total_tokens"))
                 .toInt(),
             7);
    QCOMPARE(second.value(QStringLiteral("request"))
                 .toObject()
                 .value(QStringLiteral("model"))
                 .toString(),
             QStringLiteral("openclaw"));
    QCOMPARE(second.value(QStringLiteral("response")).toString(), QStringLiteral("Hello there"));
    const QJsonArray events = second.value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(1).toObject().value(QStringLiteral("offsetMs")).toInt(), 7);
    QCOMPARE(events.at(1).toObject().value(QStringLiteral("frame")).toString(),
             QStringLiteral("data: [DONE]"));
}

void TestRequestLogModel::frameEventName_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("name");
    QTest::newRow("named event") << QByteArray("event: response.created\ndata: {}\n\n")
                                 << QStringLiteral("response.created");
    QTest::newRow("data only") << QByteArray("data: {}\n\n") << QStringLiteral("message");
    QTest::newRow("done") << QByteArray("data: [DONE]\n\n") << QStringLiteral("message");
    QTest::newRow("comment") << QByteArray(": keep-alive\n\n") << QString();
    QTest::newRow("no space") << QByteArray("event:ping\ndata:{}\n\n") << QStringLiteral("ping");
}

void TestRequestLogModel::frameEventName()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, name);
    QCOMPARE(SseFrameModel::eventName(frame), name);
}

QTEST_MAIN(TestRequestLogModel)
#include "tst_ui_requestlogmodel.moc"
