#include "ProviderDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace passerelle {

namespace {

QSpinBox *secondsBox(int ms, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(1, 3600);
    s->setValue(std::max(1, ms / 1000));
    return s;
}

} // namespace

ProviderDialog::ProviderDialog(const GatewayConfig &config, const ProviderConfig &provider,
                               const QString &originalName, QWidget *parent)
    : QDialog(parent), m_config(config), m_original(provider), m_originalName(originalName)
{
    setWindowTitle(originalName.isEmpty() ? tr("New provider")
                                          : tr("Edit provider “%1”").arg(originalName));
    auto *root = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_name = new QLineEdit(provider.name, this);
    m_name->setPlaceholderText(tr("e.g. openai, ollama, groq"));
    m_name->setReadOnly(!originalName.isEmpty());
    form->addRow(tr("Name:"), m_name);

    m_api = new QComboBox(this);
    m_api->addItem(tr("OpenAI-compatible (chat completions)"),
                   QStringLiteral("openai-completions"));
    m_api->addItem(tr("Echo (answers with the prompt, for testing)"), QStringLiteral("echo"));
    m_api->setCurrentIndex(std::max(0, m_api->findData(provider.api)));
    form->addRow(tr("API:"), m_api);

    m_baseUrl = new QLineEdit(provider.baseUrl, this);
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.example.com/v1"));
    form->addRow(tr("Base URL:"), m_baseUrl);
    m_httpOnly << m_baseUrl << form->labelForField(m_baseUrl);

    m_key = new QLineEdit(provider.apiKey, this);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("none"));
    auto *keyRow = new QWidget(this);
    auto *keyLayout = new QHBoxLayout(keyRow);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    auto *showKey = new QPushButton(tr("Show"), keyRow);
    showKey->setCheckable(true);
    connect(showKey, &QPushButton::toggled, this, [this, showKey](bool on) {
        m_key->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        showKey->setText(on ? tr("Hide") : tr("Show"));
    });
    keyLayout->addWidget(m_key, 1);
    keyLayout->addWidget(showKey);
    form->addRow(tr("API key:"), keyRow);
    m_httpOnly << keyRow << form->labelForField(keyRow);

    QStringList ids;
    for (const ProviderModel &m : provider.models)
        ids << m.id;
    m_models = new QLineEdit(ids.join(QStringLiteral(", ")), this);
    m_models->setPlaceholderText(tr("model ids, separated by commas"));
    form->addRow(tr("Models:"), m_models);

    m_connectTimeout = secondsBox(provider.connectTimeoutMs, this);
    m_connectTimeout->setSuffix(tr(" s"));
    form->addRow(tr("Connect timeout:"), m_connectTimeout);
    m_firstEventTimeout = secondsBox(provider.timeoutMs, this);
    m_firstEventTimeout->setSuffix(tr(" s"));
    form->addRow(tr("First answer within:"), m_firstEventTimeout);
    m_idleTimeout = secondsBox(provider.idleTimeoutMs, this);
    m_idleTimeout->setSuffix(tr(" s"));
    form->addRow(tr("Silence allowed between events:"), m_idleTimeout);
    m_httpOnly << m_connectTimeout << form->labelForField(m_connectTimeout) << m_firstEventTimeout
               << form->labelForField(m_firstEventTimeout) << m_idleTimeout
               << form->labelForField(m_idleTimeout);

    m_chunkDelay = new QSpinBox(this);
    m_chunkDelay->setRange(0, 10000);
    m_chunkDelay->setValue(provider.chunkDelayMs);
    m_chunkDelay->setSuffix(tr(" ms"));
    form->addRow(tr("Pause between pieces:"), m_chunkDelay);
    m_echoOnly << m_chunkDelay << form->labelForField(m_chunkDelay);
    root->addLayout(form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    root->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    root->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &ProviderDialog::revalidate);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ProviderDialog::revalidate);
    connect(m_models, &QLineEdit::textChanged, this, &ProviderDialog::revalidate);
    connect(m_api, &QComboBox::currentIndexChanged, this, [this] {
        updateVisibility();
        revalidate();
    });
    resize(540, sizeHint().height());
    updateVisibility();
    revalidate();
}

ProviderConfig ProviderDialog::provider() const
{
    ProviderConfig p = m_original; // keeps headers and anything this dialog does not show
    p.name = m_name->text().trimmed();
    p.api = m_api->currentData().toString();
    p.baseUrl = m_baseUrl->text().trimmed();
    p.apiKey = m_key->text().trimmed();
    QList<ProviderModel> models;
    const auto ids
        = m_models->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString &id : ids) {
        ProviderModel m;
        m.id = id;
        for (const ProviderModel &old : m_original.models) {
            if (old.id == id)
                m.name = old.name;
        }
        models << m;
    }
    p.models = models;
    p.connectTimeoutMs = m_connectTimeout->value() * 1000;
    p.timeoutMs = m_firstEventTimeout->value() * 1000;
    p.idleTimeoutMs = m_idleTimeout->value() * 1000;
    p.chunkDelayMs = m_chunkDelay->value();
    return p;
}

QString ProviderDialog::validate(const ProviderConfig &p, const GatewayConfig &config,
                                 const QString &originalName)
{
    static const QRegularExpression namePattern(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    if (p.name.isEmpty())
        return tr("Give the provider a name.");
    if (!namePattern.match(p.name).hasMatch())
        return tr("A provider name uses letters, digits, “.”, “-” and “_”.");
    if (p.name == QLatin1String("echo") && originalName != QLatin1String("echo"))
        return tr("“echo” is the built-in provider; choose another name.");
    if (p.name != originalName && config.providers.contains(p.name))
        return tr("A provider named “%1” already exists.").arg(p.name);
    if (!p.isEcho()) {
        const QUrl url(p.baseUrl, QUrl::StrictMode);
        if (p.baseUrl.isEmpty())
            return tr("Enter the provider's base URL.");
        if (!url.isValid()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || url.host().isEmpty())
            return tr("The base URL must start with http:// or https://.");
        if (p.models.isEmpty())
            return tr("List at least one model id.");
    }
    return {};
}

void ProviderDialog::updateVisibility()
{
    const bool echo = m_api->currentData().toString() == QLatin1String("echo");
    for (QWidget *w : std::as_const(m_httpOnly)) {
        if (w)
            w->setVisible(!echo);
    }
    for (QWidget *w : std::as_const(m_echoOnly)) {
        if (w)
            w->setVisible(echo);
    }
}

void ProviderDialog::revalidate()
{
    const QString err = validate(provider(), m_config, m_originalName);
    m_error->setText(m_name->text().trimmed().isEmpty() ? QString() : err);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(err.isEmpty());
}

} // namespace passerelle
