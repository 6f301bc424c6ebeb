#include "ProviderDialog.h"

#include "providers/ProviderRegistry.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace passerelle {

namespace {

// The registry's texts are declared with QT_TRANSLATE_NOOP("ProviderType", ...).
QString providerText(const char *text)
{
    return text ? QCoreApplication::translate("ProviderType", text) : QString();
}

bool isEmptyValue(const QJsonValue &v)
{
    return v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty())
        || (v.isArray() && v.toArray().isEmpty()) || (v.isObject() && v.toObject().isEmpty());
}

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        && !url.host().isEmpty();
}

int secondsOf(const QJsonValue &ms)
{
    return int(ms.toInteger() / 1000);
}

// "Name: value" per line; false when a non-empty line is not of that form.
bool parseHeaders(const QString &text, QJsonObject *out)
{
    bool ok = true;
    const auto lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QString name = line.left(colon).trimmed();
        if (colon < 0 || name.isEmpty()) {
            ok = false;
            continue;
        }
        out->insert(name, line.mid(colon + 1).trimmed());
    }
    return ok;
}

QString headerLines(const QJsonObject &headers)
{
    QStringList lines;
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
        lines << it.key() + QStringLiteral(": ") + it.value().toString();
    return lines.join(u'\n');
}

} // namespace

ProviderDialog::ProviderDialog(const GatewayConfig &config, const ProviderConfig &provider,
                               const QString &originalName, QWidget *parent)
    : QDialog(parent), m_config(config), m_original(provider), m_originalName(originalName)
{
    setWindowTitle(originalName.isEmpty() ? tr("New provider")
                                          : tr("Edit provider “%1”").arg(originalName));
    auto *root = new QVBoxLayout(this);
    m_form = new QFormLayout;

    m_name = new QLineEdit(provider.name, this);
    m_name->setPlaceholderText(tr("e.g. openai, ollama, groq"));
    m_name->setReadOnly(!originalName.isEmpty());
    m_form->addRow(tr("Name:"), m_name);

    const ProviderRegistry &registry = ProviderRegistry::instance();
    m_api = new QComboBox(this);
    for (const ProviderType &type : registry.types())
        m_api->addItem(providerText(type.label), type.api);
    m_api->setCurrentIndex(std::max(0, m_api->findData(provider.api)));
    m_form->addRow(tr("API:"), m_api);

    for (const ProviderType &type : registry.types()) {
        for (const ConfigKey<ProviderConfig> &key : type.keys.keys)
            addField(m_form, type.api, key);
    }
    for (const ConfigKey<ProviderConfig> &key : registry.commonKeys().keys)
        addField(m_form, QString(), key);
    root->addLayout(m_form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    root->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    root->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &ProviderDialog::revalidate);
    connect(m_api, &QComboBox::currentIndexChanged, this, [this] {
        updateVisibility();
        revalidate();
    });
    resize(540, sizeHint().height());
    updateVisibility(); // fits the height
    revalidate();
}

void ProviderDialog::addField(QFormLayout *form, const QString &api,
                              const ConfigKey<ProviderConfig> &key)
{
    const KeyEditor &e = key.editor;
    if (e.kind == KeyEditor::Kind::None || !key.encode)
        return;
    Field f {api, &key, nullptr, nullptr, key.encode(m_original)};
    const auto spinBox = [this, &e](int value) {
        auto *s = new QSpinBox(this);
        s->setRange(e.minimum, e.maximum);
        s->setValue(value);
        return s;
    };
    switch (e.kind) {
    case KeyEditor::Kind::None:
        return;
    case KeyEditor::Kind::Text:
    case KeyEditor::Kind::Url:
    case KeyEditor::Kind::ModelList: {
        QString text = f.shown.toString();
        if (e.kind == KeyEditor::Kind::ModelList) {
            QStringList ids;
            for (const auto &m : f.shown.toArray())
                ids << m.toObject().value(QLatin1String("id")).toString();
            text = ids.join(QStringLiteral(", "));
        }
        auto *edit = new QLineEdit(text, this);
        edit->setPlaceholderText(providerText(e.placeholder));
        connect(edit, &QLineEdit::textChanged, this, &ProviderDialog::revalidate);
        f.row = f.input = edit;
        break;
    }
    case KeyEditor::Kind::Secret: {
        auto *edit = new QLineEdit(f.shown.toString(), this);
        edit->setEchoMode(QLineEdit::Password);
        edit->setPlaceholderText(providerText(e.placeholder));
        auto *row = new QWidget(this);
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *show = new QPushButton(tr("Show"), row);
        show->setCheckable(true);
        connect(show, &QPushButton::toggled, this, [this, edit, show](bool on) {
            edit->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
            show->setText(on ? tr("Hide") : tr("Show"));
        });
        layout->addWidget(edit, 1);
        layout->addWidget(show);
        f.row = row;
        f.input = edit;
        break;
    }
    case KeyEditor::Kind::Seconds: {
        QSpinBox *s = spinBox(secondsOf(f.shown));
        s->setSuffix(tr(" s"));
        f.row = f.input = s;
        break;
    }
    case KeyEditor::Kind::Milliseconds:
    case KeyEditor::Kind::Count: {
        QSpinBox *s = spinBox(int(f.shown.toInteger()));
        if (e.kind == KeyEditor::Kind::Milliseconds)
            s->setSuffix(tr(" ms"));
        if (e.zeroText)
            s->setSpecialValueText(providerText(e.zeroText));
        f.row = f.input = s;
        break;
    }
    case KeyEditor::Kind::Headers: {
        auto *edit = new QPlainTextEdit(headerLines(f.shown.toObject()), this);
        edit->setPlaceholderText(providerText(e.placeholder));
        edit->setTabChangesFocus(true);
        edit->setMaximumHeight(edit->fontMetrics().lineSpacing() * 5);
        connect(edit, &QPlainTextEdit::textChanged, this, &ProviderDialog::revalidate);
        f.row = f.input = edit;
        break;
    }
    }
    form->addRow(providerText(e.label), f.row);
    m_fields << f;
}

