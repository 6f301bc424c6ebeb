#include "AgentDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace passerelle {

namespace {

const QRegularExpression &idPattern()
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    return re;
}

QStringList splitList(const QString &text)
{
    QStringList out;
    const auto parts
        = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        out << p.trimmed();
    return out;
}

} // namespace

AgentDialog::AgentDialog(const GatewayConfig &config, const AgentConfig &agent,
                         const QString &originalId, QWidget *parent)
    : QDialog(parent), m_config(config), m_originalId(originalId)
{
    setWindowTitle(originalId.isEmpty() ? tr("New agent") : tr("Edit agent “%1”").arg(originalId));
    auto *root = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_id = new QLineEdit(agent.id, this);
    m_id->setPlaceholderText(tr("e.g. writer"));
    // Lower-case as the user types: ids are case-insensitive and stored lower-cased.
    connect(m_id, &QLineEdit::textEdited, this, [this](const QString &t) {
        const int pos = m_id->cursorPosition();
        m_id->setText(t.toLower());
        m_id->setCursorPosition(pos);
    });
    m_id->setReadOnly(!originalId.isEmpty());
    m_id->setToolTip(tr("Clients reach this agent with the model “openclaw/<id>”."));
    form->addRow(tr("Id:"), m_id);

    m_name = new QLineEdit(agent.name, this);
    form->addRow(tr("Name:"), m_name);

    m_model = new QComboBox(this);
    m_model->setEditable(true);
    m_model->addItems(knownModelRefs(config));
    m_model->setCurrentText(agent.primary.isEmpty() ? QStringLiteral("echo/echo") : agent.primary);
    form->addRow(tr("Model:"), m_model);

    m_fallbacks = new QLineEdit(agent.fallbacks.join(QStringLiteral(", ")), this);
    m_fallbacks->setPlaceholderText(tr("provider/model, tried in order when the model fails"));
    form->addRow(tr("Fallbacks:"), m_fallbacks);

    m_aliases = new QLineEdit(aliasesOf(config, originalId).join(QStringLiteral(", ")), this);
    m_aliases->setPlaceholderText(tr("model names such as claude-* (“*” matches anything)"));
    m_aliases->setToolTip(tr("Clients that name one of these models reach this agent, on every "
                             "endpoint: Claude Code asks for models named claude-…"));
    form->addRow(tr("Also answers to:"), m_aliases);

    m_prompt = new QPlainTextEdit(agent.systemPrompt, this);
    m_prompt->setPlaceholderText(tr("Optional instructions sent before every conversation"));
    m_prompt->setMinimumHeight(90);
    form->addRow(tr("System prompt:"), m_prompt);

    m_default = new QCheckBox(tr("Default agent (answers “openclaw” and requests naming no agent)"),
                              this);
    m_default->setChecked(agent.isDefault);
    form->addRow(QString(), m_default);
    root->addLayout(form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    root->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    root->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_id, &QLineEdit::textChanged, this, &AgentDialog::revalidate);
    connect(m_model, &QComboBox::currentTextChanged, this, &AgentDialog::revalidate);
    connect(m_fallbacks, &QLineEdit::textChanged, this, &AgentDialog::revalidate);
    connect(m_aliases, &QLineEdit::textChanged, this, &AgentDialog::revalidate);
    resize(520, sizeHint().height());
    revalidate();
}

AgentConfig AgentDialog::agent() const
{
    AgentConfig a;
    a.id = m_id->text().trimmed().toLower();
    a.name = m_name->text().trimmed();
    a.primary = m_model->currentText().trimmed();
    a.fallbacks = splitList(m_fallbacks->text());
    a.systemPrompt = m_prompt->toPlainText().trimmed();
    a.isDefault = m_default->isChecked();
    return a;
}

QStringList AgentDialog::aliases() const
{
    return splitList(m_aliases->text());
}

QStringList AgentDialog::aliasesOf(const GatewayConfig &config, const QString &agentId)
{
    QStringList out;
    if (agentId.isEmpty())
        return out;
    for (auto it = config.modelAliases.cbegin(); it != config.modelAliases.cend(); ++it) {
        if (it.value().trimmed().toLower() == agentId)
            out << it.key();
    }
    return out;
}

QString AgentDialog::validateAliases(const QStringList &aliases, const GatewayConfig &config,
                                     const QString &agentId)
{
    for (const QString &alias : aliases) {
        const QString holder = config.modelAliases.value(alias).trimmed().toLower();
        if (!holder.isEmpty() && holder != agentId && config.findAgent(holder))
            return tr("“%1” already answers for the agent “%2”.").arg(alias, holder);
    }
    return {};
}

void AgentDialog::applyAliases(GatewayConfig &config, const QString &originalId,
                               const QString &agentId, const QStringList &aliases)
{
    for (const QString &old : aliasesOf(config, originalId))
        config.modelAliases.remove(old);
    for (const QString &alias : aliases)
        config.modelAliases.insert(alias, agentId);
}

bool AgentDialog::isValidId(const QString &id)
{
    return idPattern().match(id).hasMatch();
}

QStringList AgentDialog::knownModelRefs(const GatewayConfig &config)
{
    QStringList refs {QStringLiteral("echo/echo")};
    for (auto it = config.providers.cbegin(); it != config.providers.cend(); ++it) {
        for (const ProviderModel &m : it.value().models) {
            const QString ref = it.key() + QLatin1Char('/') + m.id;
            if (!refs.contains(ref))
                refs << ref;
        }
        if (it.value().isEcho()) {
            const QString ref = it.key() + QStringLiteral("/echo");
            if (!refs.contains(ref))
                refs << ref;
        }
    }
    return refs;
}

QString AgentDialog::checkModelRef(const QString &ref, const GatewayConfig &config)
{
    const qsizetype slash = ref.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == ref.size() - 1)
        return tr("“%1” is not of the form provider/model.").arg(ref);
    const QString provider = ref.left(slash);
    if (provider != QLatin1String("echo") && !config.providers.contains(provider))
        return tr("No provider named “%1” is declared (see Providers below).").arg(provider);
    return {};
}

QString AgentDialog::validate(const AgentConfig &agent, const GatewayConfig &config,
                              const QString &originalId)
{
    if (agent.id.isEmpty())
        return tr("Give the agent an id.");
    if (!isValidId(agent.id))
        return tr("An id has 1 to 64 characters: lower-case letters, digits, “-” and “_”, "
                  "starting with a letter or a digit.");
    if (agent.id != originalId && config.findAgent(agent.id))
        return tr("An agent with the id “%1” already exists.").arg(agent.id);
    if (agent.primary.isEmpty())
        return tr("Choose the model the agent uses.");
    if (const QString err = checkModelRef(agent.primary, config); !err.isEmpty())
        return err;
    for (const QString &f : agent.fallbacks) {
        if (const QString err = checkModelRef(f, config); !err.isEmpty())
            return tr("Fallback: %1").arg(err);
    }
    return {};
}

void AgentDialog::revalidate()
{
    const AgentConfig a = agent();
    QString err = validate(a, m_config, m_originalId);
    if (err.isEmpty())
        err = validateAliases(aliases(), m_config, a.id);
    m_error->setText(a.id.isEmpty() ? QString() : err);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(err.isEmpty());
}

} // namespace passerelle
