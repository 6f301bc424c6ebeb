// The request log tab in the main window against a real gateway (port 0): a request made over
// HTTP shows up as a row with its columns, its SSE frames in order with their offsets, its
// redacted body, and the export writes it as JSON Lines.

#include "LanguageManager.h"
#include "MainWindow.h"
#include "RequestLogFilterModel.h"
#include "RequestLogModel.h"
#include "RequestLogPage.h"
#include "SseFrameModel.h"
#include "support/TestGateway.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

class TestRequestLogPage : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void streamedRequestShowsRowAndFrames();
    void responsesStreamShowsEventNames();
    void messagesStreamShowsEventNames();
    void nonStreamingErrorRow();
    void searchAndKindFilter();
    void exportWritesJsonLines();
    void readableEventsColumn();
    void countsInBothLanguages();

private:
    int rowWithPathStatus(int status) const;

    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<LanguageManager> m_lang;
    std::unique_ptr<MainWindow> m_window;
    RequestLogPage *m_page = nullptr;
};

void TestRequestLogPage::init()
{
    m_gw = std::make_unique<TestGateway>();
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_lang = std::make_unique<LanguageManager>();
    m_lang->setLanguage(QStringLiteral("en"));
    m_window = std::make_unique<MainWindow>(&m_gw->store(), &m_gw->controller(), m_lang.get(),
                                            m_gw->dir());
    m_page = m_window->requestLogPage();
    m_window->tabs()->setCurrentWidget(m_page);
    m_window->show();
}

void TestRequestLogPage::cleanup()
{
    m_window.reset();
    m_lang.reset();
    m_gw.reset();
}

int TestRequestLogPage::rowWithPathStatus(int status) const
{
    const QAbstractItemModel *m = m_page->table()->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->index(r, RequestLogModel::StatusColumn).data().toString() == QString::number(status))
            return r;
    }
    return -1;
}

void TestRequestLogPage::streamedRequestShowsRowAndFrames()
{
    const QByteArray body
        = R"({"model":"openclaw","stream":true,"messages":[{"role":"user","content":"one two three"}]})";
    const HttpResponse resp = m_gw->client().post("/v1/chat/completions", body, TestGateway::kToken,
                                                  {{"x-openclaw-session-key", "demo-session"}});
    QCOMPARE(resp.status, 200);
    const QList<QByteArray> sent = resp.sseFrames();

    QTRY_VERIFY(rowWithPathStatus(200) >= 0);
    const int row = rowWithPathStatus(200);
    const QAbstractItemModel *m = m_page->table()->model();
    QTRY_COMPARE(m->index(row, RequestLogModel::DurationColumn)
                     .data()
                     .toString()
                     .endsWith(QStringLiteral(" ms")),
                 true);
    QCOMPARE(m->index(row, RequestLogModel::ClientColumn).data().toString(),
             QStringLiteral("127.0.0.1"));
    QCOMPARE(m->index(row, RequestLogModel::MethodColumn).data().toString(),
             QStringLiteral("POST"));
    QCOMPARE(m->index(row, RequestLogModel::PathColumn).data().toString(),
             QStringLiteral("/v1/chat/completions"));
    QCOMPARE(m->index(row, RequestLogModel::AgentColumn).data().toString(), QStringLiteral("main"));
    QCOMPARE(m->index(row, RequestLogModel::SessionColumn).data().toString(),
             QStringLiteral("demo-session"));
    QCOMPARE(m->index(row, RequestLogModel::StreamColumn).data().toString(),
             QStringLiteral("stream"));

    m_page->table()->selectRow(row);
    QVERIFY(m_page->selectedRequest() != 0);
    SseFrameModel *frames = m_page->frameModel();
    QTRY_COMPARE(frames->rowCount(), int(sent.size()));
    for (int i = 0; i < frames->rowCount(); ++i)
        QCOMPARE(frames->index(i, SseFrameModel::FrameColumn).data().toString(),
                 QString::fromUtf8(sent.at(i)));
    QVERIFY(frames->index(0, SseFrameModel::FrameColumn)
                .data()
                .toString()
                .contains(QStringLiteral("\"role\":\"assistant\"")));
    QCOMPARE(frames->index(frames->rowCount() - 1, SseFrameModel::FrameColumn).data().toString(),
             QStringLiteral("data: [DONE]"));
    QVERIFY(frames->index(0, SseFrameModel::OffsetColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("+")));

    const QString request = m_page->requestText()->toPlainText();
    QVERIFY2(request.contains(QStringLiteral("\"one two three\"")), qPrintable(request));
    QVERIFY(!request.contains(QLatin1String(TestGateway::kToken)));
    QTRY_VERIFY(m_page->responseText()->toPlainText().contains(QStringLiteral("one two three")));
}

