// The agents tab against a real gateway (port 0): an agent added in the panel becomes routable
// (openclaw/<id> answers 200), removing it makes it unknown again, the last agent stays, the
// default moves, providers are validated and keys masked, and the try-it box streams a real
// answer through the gateway; the model names an agent also answers to (passerelle.modelAliases),
// edited in its dialog, shown in the table, refused when another agent holds one, gone with it.

#include "AgentDialog.h"
#include "AgentsPage.h"
#include "NoticeLabel.h"
#include "ProviderDialog.h"
#include "TryItBox.h"
#include "support/TestGateway.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace passerelle;
using namespace passerelle::test;

namespace {

QByteArray body(const QByteArray &model)
{
    return R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})";
}

QString errorMessage(const HttpResponse &r)
{
    return r.json()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("message"))
        .toString();
}

} // namespace

class TestAgents : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void addedAgentIsRoutable();
    void addThroughTheDialog();
    void removeKeepsOneAndMovesDefault();
    void setDefaultRoutesPlainOpenclaw();
    void idValidation_data();
    void idValidation();
    void modelValidation_data();
    void modelValidation();
    void providerSavedAndKeyMasked();
    void providerInUseCannotGo();
    void tryItStreamsARealAnswer();
    void providerTableShowsRunningAndQueued();
    void aliasesAnswerForTheAgent();
    void aliasesInTheDialog();

private:
    QString agentOfNextRequest(const QByteArray &model);

    std::unique_ptr<TestGateway> m_gw;
    std::unique_ptr<AgentsPage> m_page;
};

void TestAgents::init()
{
    m_gw = std::make_unique<TestGateway>();
    QString error;
    QVERIFY2(m_gw->start(&error), qPrintable(error));
    m_page = std::make_unique<AgentsPage>(&m_gw->store(), &m_gw->controller());
    m_page->show();
}

void TestAgents::cleanup()
{
    m_page.reset();
    m_gw.reset();
}

QString TestAgents::agentOfNextRequest(const QByteArray &model)
{
    QString agent;
    auto c = connect(&m_gw->controller(), &GatewayController::logBatch, this,
                     [&agent](const LogBatch &b) {
                         for (const RequestRecord &r : b.records) {
                             if (r.finished)
                                 agent = r.agentId;
                         }
                     });
    const int status
        = m_gw->client().post("/v1/chat/completions", body(model), TestGateway::kToken).status;
    [&] { QTRY_VERIFY(!agent.isEmpty()); }();
    disconnect(c);
    return status == 200 ? agent : QString();
}

void TestAgents::addedAgentIsRoutable()
{
    const HttpResponse before
        = m_gw->client().post("/v1/chat/completions", body("openclaw/writer"), TestGateway::kToken);
    QCOMPARE(before.status, 400);
    QCOMPARE(errorMessage(before), QStringLiteral("Unknown agent 'writer'."));

    AgentConfig a;
    a.id = QStringLiteral("writer");
    a.name = QStringLiteral("Writer");
    a.primary = QStringLiteral("echo/echo");
    QVERIFY(m_page->addAgent(a));
    QCOMPARE(m_page->agentTable()->rowCount(), 2);
    QCOMPARE(m_page->agentTable()->item(1, 0)->text(), QStringLiteral("writer"));
    QCOMPARE(m_page->agentTable()->item(1, 2)->text(), QStringLiteral("echo/echo"));
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("openclaw/writer"), TestGateway::kToken)
                     .status,
                 200);

    QVERIFY(m_page->removeAgent(QStringLiteral("writer")));
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("openclaw/writer"), TestGateway::kToken)
                     .status,
                 400);
}

void TestAgents::addThroughTheDialog()
{
    QTimer::singleShot(0, qApp, [] {
        QWidget *w = nullptr;
        QTRY_VERIFY((w = QApplication::activeModalWidget()) != nullptr);
        auto *dialog = qobject_cast<AgentDialog *>(w);
        QVERIFY(dialog);
        QPushButton *ok = dialog->buttons()->button(QDialogButtonBox::Ok);
        QTest::keyClicks(dialog->idEdit(), QStringLiteral("Bad Id"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(dialog->errorLabel()->text().startsWith(
            QStringLiteral("An id has 1 to 64 characters")));
        dialog->idEdit()->clear();
        QTest::keyClicks(dialog->idEdit(), QStringLiteral("Coder")); // lower-cased as typed
        QCOMPARE(dialog->idEdit()->text(), QStringLiteral("coder"));
        dialog->modelBox()->setCurrentText(QStringLiteral("nowhere/model"));
        QVERIFY(!ok->isEnabled());
        dialog->modelBox()->setCurrentText(QStringLiteral("echo/echo"));
        QVERIFY(ok->isEnabled());
        ok->click();
    });
    m_page->addAgentButton()->click();
    QCOMPARE(m_gw->store().config().agents.size(), 2);
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("openclaw/coder"), TestGateway::kToken)
                     .status,
                 200);
}

