#include "OverviewPage.h"

#include "EndpointAddress.h"
#include "LiveChart.h"
#include "NoticeLabel.h"
#include "engine/AgentResolver.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace passerelle {

namespace {

QPlainTextEdit *codeBox(QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    const int lines = 4;
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 14);
    return edit;
}

QLabel *valueLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

OverviewPage::OverviewPage(ConfigStore *store, GatewayController *controller, QWidget *parent)
    : QWidget(parent), m_store(store), m_controller(controller)
{
    auto *root = new QVBoxLayout(this);

    m_gatewayBox = new QGroupBox(this);
    auto *g = new QGridLayout(m_gatewayBox);
    m_stateCaption = new QLabel(m_gatewayBox);
    m_state = valueLabel(m_gatewayBox);
    m_addressCaption = new QLabel(m_gatewayBox);
    m_address = valueLabel(m_gatewayBox);
    m_storeCaption = new QLabel(m_gatewayBox);
    m_storeValue = valueLabel(m_gatewayBox);
    m_storeValue->setWordWrap(true);
    m_endpointSwitch = new QCheckBox(m_gatewayBox);
    m_responsesSwitch = new QCheckBox(m_gatewayBox);
    m_messagesSwitch = new QCheckBox(m_gatewayBox);
    m_endpointHint = new QLabel(m_gatewayBox);
    m_endpointHint->setWordWrap(true);
    m_endpointHint->setForegroundRole(QPalette::PlaceholderText);
    m_notice = new NoticeLabel(m_gatewayBox);
    g->addWidget(m_stateCaption, 0, 0);
    g->addWidget(m_state, 0, 1);
    g->addWidget(m_addressCaption, 1, 0);
    g->addWidget(m_address, 1, 1);
    g->addWidget(m_storeCaption, 2, 0);
    g->addWidget(m_storeValue, 2, 1);
    // One per line: three side by side would widen the window past a laptop screen.
    auto *switches = new QVBoxLayout;
    switches->addWidget(m_endpointSwitch);
    switches->addWidget(m_responsesSwitch);
    switches->addWidget(m_messagesSwitch);
    g->addLayout(switches, 3, 0, 1, 2);
    g->addWidget(m_endpointHint, 4, 0, 1, 2);
    g->addWidget(m_notice, 5, 0, 1, 2);
    g->setColumnStretch(1, 1);

    m_urlBox = new QGroupBox(this);
    auto *u = new QHBoxLayout(m_urlBox);
    m_url = new QLineEdit(m_urlBox);
    m_url->setReadOnly(true);
    m_url->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copyUrl = new QPushButton(m_urlBox);
    u->addWidget(m_url, 1);
    u->addWidget(m_copyUrl);

    auto *top = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(m_gatewayBox);
    left->addWidget(m_urlBox);
    left->addStretch(1);
    top->addLayout(left, 2);

    m_trafficBox = new QGroupBox(this);
    auto *t = new QGridLayout(m_trafficBox);
    m_totalCaption = new QLabel(m_trafficBox);
    m_total = valueLabel(m_trafficBox);
    m_errorsCaption = new QLabel(m_trafficBox);
    m_errors = valueLabel(m_trafficBox);
    m_streamsCaption = new QLabel(m_trafficBox);
    m_streams = valueLabel(m_trafficBox);
    m_chart = new LiveChart(controller, m_trafficBox);
    m_metricsHint = new QLabel(m_trafficBox);
    m_metricsHint->setWordWrap(true);
    m_metricsHint->setForegroundRole(QPalette::PlaceholderText);
    m_metricsHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    t->addWidget(m_totalCaption, 0, 0);
    t->addWidget(m_total, 0, 1);
    t->addWidget(m_errorsCaption, 0, 2);
    t->addWidget(m_errors, 0, 3);
    t->addWidget(m_streamsCaption, 0, 4);
    t->addWidget(m_streams, 0, 5);
    t->setColumnStretch(6, 1);
    t->addWidget(m_chart, 1, 0, 1, 7);
    t->addWidget(m_metricsHint, 2, 0, 1, 7);
    top->addWidget(m_trafficBox, 3);
    root->addLayout(top, 1);

    m_curlBox = new QGroupBox(this);
    auto *c = new QVBoxLayout(m_curlBox);
    m_revealSecret = new QCheckBox(m_curlBox);
    c->addWidget(m_revealSecret);
    m_curlTabs = new QTabWidget(m_curlBox);
    c->addWidget(m_curlTabs);
    // One tab per endpoint, each with a complete and a streamed command.
    const auto commandTab = [this](QLabel **plainCaption, QPlainTextEdit **plain,
                                   QPushButton **copyPlain, QLabel **streamCaption,
                                   QPlainTextEdit **stream, QPushButton **copyStream) {
        auto *tab = new QWidget(m_curlTabs);
        auto *grid = new QGridLayout(tab);
        *plainCaption = new QLabel(tab);
        *plain = codeBox(tab);
        *copyPlain = new QPushButton(tab);
        *streamCaption = new QLabel(tab);
        *stream = codeBox(tab);
        *copyStream = new QPushButton(tab);
        grid->addWidget(*plainCaption, 0, 0, 1, 2);
        grid->addWidget(*plain, 1, 0);
        grid->addWidget(*copyPlain, 1, 1, Qt::AlignTop);
        grid->addWidget(*streamCaption, 2, 0, 1, 2);
        grid->addWidget(*stream, 3, 0);
        grid->addWidget(*copyStream, 3, 1, Qt::AlignTop);
        grid->setColumnStretch(0, 1);
        QPlainTextEdit *plainEdit = *plain;
        QPlainTextEdit *streamEdit = *stream;
        connect(*copyPlain, &QPushButton::clicked, this,
                [plainEdit] { QApplication::clipboard()->setText(plainEdit->toPlainText()); });
        connect(*copyStream, &QPushButton::clicked, this,
                [streamEdit] { QApplication::clipboard()->setText(streamEdit->toPlainText()); });
        return tab;
    };
    m_curlTabs->addTab(commandTab(&m_curlPlainCaption, &m_curlPlain, &m_copyPlain,
                                  &m_curlStreamCaption, &m_curlStream, &m_copyStream),
                       QString());
    m_curlTabs->addTab(commandTab(&m_responsesPlainCaption, &m_responsesPlain,
                                  &m_copyResponsesPlain, &m_responsesStreamCaption,
                                  &m_responsesStream, &m_copyResponsesStream),
                       QString());
    QWidget *messagesTab = commandTab(&m_messagesCurlCaption, &m_messagesCurl, &m_copyMessagesCurl,
                                      &m_claudeCaption, &m_claude, &m_copyClaude);
    m_claudeHint = new QLabel(messagesTab);
    m_claudeHint->setWordWrap(true);
    m_addClaudeAlias = new QPushButton(messagesTab);
    auto *hintRow = new QHBoxLayout;
    hintRow->addWidget(m_claudeHint, 1);
    hintRow->addWidget(m_addClaudeAlias);
    static_cast<QGridLayout *>(messagesTab->layout())->addLayout(hintRow, 4, 0, 1, 2);
    m_curlTabs->addTab(messagesTab, QString());
    root->addWidget(m_curlBox);

    connect(m_endpointSwitch, &QCheckBox::clicked, this, &OverviewPage::setEndpointEnabled);
    connect(m_responsesSwitch, &QCheckBox::clicked, this, &OverviewPage::setResponsesEnabled);
    connect(m_messagesSwitch, &QCheckBox::clicked, this, &OverviewPage::setMessagesEnabled);
    connect(m_addClaudeAlias, &QPushButton::clicked, this, &OverviewPage::addClaudeAlias);
    connect(m_revealSecret, &QCheckBox::toggled, this, &OverviewPage::refresh);
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_url->text()); });
    connect(store, &ConfigStore::changed, this, &OverviewPage::refresh);
    connect(controller, &GatewayController::statusChanged, this, &OverviewPage::refresh);

    retranslateUi();
}

