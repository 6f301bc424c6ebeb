#pragma once

// The "try it" box of the agents tab: sends a real streaming request to the chosen agent through
// the gateway (as any client would, with the configured secret) and shows the answer as it
// streams, then the time to first delta and the total time. GUI thread.

#include "GatewayController.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace passerelle {

class ChatStreamClient;

class TryItBox final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TryItBox)

public:
    TryItBox(ConfigStore *store, GatewayController *controller, QWidget *parent = nullptr);

    void setAgents(const QStringList &ids, const QString &defaultId);
    void send();
    void stop();

    QComboBox *agentBox() const { return m_agent; }
    QLineEdit *promptEdit() const { return m_prompt; }
    QPlainTextEdit *output() const { return m_output; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *sendButton() const { return m_send; }
    ChatStreamClient *client() const { return m_client; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void setRunning(bool running);

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    ChatStreamClient *m_client = nullptr;
    QLabel *m_agentCaption = nullptr;
    QComboBox *m_agent = nullptr;
    QLineEdit *m_prompt = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_stop = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace passerelle
