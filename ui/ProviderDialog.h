#pragma once

// Adds or edits one model provider (models.providers.<name>): its API ("openai-completions" or
// "echo"), base URL, API key (masked until shown), model ids, and upstream timeouts (connect,
// first event, between events) or, for echo, the delay between pieces. GUI thread.

#include "config/GatewayConfig.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace passerelle {

class ProviderDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderDialog)

public:
    // originalName empty: a new provider.
    ProviderDialog(const GatewayConfig &config, const ProviderConfig &provider,
                   const QString &originalName, QWidget *parent = nullptr);

    ProviderConfig provider() const;

    static QString validate(const ProviderConfig &provider, const GatewayConfig &config,
                            const QString &originalName);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *apiBox() const { return m_api; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QLineEdit *keyEdit() const { return m_key; }
    QLineEdit *modelsEdit() const { return m_models; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void revalidate();
    void updateVisibility();

    GatewayConfig m_config;
    ProviderConfig m_original;
    QString m_originalName;
    QLineEdit *m_name = nullptr;
    QComboBox *m_api = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_key = nullptr;
    QLineEdit *m_models = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QSpinBox *m_firstEventTimeout = nullptr;
    QSpinBox *m_idleTimeout = nullptr;
    QSpinBox *m_chunkDelay = nullptr;
    QList<QWidget *> m_httpOnly;
    QList<QWidget *> m_echoOnly;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace passerelle
