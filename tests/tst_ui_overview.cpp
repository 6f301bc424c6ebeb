// The overview tab against a real gateway (port 0): the endpoint switch changes what the server
// answers over HTTP and persists to the file; the curl commands it shows work as pasted; the
// Messages switch, its curl command and the `claude` command line with the alias it needs.

#include "OverviewPage.h"
#include "support/TestGateway.h"

#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace passerelle;
using namespace passerelle::test;

namespace {
const QByteArray kBody = R"({"model":"openclaw","messages":[{"role":"user","content":"hi"}]})";
}

class TestOverview : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void showsServingStateAndAddress();
    void endpointSwitchChangesWhatTheServerAnswers();
    void curlCommandsHideTheTokenUntilAsked();
    void curlCommandsWorkAsPasted_data();
    void curlCommandsWorkAsPasted();
    void countersFollowTheLog();
    void countersSayWhereAScraperFindsThem();
    void responsesSwitchChangesWhatTheServerAnswers();
    void stateNamesTheEndpointsOff();
    void responsesCurlCommandsWorkAsPasted_data();
    void responsesCurlCommandsWorkAsPasted();
    void messagesSwitchChangesWhatTheServerAnswers();
    void claudeCommandAndItsAlias();
    void messagesCurlCommandWorksAsPasted();
    void storeLineSaysWhichStoreAndWhetherItIsReachable();

private:
    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<OverviewPage> m_page;
};

void TestOverview::init()
{
    m_gw = std::make_unique<TestGateway>();
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_page = std::make_unique<OverviewPage>(&m_gw->store(), &m_gw->controller());
    m_page->show();
}

void TestOverview::cleanup()
{
    m_page.reset();
    m_gw.reset();
}

void TestOverview::showsServingStateAndAddress()
{
    QTRY_COMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving"));
    QCOMPARE(m_page->endpointUrl(),
             QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_gw->port()));
    QVERIFY(m_page->endpointSwitch()->isChecked());
}

void TestOverview::endpointSwitchChangesWhatTheServerAnswers()
{
    const QByteArray token = TestGateway::kToken;
    QCOMPARE(m_gw->client().post("/v1/chat/completions", kBody, token).status, 200);

    QSignalSpy status(&m_gw->controller(), &GatewayController::statusChanged);
    m_page->endpointSwitch()->click(); // the user unticks it
    QVERIFY(!m_page->endpointSwitch()->isChecked());
    QTRY_VERIFY(status.count() > 0);
    const HttpResponse off = m_gw->client().post("/v1/chat/completions", kBody, token);
    QCOMPARE(off.status, 404);
    QCOMPARE(off.body, QByteArray("Not Found"));
    QCOMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving, chat endpoint off"));

    // Persisted: a fresh store reading the file sees it off.
    ConfigStore reread;
    QString error;
    QVERIFY2(reread.load(m_gw->configPath(), ConfigOverrides {}, &error), qPrintable(error));
    QCOMPARE(reread.config().chatCompletionsEnabled, false);

    status.clear();
    m_page->endpointSwitch()->click();
    QTRY_VERIFY(status.count() > 0);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", kBody, token).status, 200);
}

void TestOverview::curlCommandsHideTheTokenUntilAsked()
{
    const QString plain = m_page->curlPlain()->toPlainText();
    QVERIFY(plain.contains(QStringLiteral("Authorization: Bearer YOUR_TOKEN")));
    QVERIFY(!plain.contains(QLatin1String(TestGateway::kToken)));
    QVERIFY(plain.contains(
        QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_gw->port())));
    QVERIFY(!plain.contains(QStringLiteral("\"stream\"")));
    QVERIFY(m_page->curlStream()->toPlainText().contains(QStringLiteral("\"stream\":true")));
    QVERIFY(m_page->curlStream()->toPlainText().startsWith(QStringLiteral("curl -N ")));

    m_page->revealSecretBox()->setChecked(true);
    QVERIFY(m_page->curlPlain()->toPlainText().contains(QStringLiteral("Authorization: Bearer ")
                                                        + QLatin1String(TestGateway::kToken)));
}