void TestRequestLogPage::responsesStreamShowsEventNames()
{
    const QByteArray body = R"({"model":"openclaw","stream":true,"input":"one two","user":"Kim"})";
    const HttpResponse resp = m_gw->client().post("/v1/responses", body, TestGateway::kToken);
    QCOMPARE(resp.status, 200);
    QTRY_VERIFY(rowWithPathStatus(200) >= 0);
    const int row = rowWithPathStatus(200);
    const QAbstractItemModel *m = m_page->table()->model();
    QTRY_COMPARE(m->index(row, RequestLogModel::DurationColumn)
                     .data()
                     .toString()
                     .endsWith(QStringLiteral(" ms")),
                 true);
    QCOMPARE(m->index(row, RequestLogModel::PathColumn).data().toString(),
             QStringLiteral("/v1/responses"));
    QCOMPARE(m->index(row, RequestLogModel::AgentColumn).data().toString(), QStringLiteral("main"));
    QCOMPARE(m->index(row, RequestLogModel::SessionColumn).data().toString(),
             QStringLiteral("agent:main:openresponses-user:kim"));
    QCOMPARE(m->index(row, RequestLogModel::StreamColumn).data().toString(),
             QStringLiteral("stream"));

    m_page->table()->selectRow(row);
    SseFrameModel *frames = m_page->frameModel();
    // response.created ... response.completed, then [DONE]: 2 + 2 + 2 deltas + 3 + 1 + 1
    QTRY_COMPARE(frames->rowCount(), 11);
    const QStringList names {QStringLiteral("response.created"),
                             QStringLiteral("response.in_progress"),
                             QStringLiteral("response.output_item.added"),
                             QStringLiteral("response.content_part.added"),
                             QStringLiteral("response.output_text.delta"),
                             QStringLiteral("response.output_text.delta"),
                             QStringLiteral("response.output_text.done"),
                             QStringLiteral("response.content_part.done"),
                             QStringLiteral("response.output_item.done"),
                             QStringLiteral("response.completed"),
                             QStringLiteral("message")};
    for (int i = 0; i < frames->rowCount(); ++i) {
        QCOMPARE(frames->index(i, SseFrameModel::NameColumn).data().toString(), names.at(i));
        QVERIFY(frames->index(i, SseFrameModel::OffsetColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("+")));
    }
    QVERIFY(frames->index(0, SseFrameModel::FrameColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("event: response.created\ndata: {")));
    QCOMPARE(frames->index(10, SseFrameModel::FrameColumn).data().toString(),
             QStringLiteral("data: [DONE]"));
    QCOMPARE(frames->headerData(SseFrameModel::NameColumn, Qt::Horizontal).toString(),
             QStringLiteral("Name"));
}

