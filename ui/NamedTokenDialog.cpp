#include "NamedTokenDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace passerelle {

NamedTokenDialog::NamedTokenDialog(const QStringList &agentIds, const QStringList &takenNames,
                                   QWidget *parent)
    : QDialog(parent), m_taken(takenNames)
{
    setWindowTitle(tr("New named token"));
    auto *root = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("e.g. laptop, ci, home-assistant"));
    form->addRow(tr("Name:"), m_name);
    m_agents = new QListWidget(this);
    for (const QString &id : agentIds) {
        auto *item = new QListWidgetItem(id, m_agents);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_agents->setMaximumHeight(160);
    form->addRow(tr("Agents:"), m_agents);
    root->addLayout(form);
    auto *hint = new QLabel(tr("Tick none to let the token reach every agent."), this);
    hint->setWordWrap(true);
    root->addWidget(hint);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->setWordWrap(true);
    root->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create token"));
    root->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NamedTokenDialog::revalidate);
    revalidate();
}

QString NamedTokenDialog::name() const
{
    return m_name->text().trimmed();
}

QStringList NamedTokenDialog::agents() const
{
    QStringList out;
    for (int i = 0; i < m_agents->count(); ++i) {
        if (m_agents->item(i)->checkState() == Qt::Checked)
            out << m_agents->item(i)->text();
    }
    return out;
}

QString NamedTokenDialog::validateName(const QString &name, const QStringList &takenNames)
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        return tr("Give the token a name.");
    if (n.size() > 64)
        return tr("The name is longer than 64 characters.");
    // The usage and metrics labels of the main token and of no authentication.
    for (const char *reserved : {"main", "anonymous"}) {
        if (n.compare(QLatin1String(reserved), Qt::CaseInsensitive) == 0)
            return tr("“%1” is reserved for the gateway's own credential: choose another name.")
                .arg(n);
    }
    for (const QString &t : takenNames) {
        if (t.compare(n, Qt::CaseInsensitive) == 0)
            return tr("A token named “%1” already exists.").arg(t);
    }
    return {};
}

void NamedTokenDialog::revalidate()
{
    const QString err = validateName(m_name->text(), m_taken);
    // An empty field is not an error yet: just not done.
    m_error->setText(m_name->text().trimmed().isEmpty() ? QString() : err);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(err.isEmpty());
}

} // namespace passerelle