namespace {

// A curl command posting `json` to `url`, written by hand so the fields read in the order people
// write them (QJsonObject sorts keys).
QString curlLines(const QString &url, const QString &authValue, bool stream, QString json)
{
    json.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    QStringList lines;
    lines << QStringLiteral("curl%1 %2").arg(stream ? QStringLiteral(" -N") : QString(), url);
    if (!authValue.isEmpty())
        lines << QStringLiteral("  -H 'Authorization: Bearer %1'").arg(authValue);
    lines << QStringLiteral("  -H 'Content-Type: application/json'");
    lines << QStringLiteral("  -d '%1'").arg(json);
    return lines.join(QStringLiteral(" \\\n"));
}

QString quoted(const QString &text)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray {text}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
}

} // namespace

QString OverviewPage::curlCommand(const QString &baseUrl, const QString &authValue,
                                  const QString &model, bool stream)
{
    const QString json
        = QStringLiteral(
              "{\"model\":%1,%2\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}")
              .arg(quoted(model), stream ? QStringLiteral("\"stream\":true,") : QString());
    return curlLines(baseUrl + QStringLiteral("/v1/chat/completions"), authValue, stream, json);
}

QString OverviewPage::responsesCurlCommand(const QString &baseUrl, const QString &authValue,
                                           const QString &model, bool stream)
{
    const QString json
        = QStringLiteral("{\"model\":%1,%2\"input\":\"Hello!\"}")
              .arg(quoted(model), stream ? QStringLiteral("\"stream\":true,") : QString());
    return curlLines(baseUrl + QStringLiteral("/v1/responses"), authValue, stream, json);
}

