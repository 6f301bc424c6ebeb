#pragma once

// Adds or edits one model provider (models.providers.<name>): its name, its type (API) and the keys
// of that type as the provider registry declares them (base URL, API key masked until shown,
// models, headers, timeouts; for echo the pause between pieces), then the admission limits every
// type has. Fields follow the selected type. GUI thread.

#include "config/ConfigKeys.h"
#include "config/GatewayConfig.h"

#include <QDialog>
#include <QJsonValue>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;

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
    // The input widget of a key of the selected type or of every type ("baseUrl", "maxQueue"):
    // a QLineEdit, QSpinBox or QPlainTextEdit; null when the selected type has no such key.
    QWidget *fieldEditor(const QString &key) const;
    QLineEdit *baseUrlEdit() const;
    QLineEdit *keyEdit() const;
    QLineEdit *modelsEdit() const;
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    // One key's editor. `api` is the type it belongs to, empty for the keys every type has.
    struct Field
    {
        QString api;
        const ConfigKey<ProviderConfig> *key = nullptr;
        QWidget *row = nullptr; // what the form holds
        QWidget *input = nullptr; // the widget the value is read from
        QJsonValue shown; // the value the widget was filled with
    };

    void addField(QFormLayout *form, const QString &api, const ConfigKey<ProviderConfig> &key);
    QJsonValue valueOf(const Field &f) const;
    QString inputProblem() const; // text the fields cannot turn into a value
    bool isShown(const Field &f) const;
    void revalidate();
    void updateVisibility();

    GatewayConfig m_config;
    ProviderConfig m_original;
    QString m_originalName;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_api = nullptr;
    QList<Field> m_fields;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace passerelle