void TestAgents::removeKeepsOneAndMovesDefault()
{
    QVERIFY(!m_page->removeAgent(QStringLiteral("main")));
    QCOMPARE(m_gw->store().config().agents.size(), 1);

    AgentConfig a;
    a.id = QStringLiteral("second");
    a.primary = QStringLiteral("echo/echo");
    QVERIFY(m_page->addAgent(a));
    QVERIFY(m_page->setDefaultAgent(QStringLiteral("main")));
    QVERIFY(m_page->removeAgent(QStringLiteral("main")));
    const GatewayConfig cfg = m_gw->store().config();
    QCOMPARE(cfg.agents.size(), 1);
    QCOMPARE(cfg.defaultAgent()->id, QStringLiteral("second"));
    QVERIFY(cfg.agents.first().isDefault);
    QCOMPARE(m_page->agentTable()->item(0, 3)->text(), QStringLiteral("default"));
}

void TestAgents::setDefaultRoutesPlainOpenclaw()
{
    AgentConfig a;
    a.id = QStringLiteral("writer");
    a.primary = QStringLiteral("echo/echo");
    QVERIFY(m_page->addAgent(a));
    QTRY_COMPARE(agentOfNextRequest("openclaw"), QStringLiteral("main"));
    QVERIFY(m_page->setDefaultAgent(QStringLiteral("writer")));
    QTRY_COMPARE(agentOfNextRequest("openclaw"), QStringLiteral("writer"));
}

void TestAgents::idValidation_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QStringLiteral("main") << true;
    QTest::newRow("digits first") << QStringLiteral("0agent") << true;
    QTest::newRow("dash and underscore") << QStringLiteral("a-b_c") << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << true;
    QTest::newRow("65 chars") << QString(65, QLatin1Char('a')) << false;
    QTest::newRow("upper case") << QStringLiteral("Main") << false;
    QTest::newRow("leading dash") << QStringLiteral("-a") << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestAgents::idValidation()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(AgentDialog::isValidId(id), valid);
}

void TestAgents::modelValidation_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("fallbacks");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ok") << "writer"
                        << "echo/echo" << QStringList {} << QString();
    QTest::newRow("duplicate id") << "main"
                                  << "echo/echo" << QStringList {}
                                  << QStringLiteral("An agent with the id “main” already exists.");
    QTest::newRow("no slash") << "writer"
                              << "gpt-4o" << QStringList {}
                              << QStringLiteral("“gpt-4o” is not of the form provider/model.");
    QTest::newRow("unknown provider")
        << "writer"
        << "openai/gpt-4o" << QStringList {}
        << QStringLiteral("No provider named “openai” is declared (see Providers below).");
    QTest::newRow("bad fallback")
        << "writer"
        << "echo/echo" << QStringList {QStringLiteral("x/y")}
        << QStringLiteral("Fallback: No provider named “x” is declared (see Providers below).");
}

void TestAgents::modelValidation()
{
    QFETCH(QString, id);
    QFETCH(QString, model);
    QFETCH(QStringList, fallbacks);
    QFETCH(QString, expected);
    AgentConfig a;
    a.id = id;
    a.primary = model;
    a.fallbacks = fallbacks;
    QCOMPARE(AgentDialog::validate(a, m_gw->store().config(), {}), expected);
}

