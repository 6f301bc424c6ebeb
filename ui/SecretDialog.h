#pragma once

// Shows a freshly made secret once, with a copy button and the warning that it will not be
// shown again (only its hash is stored). GUI thread.

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace passerelle {

class SecretDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretDialog)

public:
    SecretDialog(const QString &title, const QString &explanation, const QString &secret,
                 QWidget *parent = nullptr);

    QString secret() const;
    QPushButton *copyButton() const { return m_copy; }

private:
    QLineEdit *m_secret = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace passerelle