QString OverviewPage::messagesCurlCommand(const QString &baseUrl, const QString &authValue,
                                          const QString &model)
{
    QString json = QStringLiteral("{\"model\":%1,\"max_tokens\":1024,\"messages\":[{\"role\":"
                                  "\"user\",\"content\":\"Hello!\"}]}")
                       .arg(quoted(model));
    json.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    QStringList lines;
    lines << QStringLiteral("curl %1/v1/messages").arg(baseUrl);
    if (!authValue.isEmpty())
        lines << QStringLiteral("  -H 'x-api-key: %1'").arg(authValue);
    // four lines, as the other commands: the box shows four
    lines << QStringLiteral(
        "  -H 'anthropic-version: 2023-06-01' -H 'Content-Type: application/json'");
    lines << QStringLiteral("  -d '%1'").arg(json);
    return lines.join(QStringLiteral(" \\\n"));
}

QString OverviewPage::claudeCommand(const QString &baseUrl, const QString &authValue)
{
    // Claude Code insists on a key: with auth off, any value does.
    return QStringLiteral("ANTHROPIC_BASE_URL=%1 \\\nANTHROPIC_API_KEY=%2 \\\nclaude")
        .arg(baseUrl, authValue.isEmpty() ? QStringLiteral("passerelle") : authValue);
}

bool OverviewPage::answersClaudeModels(const GatewayConfig &config)
{
    // Claude Code's main model and the small one it uses for titles and summaries.
    return !AgentResolver::aliasTarget(QStringLiteral("claude-opus-5-5"), config.modelAliases)
                .isEmpty()
        && !AgentResolver::aliasTarget(QStringLiteral("claude-haiku-4-5"), config.modelAliases)
                .isEmpty();
}

QString OverviewPage::endpointUrl() const
{
    return EndpointAddress::chatCompletionsUrl(m_controller->status(), m_store->config());
}

void OverviewPage::setEndpointEnabled(bool on)
{
    updateConfig([on](GatewayConfig &c) { c.chatCompletionsEnabled = on; });
}

void OverviewPage::setResponsesEnabled(bool on)
{
    updateConfig([on](GatewayConfig &c) { c.responsesEnabled = on; });
}

void OverviewPage::setMessagesEnabled(bool on)
{
    updateConfig([on](GatewayConfig &c) { c.messagesEnabled = on; });
}

void OverviewPage::addClaudeAlias()
{
    const AgentConfig *agent = m_store->config().defaultAgent();
    if (!agent)
        return;
    const QString id = agent->id;
    updateConfig([id](GatewayConfig &c) { c.modelAliases.insert(QStringLiteral("claude-*"), id); });
}

void OverviewPage::updateConfig(const std::function<void(GatewayConfig &)> &change)
{
    QString error;
    if (!m_store->update(change, &error)) {
        m_notice->showError(tr("The change could not be saved: %1").arg(error));
        refresh();
        return;
    }
    m_notice->clearMessage();
}