void TestAgents::providerSavedAndKeyMasked()
{
    ProviderConfig p;
    p.name = QStringLiteral("local");
    p.api = QStringLiteral("openai-completions");
    p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    p.apiKey = QStringLiteral("sk-secret-value-1234");
    p.models = {ProviderModel {QStringLiteral("llama3"), {}}};
    p.timeoutMs = 30000;
    QVERIFY(m_page->saveProvider({}, p));
    const ProviderConfig *saved = m_gw->store().config().findProvider(QStringLiteral("local"));
    QVERIFY(saved);
    QCOMPARE(saved->baseUrl, p.baseUrl);
    QCOMPARE(saved->timeoutMs, 30000);
    QTableWidget *t = m_page->providerTable();
    int row = -1;
    for (int r = 0; r < t->rowCount(); ++r) {
        if (t->item(r, 0)->text() == QStringLiteral("local"))
            row = r;
    }
    QVERIFY(row >= 0);
    QCOMPARE(t->item(row, 3)->text(), QString(8, QChar(0x2022)) + QStringLiteral("1234"));
    QCOMPARE(t->item(row, 4)->text(), QStringLiteral("llama3"));

    ProviderConfig bad = p;
    bad.name = QStringLiteral("other");
    bad.baseUrl = QStringLiteral("ftp://x");
    QCOMPARE(ProviderDialog::validate(bad, m_gw->store().config(), {}),
             QStringLiteral("The base URL must start with http:// or https://."));
    bad.name = QStringLiteral("local");
    bad.baseUrl = p.baseUrl;
    QCOMPARE(ProviderDialog::validate(bad, m_gw->store().config(), {}),
             QStringLiteral("A provider named “local” already exists."));
}

void TestAgents::providerInUseCannotGo()
{
    ProviderConfig slow;
    slow.name = QStringLiteral("slow");
    slow.api = QStringLiteral("echo");
    slow.chunkDelayMs = 1;
    QVERIFY(m_page->saveProvider({}, slow));
    AgentConfig a;
    a.id = QStringLiteral("sloth");
    a.primary = QStringLiteral("slow/echo");
    QVERIFY(m_page->addAgent(a));
    QVERIFY(!m_page->removeProvider(QStringLiteral("slow")));
    QVERIFY(!m_page->removeProvider(QStringLiteral("echo")));
    QVERIFY(m_page->removeAgent(QStringLiteral("sloth")));
    QVERIFY(m_page->removeProvider(QStringLiteral("slow")));
}

void TestAgents::tryItStreamsARealAnswer()
{
    TryItBox *box = m_page->tryIt();
    QCOMPARE(box->agentBox()->currentText(), QStringLiteral("main"));
    box->promptEdit()->setText(QStringLiteral("Bonjour tout le monde"));
    box->send();
    QTRY_VERIFY(box->statusLabel()->text().startsWith(QStringLiteral("Done in")));
    // The echo backend answers with the prompt it was given.
    QCOMPARE(box->output()->toPlainText(), QStringLiteral("Bonjour tout le monde"));
    QVERIFY(box->statusLabel()->text().contains(QStringLiteral("finish reason: stop")));

    // A failing request shows the gateway's own message.
    m_gw->update([](GatewayConfig &c) { c.auth.token = QStringLiteral("changed-token-000"); });
    m_gw->update([](GatewayConfig &c) { c.chatCompletionsEnabled = false; });
    box->send();
    QTRY_COMPARE(box->statusLabel()->text(), QStringLiteral("The gateway answered 404: Not Found"));
}

void TestAgents::providerTableShowsRunningAndQueued()
{
    // A slow echo provider that takes one run at a time: a second run waits for it.
    m_gw->update([](GatewayConfig &c) {
        ProviderConfig slow = c.providers.value(QStringLiteral("echo"));
        slow.name = QStringLiteral("slow");
        slow.chunkDelayMs = 40;
        slow.maxConcurrent = 1;
        slow.maxQueue = 3;
        c.providers.insert(slow.name, slow);
        AgentConfig agent;
        agent.id = QStringLiteral("slowpoke");
        agent.primary = QStringLiteral("slow/echo");
        c.agents.append(agent);
    });
    const auto rowOf = [this](const QString &name) {
        for (int r = 0; r < m_page->providerTable()->rowCount(); ++r) {
            if (m_page->providerTable()->item(r, 0)->text() == name)
                return r;
        }
        return -1;
    };
    QTRY_VERIFY(rowOf(QStringLiteral("slow")) >= 0);
    const int row = rowOf(QStringLiteral("slow"));
    const auto cell
        = [this, row](int column) { return m_page->providerTable()->item(row, column)->text(); };
    QCOMPARE(cell(AgentsPage::kRunningColumn), QStringLiteral("0 of 1"));
    QCOMPARE(cell(AgentsPage::kQueuedColumn), QStringLiteral("0 of 3"));

    const QByteArray stream = TestHttpClient::buildRequest(
        "POST", "/v1/chat/completions",
        {{"Authorization", "Bearer " + QByteArray(TestGateway::kToken)}},
        R"({"model":"openclaw/slowpoke","stream":true,"messages":[{"role":"user","content":")"
            + QByteArray("one two three four five six seven eight nine ten eleven twelve")
            + R"("}]})",
        "127.0.0.1");
    TestHttpClient first(m_gw->port());
    TestHttpClient second(m_gw->port());
    QVERIFY(first.open(stream));
    QVERIFY(second.open(stream));
    QTRY_COMPARE(cell(AgentsPage::kRunningColumn), QStringLiteral("1 of 1"));
    QTRY_COMPARE(cell(AgentsPage::kQueuedColumn), QStringLiteral("1 of 3"));
    QVERIFY(first.waitForData("data: [DONE]"));
    QVERIFY(second.waitForData("data: [DONE]"));
    QTRY_COMPARE(cell(AgentsPage::kRunningColumn), QStringLiteral("0 of 1"));
    QCOMPARE(cell(AgentsPage::kQueuedColumn), QStringLiteral("0 of 3"));
}

