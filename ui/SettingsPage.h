#pragma once

// The settings tab: port and bind address (applied through the config, the server re-listens and
// its error is shown when the port is taken), CORS origins, a summary of upstream timeouts, the
// interface language, start minimised, and where the config file and the data live. GUI thread.

#include "GatewayController.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace passerelle {

class NoticeLabel;

class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    SettingsPage(ConfigStore *store, GatewayController *controller, const QString &dataDir,
                 QWidget *parent = nullptr);

    bool applyNetwork();
    bool applyCors();
    bool setLanguage(const QString &code); // "", "en", "fr"
    bool setStartMinimized(bool on);
    // Empty when every line is an origin (scheme://host[:port]); else the first problem.
    static QString validateOrigins(const QStringList &origins);

    QSpinBox *portBox() const { return m_port; }
    QComboBox *bindBox() const { return m_bind; }
    QLineEdit *customHostEdit() const { return m_customHost; }
    QPlainTextEdit *corsEdit() const { return m_cors; }
    QComboBox *languageBox() const { return m_language; }
    QCheckBox *startMinimizedBox() const { return m_startMinimized; }
    NoticeLabel *networkNotice() const { return m_networkNotice; }
    QLabel *listeningLabel() const { return m_listening; }
    QLabel *configPathLabel() const { return m_configPath; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void showStatus(const ServerStatus &status);
    bool update(const std::function<void(GatewayConfig &)> &mutate, NoticeLabel *notice,
                const QString &done);

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    QString m_dataDir;
    GatewayConfig m_shown; // what the editable fields were last filled from
    bool m_filled = false;
    bool m_awaitingListen = false;
    int m_awaitingPort = 0; // while m_awaitingListen: the port asked for (0: any free one)

    QGroupBox *m_networkBox = nullptr;
    NoticeLabel *m_networkNotice = nullptr;
    QLabel *m_portCaption = nullptr;
    QSpinBox *m_port = nullptr;
    QLabel *m_bindCaption = nullptr;
    QComboBox *m_bind = nullptr;
    QLineEdit *m_customHost = nullptr;
    QLabel *m_listeningCaption = nullptr;
    QLabel *m_listening = nullptr;
    QPushButton *m_applyNetwork = nullptr;

    QGroupBox *m_corsBox = nullptr;
    NoticeLabel *m_corsNotice = nullptr;
    QLabel *m_corsHint = nullptr;
    QPlainTextEdit *m_cors = nullptr;
    QPushButton *m_applyCors = nullptr;

    QGroupBox *m_upstreamBox = nullptr;
    QLabel *m_upstreamHint = nullptr;
    QTableWidget *m_timeouts = nullptr;

    QGroupBox *m_interfaceBox = nullptr;
    QLabel *m_languageCaption = nullptr;
    QComboBox *m_language = nullptr;
    QCheckBox *m_startMinimized = nullptr;

    QGroupBox *m_filesBox = nullptr;
    QLabel *m_configCaption = nullptr;
    QLabel *m_configPath = nullptr;
    QPushButton *m_openConfig = nullptr;
    QLabel *m_dataCaption = nullptr;
    QLabel *m_dataPath = nullptr;
    QPushButton *m_openData = nullptr;
};

} // namespace passerelle