void TestOverview::curlCommandsWorkAsPasted_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("complete answer") << false;
    QTest::newRow("streamed answer") << true;
}

void TestOverview::curlCommandsWorkAsPasted()
{
    QFETCH(bool, stream);
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    m_page->revealSecretBox()->setChecked(true);
    const QString command = (stream ? m_page->curlStream() : m_page->curlPlain())->toPlainText();
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command + QStringLiteral(" -sS")});
    QVERIFY(sh.waitForFinished(15000));
    QCOMPARE(sh.exitCode(), 0);
    const QByteArray out = sh.readAllStandardOutput();
    if (stream) {
        QVERIFY(out.startsWith("data: {"));
        QVERIFY(out.trimmed().endsWith("data: [DONE]"));
    } else {
        QVERIFY2(out.contains("\"object\":\"chat.completion\""), out.constData());
        QVERIFY(out.contains("Hello!")); // echo answers with the prompt
    }
}

void TestOverview::countersFollowTheLog()
{
    connect(&m_gw->controller(), &GatewayController::logBatch, m_page.get(),
            [this](const LogBatch &) { m_page->refreshCounters(); });
    m_gw->client().post("/v1/chat/completions", kBody, TestGateway::kToken);
    m_gw->client().post("/v1/chat/completions", kBody, "wrong-token");
    QTRY_COMPARE(m_page->totalLabel()->text(), QStringLiteral("2"));
    QTRY_COMPARE(m_page->errorsLabel()->text(), QStringLiteral("1"));
    QCOMPARE(m_page->streamsLabel()->text(), QStringLiteral("0"));
}

void TestOverview::countersSayWhereAScraperFindsThem()
{
    connect(&m_gw->controller(), &GatewayController::logBatch, m_page.get(),
            [this](const LogBatch &) { m_page->refreshCounters(); });
    QCOMPARE(m_gw->client().post("/v1/chat/completions", kBody, "wrong-token").status, 401);
    QCOMPARE(m_gw->client().post("/v1/chat/completions", kBody, TestGateway::kToken).status, 200);
    QTRY_COMPARE(m_page->totalLabel()->text(), QStringLiteral("2"));
    QVERIFY(m_page->totalLabel()->toolTip().contains(QLatin1String("passerelle_requests_total")));
    QVERIFY(m_page->errorsLabel()->toolTip().contains(
        QLatin1String("passerelle_request_errors_total")));
    QVERIFY(m_page->streamsLabel()->toolTip().contains(QLatin1String("passerelle_active_streams")));
    QVERIFY(m_page->metricsHint()->text().contains(QLatin1String("GET /metrics")));
    // What the labels show is what the scrape says (the scrape itself counts afterwards).
    const HttpResponse r = m_gw->client().request(
        "GET", "/metrics", {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}});
    QCOMPARE(r.status, 200);
    const auto line = [](const char *name, const QLabel *label) -> QByteArray {
        return QByteArray("\n") + name + ' ' + label->text().toUtf8() + '\n';
    };
    QVERIFY(r.body.contains(line("passerelle_requests_total", m_page->totalLabel())));
    QVERIFY(r.body.contains(line("passerelle_request_errors_total", m_page->errorsLabel())));
    QVERIFY(r.body.contains(line("passerelle_active_streams", m_page->streamsLabel())));
}

