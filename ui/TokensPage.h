#pragma once

// The tokens tab: the auth mode (none only while bound to loopback), the main token (masked
// until revealed, copy, regenerate), the password, extra named tokens (created with a name and
// optional agents, secret shown once, only its SHA-256 stored; revoke), the failed-auth limiter,
// the current lockouts, and the usage per token (today, last 7 days, total; the core keeps it in
// the session store). Changes go through ConfigStore::update; lockouts and usage through the
// controller. GUI thread.

#include "GatewayController.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace passerelle {

class NoticeLabel;

class TokensPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokensPage)

public:
    TokensPage(ConfigStore *store, GatewayController *controller, QWidget *parent = nullptr);

    // The stored form of a named token: lowercase hex SHA-256 of the secret's UTF-8 bytes.
    static NamedToken makeNamedToken(const QString &name, const QStringList &agents,
                                     const QString &secret, const QDateTime &createdAtUtc);

    // The actions behind the buttons, without their confirmation dialogs.
    bool setAuthMode(AuthMode mode);
    bool regenerateToken();
    bool setPassword(const QString &password);
    // Returns the new secret (to show once), or an empty string with the error shown.
    QString createNamedToken(const QString &name, const QStringList &agents);
    bool revokeNamedToken(const QString &name);
    bool applyRateLimit();
    void clearLockout(const QString &ip);

    QComboBox *modeBox() const { return m_mode; }
    QLineEdit *tokenField() const { return m_token; }
    QPushButton *revealButton() const { return m_reveal; }
    QTableWidget *namedTable() const { return m_named; }
    QTableWidget *lockoutTable() const { return m_lockouts; }
    QSpinBox *maxAttemptsBox() const { return m_maxAttempts; }
    QComboBox *usagePeriodBox() const { return m_usagePeriod; }
    QTableWidget *usageTable() const { return m_usage; }
    QLabel *usageNote() const { return m_usageNote; }
    // Asks the core for the usage now (also every kUsageRefreshMs while the page is shown).
    void refreshUsage();
    static constexpr int kUsageRefreshMs = 10000;
    NoticeLabel *notice() const { return m_notice; }

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void showLockouts(const QList<Lockout> &lockouts);
    void showUsage(const QList<TokenUsageSummary> &usage, const QString &error);
    bool update(const std::function<void(GatewayConfig &)> &mutate, const QString &done);
    void onModeActivated(int index);
    void onRegenerateClicked();
    void onNewNamedClicked();
    void onRevokeClicked();

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    QList<Lockout> m_lastLockouts;
    QList<TokenUsageSummary> m_lastUsage;
    QString m_usageError;
    QTimer m_usageTimer;
    RateLimitConfig m_shownRateLimit;
    QString m_shownPassword;
    bool m_rateLimitShown = false;

    NoticeLabel *m_notice = nullptr;
    QGroupBox *m_authBox = nullptr;
    QLabel *m_modeCaption = nullptr;
    QComboBox *m_mode = nullptr;
    QLabel *m_modeHint = nullptr;

    QLabel *m_tokenCaption = nullptr;
    QLineEdit *m_token = nullptr;
    QPushButton *m_reveal = nullptr;
    QPushButton *m_copyToken = nullptr;
    QPushButton *m_regenerate = nullptr;

    QLabel *m_passwordCaption = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_revealPassword = nullptr;
    QPushButton *m_savePassword = nullptr;

    QGroupBox *m_namedBox = nullptr;
    QTableWidget *m_named = nullptr;
    QPushButton *m_newNamed = nullptr;
    QPushButton *m_revoke = nullptr;
    QLabel *m_namedHint = nullptr;

    QGroupBox *m_limitBox = nullptr;
    QLabel *m_maxAttemptsCaption = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    QLabel *m_windowCaption = nullptr;
    QSpinBox *m_window = nullptr;
    QLabel *m_lockoutCaption = nullptr;
    QSpinBox *m_lockoutFor = nullptr;
    QCheckBox *m_exemptLoopback = nullptr;
    QPushButton *m_applyLimit = nullptr;

    QGroupBox *m_lockoutBox = nullptr;
    QTableWidget *m_lockouts = nullptr;
    QPushButton *m_clearLockout = nullptr;
    QPushButton *m_refreshLockouts = nullptr;
    QLabel *m_noLockouts = nullptr;

    QGroupBox *m_usageBox = nullptr;
    QLabel *m_usagePeriodCaption = nullptr;
    QComboBox *m_usagePeriod = nullptr;
    QPushButton *m_refreshUsage = nullptr;
    QTableWidget *m_usage = nullptr;
    QLabel *m_usageNote = nullptr;
};

} // namespace passerelle
