#pragma once

// The overview tab: whether the gateway serves and where, the live switches of the
// chat-completions, responses and Anthropic messages endpoints, the endpoint URL, ready-to-paste
// curl commands for each and a `claude` command line (with the model alias Claude Code needs, which
// it can add), request counters and the live chart. Reads config snapshots and the controller's
// status; changes the config only through ConfigStore::update. GUI thread.

#include "GatewayController.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace passerelle {

class LiveChart;
class NoticeLabel;

class OverviewPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewPage)

public:
    OverviewPage(ConfigStore *store, GatewayController *controller, QWidget *parent = nullptr);

    // The curl command a user can paste: authValue empty means no Authorization header.
    static QString curlCommand(const QString &baseUrl, const QString &authValue,
                               const QString &model, bool stream);
    // The same for POST /v1/responses.
    static QString responsesCurlCommand(const QString &baseUrl, const QString &authValue,
                                        const QString &model, bool stream);

    // The same for POST /v1/messages (x-api-key and anthropic-version headers).
    static QString messagesCurlCommand(const QString &baseUrl, const QString &authValue,
                                       const QString &model);
    // Claude Code on this gateway: ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY, then `claude`.
    static QString claudeCommand(const QString &baseUrl, const QString &authValue);
    // Whether the aliases route Claude Code's model names (its main and its small model).
    static bool answersClaudeModels(const GatewayConfig &config);

    QString endpointUrl() const;
    // The session store line from a status (called by refresh()).
    void refreshStore(const ServerStatus &st);
    void refreshCounters(); // after each log batch

    QCheckBox *endpointSwitch() const { return m_endpointSwitch; }
    QCheckBox *responsesSwitch() const { return m_responsesSwitch; }
    QCheckBox *messagesSwitch() const { return m_messagesSwitch; }
    QPlainTextEdit *messagesCurl() const { return m_messagesCurl; }
    QPlainTextEdit *claudeLine() const { return m_claude; }
    QLabel *claudeHint() const { return m_claudeHint; }
    QPushButton *addClaudeAliasButton() const { return m_addClaudeAlias; }
    QPlainTextEdit *responsesPlain() const { return m_responsesPlain; }
    QPlainTextEdit *responsesStream() const { return m_responsesStream; }
    QCheckBox *revealSecretBox() const { return m_revealSecret; }
    QPlainTextEdit *curlPlain() const { return m_curlPlain; }
    QPlainTextEdit *curlStream() const { return m_curlStream; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *storeLabel() const { return m_storeValue; }
    QLabel *totalLabel() const { return m_total; }
    QLabel *errorsLabel() const { return m_errors; }
    QLabel *streamsLabel() const { return m_streams; }
    QLabel *metricsHint() const { return m_metricsHint; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void setEndpointEnabled(bool on);
    void setResponsesEnabled(bool on);
    void setMessagesEnabled(bool on);
    void addClaudeAlias();
    void updateConfig(const std::function<void(GatewayConfig &)> &change);

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;

    QGroupBox *m_gatewayBox = nullptr;
    QLabel *m_stateCaption = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_addressCaption = nullptr;
    QLabel *m_address = nullptr;
    QLabel *m_storeCaption = nullptr;
    QLabel *m_storeValue = nullptr; // which session store, and whether it is reachable
    QCheckBox *m_endpointSwitch = nullptr;
    QCheckBox *m_responsesSwitch = nullptr;
    QCheckBox *m_messagesSwitch = nullptr;
    QLabel *m_endpointHint = nullptr;
    NoticeLabel *m_notice = nullptr;

    QGroupBox *m_urlBox = nullptr;
    QLineEdit *m_url = nullptr;
    QPushButton *m_copyUrl = nullptr;

    QGroupBox *m_curlBox = nullptr;
    QCheckBox *m_revealSecret = nullptr;
    QLabel *m_curlPlainCaption = nullptr;
    QPlainTextEdit *m_curlPlain = nullptr;
    QPushButton *m_copyPlain = nullptr;
    QLabel *m_curlStreamCaption = nullptr;
    QPlainTextEdit *m_curlStream = nullptr;
    QPushButton *m_copyStream = nullptr;
    QTabWidget *m_curlTabs = nullptr;
    QLabel *m_responsesPlainCaption = nullptr;
    QPlainTextEdit *m_responsesPlain = nullptr;
    QPushButton *m_copyResponsesPlain = nullptr;
    QLabel *m_responsesStreamCaption = nullptr;
    QPlainTextEdit *m_responsesStream = nullptr;
    QPushButton *m_copyResponsesStream = nullptr;
    QLabel *m_messagesCurlCaption = nullptr;
    QPlainTextEdit *m_messagesCurl = nullptr;
    QPushButton *m_copyMessagesCurl = nullptr;
    QLabel *m_claudeCaption = nullptr;
    QPlainTextEdit *m_claude = nullptr;
    QPushButton *m_copyClaude = nullptr;
    QLabel *m_claudeHint = nullptr;
    QPushButton *m_addClaudeAlias = nullptr;

    QGroupBox *m_trafficBox = nullptr;
    QLabel *m_totalCaption = nullptr;
    QLabel *m_total = nullptr;
    QLabel *m_errorsCaption = nullptr;
    QLabel *m_errors = nullptr;
    QLabel *m_streamsCaption = nullptr;
    QLabel *m_streams = nullptr;
    LiveChart *m_chart = nullptr;
    QLabel *m_metricsHint = nullptr;
};

} // namespace passerelle