void TestOverview::responsesSwitchChangesWhatTheServerAnswers()
{
    const QByteArray body = R"({"model":"openclaw","input":"hi"})";
    const QByteArray token = TestGateway::kToken;
    QVERIFY(m_page->responsesSwitch()->isChecked());
    QCOMPARE(m_gw->client().post("/v1/responses", body, token).status, 200);
    QSignalSpy status(&m_gw->controller(), &GatewayController::statusChanged);
    m_page->responsesSwitch()->click();
    QVERIFY(!m_page->responsesSwitch()->isChecked());
    QTRY_VERIFY(status.count() > 0);
    const HttpResponse off = m_gw->client().post("/v1/responses", body, token);
    QCOMPARE(off.status, 404);
    QCOMPARE(off.body, QByteArray("Not Found"));
    // The chat endpoint keeps its own switch.
    QVERIFY(m_page->endpointSwitch()->isChecked());
    QCOMPARE(m_gw->client().post("/v1/chat/completions", kBody, token).status, 200);
    ConfigStore reread;
    QString error;
    QVERIFY2(reread.load(m_gw->configPath(), ConfigOverrides {}, &error), qPrintable(error));
    QCOMPARE(reread.config().responsesEnabled, false);
    QCOMPARE(reread.config().chatCompletionsEnabled, true);
    status.clear();
    m_page->responsesSwitch()->click();
    QTRY_VERIFY(status.count() > 0);
    QCOMPARE(m_gw->client().post("/v1/responses", body, token).status, 200);
}

void TestOverview::stateNamesTheEndpointsOff()
{
    QTRY_COMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving"));
    m_gw->update([](GatewayConfig &c) { c.responsesEnabled = false; });
    QTRY_COMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving, Responses endpoint off"));
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    QTRY_COMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving, endpoints off"));
    m_gw->update([](GatewayConfig &c) { c.responsesEnabled = true; });
    QTRY_COMPARE(m_page->stateLabel()->text(), QStringLiteral("Serving, chat endpoint off"));
}

void TestOverview::responsesCurlCommandsWorkAsPasted_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("complete answer") << false;
    QTest::newRow("streamed answer") << true;
}

void TestOverview::responsesCurlCommandsWorkAsPasted()
{
    QFETCH(bool, stream);
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    QVERIFY(m_page->responsesPlain()->toPlainText().contains(
        QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(m_gw->port())));
    QVERIFY(m_page->responsesPlain()->toPlainText().contains(QStringLiteral("Bearer YOUR_TOKEN")));
    m_page->revealSecretBox()->setChecked(true);
    const QString command
        = (stream ? m_page->responsesStream() : m_page->responsesPlain())->toPlainText();
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command + QStringLiteral(" -sS")});
    QVERIFY(sh.waitForFinished(15000));
    QCOMPARE(sh.exitCode(), 0);
    const QByteArray out = sh.readAllStandardOutput();
    if (stream) {
        QVERIFY2(out.startsWith("event: response.created\ndata: {"), out.constData());
        QVERIFY(out.contains("event: response.completed"));
        QVERIFY(out.trimmed().endsWith("data: [DONE]"));
    } else {
        QVERIFY2(out.contains("\"object\":\"response\""), out.constData());
        QVERIFY(out.contains("\"text\":\"Hello!\"")); // echo answers with the prompt
    }
}

void TestOverview::messagesSwitchChangesWhatTheServerAnswers()
{
    const QByteArray body
        = R"({"model":"openclaw","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
    const QByteArray token = TestGateway::kToken;
    QVERIFY(!m_page->messagesSwitch()->isChecked()); // the test config leaves it off
    QCOMPARE(m_gw->client().post("/v1/messages", body, token).status, 404);
    QSignalSpy status(&m_gw->controller(), &GatewayController::statusChanged);
    m_page->messagesSwitch()->click();
    QVERIFY(m_page->messagesSwitch()->isChecked());
    QTRY_VERIFY(status.count() > 0);
    QTRY_COMPARE(m_gw->client().post("/v1/messages", body, token).status, 200);
    ConfigStore reread;
    QString error;
    QVERIFY2(reread.load(m_gw->configPath(), ConfigOverrides {}, &error), qPrintable(error));
    QCOMPARE(reread.config().messagesEnabled, true);
    // the other endpoints keep their switches
    QVERIFY(m_page->endpointSwitch()->isChecked());
    QVERIFY(m_page->responsesSwitch()->isChecked());
}

