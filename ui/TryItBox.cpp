#include "TryItBox.h"

#include "ChatStreamClient.h"
#include "EndpointAddress.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>

namespace passerelle {

TryItBox::TryItBox(ConfigStore *store, GatewayController *controller, QWidget *parent)
    : QGroupBox(parent), m_store(store), m_controller(controller),
      m_client(new ChatStreamClient(this))
{
    auto *g = new QGridLayout(this);
    m_agentCaption = new QLabel(this);
    m_agent = new QComboBox(this);
    m_agent->setMinimumContentsLength(12);
    m_prompt = new QLineEdit(this);
    m_send = new QPushButton(this);
    m_send->setDefault(true);
    m_stop = new QPushButton(this);
    m_output = new QPlainTextEdit(this);
    m_output->setReadOnly(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    g->addWidget(m_agentCaption, 0, 0);
    g->addWidget(m_agent, 0, 1);
    g->addWidget(m_prompt, 0, 2);
    g->addWidget(m_send, 0, 3);
    g->addWidget(m_stop, 0, 4);
    g->addWidget(m_output, 1, 0, 1, 5);
    g->addWidget(m_status, 2, 0, 1, 5);
    g->setColumnStretch(2, 1);

    connect(m_send, &QPushButton::clicked, this, &TryItBox::send);
    connect(m_prompt, &QLineEdit::returnPressed, this, &TryItBox::send);
    connect(m_stop, &QPushButton::clicked, this, &TryItBox::stop);
    connect(m_client, &ChatStreamClient::delta, this, [this](const QString &text) {
        QScrollBar *bar = m_output->verticalScrollBar();
        const bool atEnd = bar->value() == bar->maximum();
        m_output->moveCursor(QTextCursor::End);
        m_output->insertPlainText(text);
        if (atEnd)
            bar->setValue(bar->maximum());
        if (m_client->firstDeltaMs() >= 0 && m_status->property("first").isNull()) {
            m_status->setProperty("first", true);
            m_status->setText(tr("Streaming… first words after %1 ms")
                                  .arg(QLocale().toString(m_client->firstDeltaMs())));
        }
    });
    connect(m_client, &ChatStreamClient::finished, this,
            [this](const QString &reason, qint64 elapsedMs) {
                setRunning(false);
                const QLocale loc;
                m_status->setText(
                    tr("Done in %1 ms (first words after %2 ms, finish reason: %3).")
                        .arg(loc.toString(elapsedMs),
                             loc.toString(std::max<qint64>(0, m_client->firstDeltaMs())),
                             reason.isEmpty() ? tr("none") : reason));
            });
    connect(m_client, &ChatStreamClient::failed, this, [this](int status, const QString &message) {
        setRunning(false);
        m_status->setText(status > 0 ? tr("The gateway answered %1: %2").arg(status).arg(message)
                                     : tr("The request failed: %1").arg(message));
    });

    setRunning(false);
    retranslateUi();
}

void TryItBox::setAgents(const QStringList &ids, const QString &defaultId)
{
    const QString current = m_agent->currentText();
    m_agent->clear();
    m_agent->addItems(ids);
    const int keep = m_agent->findText(current);
    m_agent->setCurrentIndex(keep >= 0 ? keep : std::max(0, m_agent->findText(defaultId)));
}

void TryItBox::send()
{
    if (m_client->isRunning() || m_agent->currentText().isEmpty())
        return;
    const GatewayConfig cfg = m_store->config();
    QString auth;
    if (cfg.auth.mode == AuthMode::Token)
        auth = cfg.auth.token;
    else if (cfg.auth.mode == AuthMode::Password)
        auth = cfg.auth.password;
    QString prompt = m_prompt->text().trimmed();
    if (prompt.isEmpty())
        prompt = m_prompt->placeholderText();
    m_output->clear();
    m_status->setProperty("first", QVariant());
    m_status->setText(tr("Waiting for the first words…"));
    setRunning(true);
    m_client->start(EndpointAddress::chatCompletionsUrl(m_controller->status(), cfg), auth,
                    m_agent->currentText(), prompt);
}

void TryItBox::stop()
{
    if (!m_client->isRunning())
        return;
    m_client->abort();
    setRunning(false);
    m_status->setText(tr("Stopped."));
}

void TryItBox::setRunning(bool running)
{
    m_send->setEnabled(!running);
    m_stop->setEnabled(running);
}

void TryItBox::retranslateUi()
{
    setTitle(tr("Try it"));
    m_agentCaption->setText(tr("Agent:"));
    m_prompt->setPlaceholderText(tr("Say hello in one short sentence."));
    m_send->setText(tr("Send"));
    m_stop->setText(tr("Stop"));
    if (!m_client->isRunning() && m_output->toPlainText().isEmpty())
        m_status->setText(tr("Sends a real streaming request through the gateway, like any "
                             "client would."));
}

void TryItBox::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

} // namespace passerelle