void TestRequestLogPage::messagesStreamShowsEventNames()
{
    m_gw->update([](GatewayConfig &c) {
        c.messagesEnabled = true;
        c.modelAliases = {{QStringLiteral("claude-*"), QStringLiteral("main")}};
    });
    const QByteArray body
        = R"({"model":"claude-opus-5-5","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"one two"}]})";
    const HttpResponse resp = m_gw->client().request("POST", "/v1/messages?beta=true",
                                                     {{"x-api-key", TestGateway::kToken}}, body);
    QCOMPARE(resp.status, 200);
    QTRY_VERIFY(rowWithPathStatus(200) >= 0);
    const int row = rowWithPathStatus(200);
    const QAbstractItemModel *m = m_page->table()->model();
    QTRY_COMPARE(m->index(row, RequestLogModel::DurationColumn)
                     .data()
                     .toString()
                     .endsWith(QStringLiteral(" ms")),
                 true);
    QCOMPARE(m->index(row, RequestLogModel::PathColumn).data().toString(),
             QStringLiteral("/v1/messages"));
    QCOMPARE(m->index(row, RequestLogModel::AgentColumn).data().toString(), QStringLiteral("main"));
    QCOMPARE(m->index(row, RequestLogModel::StreamColumn).data().toString(),
             QStringLiteral("stream"));

    m_page->table()->selectRow(row);
    SseFrameModel *frames = m_page->frameModel();
    const QStringList names {
        QStringLiteral("message_start"),       QStringLiteral("ping"),
        QStringLiteral("content_block_start"), QStringLiteral("content_block_delta"),
        QStringLiteral("content_block_delta"), QStringLiteral("content_block_stop"),
        QStringLiteral("message_delta"),       QStringLiteral("message_stop")};
    QTRY_COMPARE(frames->rowCount(), int(names.size()));
    for (int i = 0; i < frames->rowCount(); ++i) {
        QCOMPARE(frames->index(i, SseFrameModel::NameColumn).data().toString(), names.at(i));
        QVERIFY(frames->index(i, SseFrameModel::OffsetColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("+")));
    }
    QVERIFY(frames->index(0, SseFrameModel::FrameColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("event: message_start\ndata: {")));
    QVERIFY(!m_page->requestText()->toPlainText().contains(QLatin1String(TestGateway::kToken)));
}

void TestRequestLogPage::nonStreamingErrorRow()
{
    const HttpResponse resp = m_gw->client().post(
        "/v1/chat/completions",
        R"({"model":"openclaw/ghost","messages":[{"role":"user","content":"x"}]})",
        TestGateway::kToken);
    QCOMPARE(resp.status, 400);
    QTRY_VERIFY(rowWithPathStatus(400) >= 0);
    const int row = rowWithPathStatus(400);
    const QAbstractItemModel *m = m_page->table()->model();
    QCOMPARE(m->index(row, RequestLogModel::ErrorColumn).data().toString(),
             QStringLiteral("Unknown agent 'ghost'."));
    QCOMPARE(m->index(row, RequestLogModel::StreamColumn).data().toString(), QString());
}

void TestRequestLogPage::searchAndKindFilter()
{
    const QByteArray ok = R"({"model":"openclaw","messages":[{"role":"user","content":"x"}]})";
    m_gw->client().post("/v1/chat/completions", ok, TestGateway::kToken);
    m_gw->client().post("/v1/chat/completions", ok, "wrong");
    QTRY_COMPARE(m_window->logModel()->rowCount(), 2);
    QTRY_VERIFY(rowWithPathStatus(401) >= 0);
    m_page->kindBox()->setCurrentIndex(1); // errors
    QCOMPARE(m_page->table()->model()->rowCount(), 1);
    m_page->kindBox()->setCurrentIndex(0);
    QTest::keyClicks(m_page->searchEdit(), QStringLiteral("UNAUTHORIZED"));
    QCOMPARE(m_page->table()->model()->rowCount(), 1);
    m_page->searchEdit()->clear();
    QCOMPARE(m_page->table()->model()->rowCount(), 2);
}

void TestRequestLogPage::exportWritesJsonLines()
{
    const QByteArray body
        = R"({"model":"openclaw","stream":true,"messages":[{"role":"user","content":"hello"}]})";
    QCOMPARE(m_gw->client().post("/v1/chat/completions", body, TestGateway::kToken).status, 200);
    QTRY_VERIFY(rowWithPathStatus(200) >= 0);
    QTRY_VERIFY(m_window->logModel()->record(0)->finished);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("log.jsonl"));
    QString error;
    QCOMPARE(m_page->exportTo(path, &error), 1);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject o = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(o.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/chat/completions"));
    QVERIFY(o.value(QStringLiteral("events")).toArray().size() >= 3);
    QCOMPARE(o.value(QStringLiteral("events"))
                 .toArray()
                 .last()
                 .toObject()
                 .value(QStringLiteral("frame"))
                 .toString(),
             QStringLiteral("data: [DONE]"));
}