void OverviewPage::refresh()
{
    const GatewayConfig cfg = m_store->config();
    const ServerStatus st = m_controller->status();

    m_endpointSwitch->setChecked(cfg.chatCompletionsEnabled);
    m_responsesSwitch->setChecked(cfg.responsesEnabled);
    m_messagesSwitch->setChecked(cfg.messagesEnabled);
    switch (st.state) {
    case ServerState::Stopped:
        m_state->setText(tr("Stopped"));
        m_state->setStyleSheet(QStringLiteral("color: #6b6b6b;"));
        break;
    case ServerState::Starting:
        m_state->setText(tr("Starting…"));
        m_state->setStyleSheet(QString());
        break;
    case ServerState::Serving:
        if (cfg.chatCompletionsEnabled && cfg.responsesEnabled)
            m_state->setText(tr("Serving"));
        else if (cfg.chatCompletionsEnabled)
            m_state->setText(tr("Serving, Responses endpoint off"));
        else if (cfg.responsesEnabled)
            m_state->setText(tr("Serving, chat endpoint off"));
        else
            m_state->setText(tr("Serving, endpoints off"));
        m_state->setStyleSheet(cfg.chatCompletionsEnabled && cfg.responsesEnabled
                                   ? QStringLiteral("color: #1b7a2f;")
                                   : QStringLiteral("color: #a15c00;"));
        break;
    case ServerState::Error:
        m_state->setText(tr("Not listening"));
        m_state->setStyleSheet(QStringLiteral("color: #b3261e;"));
        break;
    }
    if (!st.error.isEmpty())
        m_notice->showError(st.error);
    else if (m_notice->kind() == NoticeLabel::Kind::Error && st.state == ServerState::Serving)
        m_notice->clearMessage();

    const QString base = EndpointAddress::baseUrl(st, cfg);
    m_address->setText(st.state == ServerState::Serving ? base
                                                        : tr("%1 (not listening)").arg(base));
    m_url->setText(base + QStringLiteral("/v1/chat/completions"));

    refreshStore(st);

    QString auth;
    switch (cfg.auth.mode) {
    case AuthMode::Token:
        auth = m_revealSecret->isChecked() && !cfg.auth.token.isEmpty()
            ? cfg.auth.token
            : QStringLiteral("YOUR_TOKEN");
        break;
    case AuthMode::Password:
        auth = m_revealSecret->isChecked() && !cfg.auth.password.isEmpty()
            ? cfg.auth.password
            : QStringLiteral("YOUR_PASSWORD");
        break;
    case AuthMode::None:
        break;
    }
    m_revealSecret->setEnabled(cfg.auth.mode != AuthMode::None);
    const AgentConfig *agent = cfg.defaultAgent();
    const QString model
        = agent ? QStringLiteral("openclaw/") + agent->id : QStringLiteral("openclaw");
    m_curlPlain->setPlainText(curlCommand(base, auth, model, false));
    m_curlStream->setPlainText(curlCommand(base, auth, model, true));
    m_responsesPlain->setPlainText(responsesCurlCommand(base, auth, model, false));
    m_responsesStream->setPlainText(responsesCurlCommand(base, auth, model, true));
    const bool aliased = answersClaudeModels(cfg);
    const QString claudeAgent
        = AgentResolver::aliasTarget(QStringLiteral("claude-opus-5-5"), cfg.modelAliases);
    m_messagesCurl->setPlainText(
        messagesCurlCommand(base, auth, aliased ? QStringLiteral("claude-opus-5-5") : model));
    m_claude->setPlainText(claudeCommand(base, auth));
    m_claudeHint->setText(
        aliased ? tr("Claude Code asks for models named claude-…: the alias sends them to the "
                     "agent “%1” (Agents tab, “also answers to”).")
                      .arg(claudeAgent)
                : tr("Claude Code asks for models named claude-…: no agent answers to them yet. "
                     "Add the alias claude-* to an agent (Agents tab, “also answers to”)."));
    m_addClaudeAlias->setVisible(!aliased && agent);
    if (agent)
        m_addClaudeAlias->setText(tr("Answer claude-* with “%1”").arg(agent->id));
    m_messagesSwitch->setToolTip(cfg.messagesEnabled ? QString()
                                                     : tr("Claude Code needs this endpoint."));
    refreshCounters();
}

