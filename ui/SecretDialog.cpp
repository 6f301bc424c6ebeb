#include "SecretDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace passerelle {

SecretDialog::SecretDialog(const QString &title, const QString &explanation, const QString &secret,
                           QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *root = new QVBoxLayout(this);
    auto *text = new QLabel(explanation, this);
    text->setWordWrap(true);
    root->addWidget(text);

    auto *row = new QHBoxLayout;
    m_secret = new QLineEdit(secret, this);
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secret->setMinimumWidth(m_secret->fontMetrics().horizontalAdvance(secret) + 24);
    m_copy = new QPushButton(tr("Copy"), this);
    row->addWidget(m_secret, 1);
    row->addWidget(m_copy);
    root->addLayout(row);

    auto *warning = new QLabel(tr("This is the only time it is shown: Passerelle keeps only its "
                                  "SHA-256 fingerprint."),
                               this);
    warning->setWordWrap(true);
    warning->setStyleSheet(QStringLiteral("color: #a15c00;"));
    root->addWidget(warning);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    root->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_secret->text());
        m_copy->setText(tr("Copied"));
    });
}

QString SecretDialog::secret() const
{
    return m_secret->text();
}

} // namespace passerelle