void TestRequestLogPage::readableEventsColumn()
{
    const QByteArray body
        = R"({"model":"openclaw","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"one two three"}]})";
    const HttpResponse resp
        = m_gw->client().post("/v1/chat/completions", body, TestGateway::kToken);
    QCOMPARE(resp.status, 200);
    QTRY_VERIFY(rowWithPathStatus(200) >= 0);
    m_page->table()->selectRow(rowWithPathStatus(200));
    SseFrameModel *frames = m_page->frameModel();
    QTRY_COMPARE(frames->rowCount(), int(resp.sseFrames().size()));
    QCOMPARE(frames->headerData(SseFrameModel::SummaryColumn, Qt::Horizontal).toString(),
             QStringLiteral("Content"));
    QStringList said;
    for (int i = 0; i < frames->rowCount(); ++i)
        said << frames->index(i, SseFrameModel::SummaryColumn).data().toString();
    // The echo model streams the words back one delta each.
    QCOMPARE(said.first(), QStringLiteral("role: assistant"));
    QCOMPARE(said.mid(1, said.size() - 4).join(QString()), QStringLiteral("one two three"));
    QCOMPARE(said.at(said.size() - 3), QStringLiteral("finish: stop"));
    QVERIFY2(said.at(said.size() - 2).startsWith(QStringLiteral("usage: ")),
             qPrintable(said.join(QLatin1Char('|'))));
    QVERIFY2(said.at(said.size() - 2).endsWith(QStringLiteral(" completion tokens")),
             qPrintable(said.at(said.size() - 2)));
    QCOMPARE(said.last(), QStringLiteral("end of stream"));

    QVERIFY(m_lang->setLanguage(QStringLiteral("fr")));
    QCOMPARE(frames->headerData(SseFrameModel::SummaryColumn, Qt::Horizontal).toString(),
             QStringLiteral("Contenu"));
    QTRY_COMPARE(frames->index(0, SseFrameModel::SummaryColumn).data().toString(),
                 QStringLiteral("rôle\u00a0: assistant"));
    QCOMPARE(frames->index(frames->rowCount() - 1, SseFrameModel::SummaryColumn).data().toString(),
             QStringLiteral("fin du flux"));
    QVERIFY(m_lang->setLanguage(QStringLiteral("en")));
}

void TestRequestLogPage::countsInBothLanguages()
{
    const QByteArray ok = R"({"model":"openclaw","messages":[{"role":"user","content":"x"}]})";
    QCOMPARE(m_gw->client().post("/v1/chat/completions", ok, TestGateway::kToken).status, 200);
    QTRY_COMPARE(m_window->logModel()->rowCount(), 1);
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("1 request"));
    QVERIFY(m_lang->setLanguage(QStringLiteral("fr")));
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("1 requête"));

    m_gw->client().post("/v1/chat/completions", ok, "wrong");
    QTRY_COMPARE(m_window->logModel()->rowCount(), 2);
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("2 requêtes"));
    m_page->kindBox()->setCurrentIndex(1); // errors
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("1 sur 2 requêtes"));
    QVERIFY(m_lang->setLanguage(QStringLiteral("en")));
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("1 of 2 requests"));
    m_page->kindBox()->setCurrentIndex(0);
    QTRY_COMPARE(m_page->countLabel()->text(), QStringLiteral("2 requests"));

    // The tokens of the selected request, each count with its own plural.
    m_page->table()->selectRow(rowWithPathStatus(200));
    QTRY_VERIFY(m_window->logModel()->record(0)->finished);
    const RequestRecord *r = m_window->logModel()->recordById(m_page->selectedRequest());
    QVERIFY(r && r->usage.known);
    const QString tokens = m_page->summaryLabel()->text();
    QVERIFY2(tokens.contains(QStringLiteral("%1 prompt token%2 + %3 completion token")
                                 .arg(r->usage.promptTokens)
                                 .arg(r->usage.promptTokens == 1 ? QString() : QStringLiteral("s"))
                                 .arg(r->usage.completionTokens)),
             qPrintable(tokens));
    QVERIFY(m_lang->setLanguage(QStringLiteral("fr")));
    QTRY_VERIFY2(m_page->summaryLabel()->text().contains(QStringLiteral("1 jeton de réponse")),
                 qPrintable(m_page->summaryLabel()->text()));
    QVERIFY(m_lang->setLanguage(QStringLiteral("en")));
}

QTEST_MAIN(TestRequestLogPage)
#include "tst_ui_requestlog.moc"