void TestOverview::claudeCommandAndItsAlias()
{
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(m_gw->port());
    QCOMPARE(m_page->claudeLine()->toPlainText(),
             QStringLiteral("ANTHROPIC_BASE_URL=%1 \\\nANTHROPIC_API_KEY=YOUR_TOKEN \\\nclaude")
                 .arg(base));
    m_page->revealSecretBox()->setChecked(true);
    QVERIFY(m_page->claudeLine()->toPlainText().contains(QStringLiteral("ANTHROPIC_API_KEY=")
                                                         + QLatin1String(TestGateway::kToken)));
    // No alias answers Claude Code's model names yet: the page offers one for the default agent.
    QVERIFY(m_page->claudeHint()->text().contains(QStringLiteral("no agent answers")));
    QVERIFY(!m_page->addClaudeAliasButton()->isHidden()); // on its tab, shown when asked
    QCOMPARE(m_page->addClaudeAliasButton()->text(), QStringLiteral("Answer claude-* with “main”"));
    m_page->addClaudeAliasButton()->click();
    QTRY_COMPARE(m_gw->store().config().modelAliases.value(QStringLiteral("claude-*")),
                 QStringLiteral("main"));
    QTRY_VERIFY(m_page->addClaudeAliasButton()->isHidden());
    QVERIFY(m_page->claudeHint()->text().contains(QStringLiteral("“main”")));
    QVERIFY(m_page->messagesCurl()->toPlainText().contains(QStringLiteral("claude-opus-5-5")));
    // and the gateway routes them
    m_gw->update([](GatewayConfig &c) { c.messagesEnabled = true; });
    QCOMPARE(
        m_gw->client()
            .post(
                "/v1/messages",
                R"({"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})",
                TestGateway::kToken)
            .status,
        200);
    QVERIFY(OverviewPage::answersClaudeModels(m_gw->store().config()));
}

void TestOverview::messagesCurlCommandWorksAsPasted()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    m_gw->update([](GatewayConfig &c) { c.messagesEnabled = true; });
    QVERIFY(m_page->messagesCurl()->toPlainText().contains(
        QStringLiteral("http://127.0.0.1:%1/v1/messages").arg(m_gw->port())));
    QVERIFY(
        m_page->messagesCurl()->toPlainText().contains(QStringLiteral("x-api-key: YOUR_TOKEN")));
    m_page->revealSecretBox()->setChecked(true);
    QProcess sh;
    sh.start(
        QStringLiteral("/bin/sh"),
        {QStringLiteral("-c"), m_page->messagesCurl()->toPlainText() + QStringLiteral(" -sS")});
    QVERIFY(sh.waitForFinished(15000));
    QCOMPARE(sh.exitCode(), 0);
    const QByteArray out = sh.readAllStandardOutput();
    QVERIFY2(out.contains("\"type\":\"message\""), out.constData());
    QVERIFY(out.contains("\"text\":\"Hello!\"")); // echo answers with the prompt
}

void TestOverview::storeLineSaysWhichStoreAndWhetherItIsReachable()
{
    // The gateway's own store, as the server reports it.
    QTRY_COMPARE(m_page->storeLabel()->text(), QStringLiteral("SQLite, :memory:: reachable"));
    // A shared store the server finds down, then back.
    ServerStatus st = m_gw->controller().status();
    st.storeKind = QStringLiteral("postgres");
    st.storeLocation = QStringLiteral("postgres://passerelle@db:5432/passerelle");
    st.storeState = SessionStore::State::Unavailable;
    st.storeError = QStringLiteral("connection refused");
    m_page->refreshStore(st);
    QCOMPARE(m_page->storeLabel()->text(),
             QStringLiteral("PostgreSQL, postgres://passerelle@db:5432/passerelle: unreachable "
                            "(conversations and stored responses answer 503 until it is back)"));
    QCOMPARE(m_page->storeLabel()->toolTip(), QStringLiteral("connection refused"));
    st.storeState = SessionStore::State::Available;
    st.storeError.clear();
    m_page->refreshStore(st);
    QCOMPARE(m_page->storeLabel()->text(),
             QStringLiteral("PostgreSQL, postgres://passerelle@db:5432/passerelle: reachable"));
}

QTEST_MAIN(TestOverview)
#include "tst_ui_overview.moc"