void TestAgents::aliasesAnswerForTheAgent()
{
    AgentConfig a;
    a.id = QStringLiteral("coder");
    a.primary = QStringLiteral("echo/echo");
    QCOMPARE(m_gw->client()
                 .post("/v1/chat/completions", body("claude-opus-5-5"), TestGateway::kToken)
                 .status,
             400);
    QVERIFY(m_page->addAgent(a, {QStringLiteral("claude-*"), QStringLiteral("gpt-4o")}));
    QCOMPARE(m_gw->store().config().modelAliases.value(QStringLiteral("claude-*")),
             QStringLiteral("coder"));
    QCOMPARE(m_page->agentTable()->item(1, AgentsPage::kAliasesColumn)->text(),
             QStringLiteral("claude-*, gpt-4o"));
    QCOMPARE(agentOfNextRequest("claude-opus-5-5"), QStringLiteral("coder"));
    QCOMPARE(agentOfNextRequest("gpt-4o"), QStringLiteral("coder"));
    // another agent cannot take a name this one answers to
    AgentConfig other;
    other.id = QStringLiteral("other");
    other.primary = QStringLiteral("echo/echo");
    QVERIFY(!m_page->addAgent(other, {QStringLiteral("claude-*")}));
    QCOMPARE(m_page->notice()->text(),
             QStringLiteral("“claude-*” already answers for the agent “coder”."));
    // editing replaces its list
    QVERIFY(m_page->editAgent(QStringLiteral("coder"), a, {QStringLiteral("claude-*")}));
    QVERIFY(!m_gw->store().config().modelAliases.contains(QStringLiteral("gpt-4o")));
    // removing the agent drops its aliases
    QVERIFY(m_page->removeAgent(QStringLiteral("coder")));
    QVERIFY(m_gw->store().config().modelAliases.isEmpty());
    QTRY_COMPARE(m_gw->client()
                     .post("/v1/chat/completions", body("claude-opus-5-5"), TestGateway::kToken)
                     .status,
                 400);
}

void TestAgents::aliasesInTheDialog()
{
    m_gw->update([](GatewayConfig &c) {
        c.modelAliases = {{QStringLiteral("claude-*"), QStringLiteral("main")}};
        AgentConfig o;
        o.id = QStringLiteral("ops");
        o.primary = QStringLiteral("echo/echo");
        c.agents.append(o);
    });
    const GatewayConfig cfg = m_gw->store().config();
    AgentDialog edit(cfg, *cfg.findAgent(QStringLiteral("main")), QStringLiteral("main"));
    QCOMPARE(edit.aliasesEdit()->text(), QStringLiteral("claude-*"));
    AgentDialog ops(cfg, *cfg.findAgent(QStringLiteral("ops")), QStringLiteral("ops"));
    QPushButton *ok = ops.buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    ops.aliasesEdit()->setText(QStringLiteral("claude-*, qwen*"));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(ops.errorLabel()->text(),
             QStringLiteral("“claude-*” already answers for the agent “main”."));
    ops.aliasesEdit()->setText(QStringLiteral("qwen*"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(ops.aliases(), QStringList {QStringLiteral("qwen*")});
}

QTEST_MAIN(TestAgents)
#include "tst_ui_agents.moc"