QJsonValue ProviderDialog::valueOf(const Field &f) const
{
    switch (f.key->editor.kind) {
    case KeyEditor::Kind::None:
        break;
    case KeyEditor::Kind::Text:
    case KeyEditor::Kind::Url:
    case KeyEditor::Kind::Secret:
        return qobject_cast<QLineEdit *>(f.input)->text().trimmed();
    case KeyEditor::Kind::Seconds: {
        // a value the box cannot show exactly (500 ms) stays as it was unless the user changes it
        const int seconds = qobject_cast<QSpinBox *>(f.input)->value();
        const bool unchanged = f.shown.isDouble()
            && std::clamp(secondsOf(f.shown), f.key->editor.minimum, f.key->editor.maximum)
                == seconds;
        return unchanged ? f.shown : QJsonValue(qint64(seconds) * 1000);
    }
    case KeyEditor::Kind::Milliseconds:
    case KeyEditor::Kind::Count:
        return qobject_cast<QSpinBox *>(f.input)->value();
    case KeyEditor::Kind::ModelList: {
        QJsonArray models;
        const auto ids = qobject_cast<QLineEdit *>(f.input)->text().split(
            QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
        for (const QString &id : ids) {
            QJsonObject m {{QStringLiteral("id"), id}};
            for (const ProviderModel &old : m_original.models) {
                if (old.id == id && !old.name.isEmpty())
                    m.insert(QStringLiteral("name"), old.name);
            }
            models.append(m);
        }
        return models;
    }
    case KeyEditor::Kind::Headers: {
        QJsonObject headers;
        parseHeaders(qobject_cast<QPlainTextEdit *>(f.input)->toPlainText(), &headers);
        return headers;
    }
    }
    return f.shown;
}

bool ProviderDialog::isShown(const Field &f) const
{
    return f.api.isEmpty() || f.api == m_api->currentData().toString();
}

QWidget *ProviderDialog::fieldEditor(const QString &key) const
{
    for (const Field &f : m_fields) {
        if (f.key->path == key && isShown(f))
            return f.input;
    }
    return nullptr;
}

QLineEdit *ProviderDialog::baseUrlEdit() const
{
    return qobject_cast<QLineEdit *>(fieldEditor(QStringLiteral("baseUrl")));
}

QLineEdit *ProviderDialog::keyEdit() const
{
    return qobject_cast<QLineEdit *>(fieldEditor(QStringLiteral("apiKey")));
}

QLineEdit *ProviderDialog::modelsEdit() const
{
    return qobject_cast<QLineEdit *>(fieldEditor(QStringLiteral("models")));
}

ProviderConfig ProviderDialog::provider() const
{
    ProviderConfig p = m_original; // keeps the keys of other types and anything not shown
    p.name = m_name->text().trimmed();
    p.api = m_api->currentData().toString();
    for (const Field &f : m_fields) {
        if (isShown(f))
            f.key->decode(p, valueOf(f));
    }
    return p;
}

QString ProviderDialog::inputProblem() const
{
    for (const Field &f : m_fields) {
        if (!isShown(f) || f.key->editor.kind != KeyEditor::Kind::Headers)
            continue;
        QJsonObject ignored;
        if (!parseHeaders(qobject_cast<QPlainTextEdit *>(f.input)->toPlainText(), &ignored))
            return providerText(f.key->editor.invalid);
    }
    return QString();
}

QString ProviderDialog::validate(const ProviderConfig &p, const GatewayConfig &config,
                                 const QString &originalName)
{
    static const QRegularExpression namePattern(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    const ProviderRegistry &registry = ProviderRegistry::instance();
    const QString builtin = registry.builtinProviderName();
    if (p.name.isEmpty())
        return tr("Give the provider a name.");
    if (!namePattern.match(p.name).hasMatch())
        return tr("A provider name uses letters, digits, “.”, “-” and “_”.");
    if (p.name == builtin && originalName != builtin)
        return tr("“echo” is the built-in provider; choose another name.");
    if (p.name != originalName && config.providers.contains(p.name))
        return tr("A provider named “%1” already exists.").arg(p.name);
    const ProviderType *type = registry.find(p.api);
    if (!type)
        return tr("Choose the provider's API.");
    for (const ConfigKey<ProviderConfig> &key : registry.keysOf(*type).keys) {
        const KeyEditor &e = key.editor;
        if (e.kind == KeyEditor::Kind::None || !key.encode)
            continue;
        const QJsonValue v = key.encode(p);
        if (isEmptyValue(v)) {
            if (e.missing)
                return providerText(e.missing);
        } else if (e.kind == KeyEditor::Kind::Url && !isHttpUrl(v.toString())) {
            return providerText(e.invalid);
        }
    }
    return {};
}

void ProviderDialog::updateVisibility()
{
    for (const Field &f : std::as_const(m_fields))
        m_form->setRowVisible(f.row, isShown(f));
    // The fields of another type take room no longer: fit the height to what is shown.
    layout()->activate();
    resize(width(), sizeHint().height());
}

void ProviderDialog::revalidate()
{
    QString err = inputProblem();
    if (err.isEmpty())
        err = validate(provider(), m_config, m_originalName);
    m_error->setText(m_name->text().trimmed().isEmpty() ? QString() : err);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(err.isEmpty());
}

} // namespace passerelle