void OverviewPage::refreshStore(const ServerStatus &st)
{
    const QString engine = st.storeKind == QLatin1String("postgres") ? tr("PostgreSQL")
        : st.storeKind == QLatin1String("sqlite")                    ? tr("SQLite")
                                                                     : QString();
    m_storeValue->setToolTip(st.storeError);
    if (engine.isEmpty() || st.state == ServerState::Stopped) {
        m_storeValue->setText(QStringLiteral("—"));
        m_storeValue->setStyleSheet(QString());
        return;
    }
    switch (st.storeState) {
    case SessionStore::State::Opening:
        m_storeValue->setText(tr("%1, %2: connecting…").arg(engine, st.storeLocation));
        m_storeValue->setStyleSheet(QString());
        break;
    case SessionStore::State::Available:
        m_storeValue->setText(tr("%1, %2: reachable").arg(engine, st.storeLocation));
        m_storeValue->setStyleSheet(QStringLiteral("color: #1b7a2f;"));
        break;
    case SessionStore::State::Unavailable:
        m_storeValue->setText(tr("%1, %2: unreachable (conversations and stored responses answer "
                                 "503 until it is back)")
                                  .arg(engine, st.storeLocation));
        m_storeValue->setStyleSheet(QStringLiteral("color: #b3261e;"));
        break;
    }
}

void OverviewPage::refreshCounters()
{
    const QLocale loc;
    const TrafficStats::Snapshot stats = m_controller->traffic();
    m_total->setText(loc.toString(stats.total()));
    m_errors->setText(loc.toString(stats.errors()));
    m_streams->setText(loc.toString(stats.activeStreams()));
}

void OverviewPage::retranslateUi()
{
    m_gatewayBox->setTitle(tr("Gateway"));
    m_stateCaption->setText(tr("State:"));
    m_addressCaption->setText(tr("Address:"));
    m_storeCaption->setText(tr("Session store:"));
    m_endpointSwitch->setText(tr("Serve the Chat Completions endpoint (/v1/chat/completions)"));
    m_responsesSwitch->setText(tr("Serve the Responses endpoint (/v1/responses)"));
    m_messagesSwitch->setText(tr("Serve the Anthropic Messages endpoint (/v1/messages)"));
    m_endpointHint->setText(tr("Applies at once and is saved to the configuration. While off, an "
                               "endpoint answers 404 Not Found."));
    m_urlBox->setTitle(tr("Endpoint URL"));
    m_copyUrl->setText(tr("Copy"));
    m_curlBox->setTitle(tr("Try it with curl"));
    m_revealSecret->setText(tr("Put the real secret in the commands"));
    m_curlPlainCaption->setText(tr("Complete answer:"));
    m_curlStreamCaption->setText(tr("Streamed answer (Server-Sent Events):"));
    m_copyPlain->setText(tr("Copy"));
    m_copyStream->setText(tr("Copy"));
    m_curlTabs->setTabText(0, tr("Chat Completions"));
    m_curlTabs->setTabText(1, tr("Responses"));
    m_responsesPlainCaption->setText(tr("Complete answer:"));
    m_responsesStreamCaption->setText(tr("Streamed answer (Server-Sent Events):"));
    m_copyResponsesPlain->setText(tr("Copy"));
    m_copyResponsesStream->setText(tr("Copy"));
    m_curlTabs->setTabText(2, tr("Anthropic Messages (Claude Code)"));
    m_messagesCurlCaption->setText(tr("Complete answer:"));
    m_claudeCaption->setText(tr("Claude Code on this gateway:"));
    m_copyMessagesCurl->setText(tr("Copy"));
    m_copyClaude->setText(tr("Copy"));
    m_trafficBox->setTitle(tr("Traffic"));
    m_totalCaption->setText(tr("Requests:"));
    m_errorsCaption->setText(tr("Errors:"));
    m_streamsCaption->setText(tr("Active streams:"));
    // The same figures, as a scraper finds them (GatewayMetrics reads this TrafficStats).
    const QString at = tr("At GET /metrics: %1");
    for (QLabel *l : {m_totalCaption, m_total})
        l->setToolTip(at.arg(QStringLiteral("passerelle_requests_total")));
    for (QLabel *l : {m_errorsCaption, m_errors})
        l->setToolTip(at.arg(QStringLiteral("passerelle_request_errors_total")));
    for (QLabel *l : {m_streamsCaption, m_streams})
        l->setToolTip(at.arg(QStringLiteral("passerelle_active_streams")));
    m_metricsHint->setText(
        tr("Prometheus and other scrapers read these figures at GET /metrics "
           "(passerelle_requests_total, passerelle_request_errors_total, "
           "passerelle_active_streams; per route: passerelle_http_requests_total, "
           "passerelle_http_request_duration_seconds)."));
    refresh();
}

void OverviewPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace passerelle
