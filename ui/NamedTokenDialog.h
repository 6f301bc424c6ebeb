#pragma once

// Asks for a new named token: its name (required, unique) and, optionally, the agents it may
// use (none ticked: every agent). The secret itself is made by the tokens page. GUI thread.

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace passerelle {

class NamedTokenDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NamedTokenDialog)

public:
    NamedTokenDialog(const QStringList &agentIds, const QStringList &takenNames,
                     QWidget *parent = nullptr);

    QString name() const;
    QStringList agents() const;

    // Empty when acceptable, else the message shown to the user.
    static QString validateName(const QString &name, const QStringList &takenNames);

    QLineEdit *nameEdit() const { return m_name; }
    QListWidget *agentList() const { return m_agents; }

private:
    void revalidate();

    QStringList m_taken;
    QLineEdit *m_name = nullptr;
    QListWidget *m_agents = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace passerelle
