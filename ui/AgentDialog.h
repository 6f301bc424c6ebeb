#pragma once

// Adds or edits one agent (SPEC.md section 6): id (lower-case, [a-z0-9][a-z0-9_-]{0,63}, unique;
// fixed once created), name, primary model "provider/model" with a declared provider, fallback
// models, system prompt and the default flag. OK stays disabled until the agent is valid.
// GUI thread.

#include "config/GatewayConfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace passerelle {

class AgentDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentDialog)

public:
    // originalId empty: a new agent.
    AgentDialog(const GatewayConfig &config, const AgentConfig &agent, const QString &originalId,
                QWidget *parent = nullptr);

    AgentConfig agent() const;
    // The model names (globs, `*`: any run of characters) this agent also answers to:
    // passerelle.modelAliases entries naming it (SPEC.md section 15).
    QStringList aliases() const;
    // The patterns of config's aliases that name an agent.
    static QStringList aliasesOf(const GatewayConfig &config, const QString &agentId);
    // Empty when the patterns may answer for agentId (each held by no other agent).
    static QString validateAliases(const QStringList &aliases, const GatewayConfig &config,
                                   const QString &agentId);
    // config's aliases with agentId's replaced by `aliases` (originalId's dropped first).
    static void applyAliases(GatewayConfig &config, const QString &originalId,
                             const QString &agentId, const QStringList &aliases);

    // Empty when the agent may be saved into config (replacing originalId, if any).
    static QString validate(const AgentConfig &agent, const GatewayConfig &config,
                            const QString &originalId);
    static bool isValidId(const QString &id);
    // "" when ref is "provider/model" with a provider config declares, else the problem.
    static QString checkModelRef(const QString &ref, const GatewayConfig &config);
    // All "provider/model" references the declared providers offer, for completion.
    static QStringList knownModelRefs(const GatewayConfig &config);

    QLineEdit *idEdit() const { return m_id; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *modelBox() const { return m_model; }
    QLineEdit *fallbacksEdit() const { return m_fallbacks; }
    QLineEdit *aliasesEdit() const { return m_aliases; }
    QLabel *errorLabel() const { return m_error; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void revalidate();

    GatewayConfig m_config;
    QString m_originalId;
    QLineEdit *m_id = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_model = nullptr;
    QLineEdit *m_fallbacks = nullptr;
    QLineEdit *m_aliases = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QCheckBox *m_default = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace passerelle
