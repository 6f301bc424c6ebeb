#pragma once

// The agents tab: the agents (id, name, model, default) with add / edit / remove / set default,
// validated against SPEC.md section 6 (a default always exists, the last agent stays), the model
// names each also answers to (passerelle.modelAliases, section 15), the model
// providers they use (API, base URL, masked key, models, their running and queued runs) and the
// "try it" box.
// Changes go through ConfigStore::update. GUI thread.

#include "GatewayController.h"

#include <QWidget>

class QGroupBox;
class QPushButton;
class QTableWidget;

namespace passerelle {

class NoticeLabel;
class TryItBox;

class AgentsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentsPage)

public:
    AgentsPage(ConfigStore *store, GatewayController *controller, QWidget *parent = nullptr);

    // The actions behind the buttons (after their dialogs); false with the reason shown.
    // aliases: the model names the agent also answers to (passerelle.modelAliases).
    bool addAgent(const AgentConfig &agent, const QStringList &aliases = {});
    bool editAgent(const QString &originalId, const AgentConfig &agent,
                   const QStringList &aliases = {});
    bool removeAgent(const QString &id);
    bool setDefaultAgent(const QString &id);
    bool saveProvider(const QString &originalName, const ProviderConfig &provider);
    bool removeProvider(const QString &name);

    // "••••••••1234"-style masking of an API key, "" when there is none.
    static QString maskedKey(const QString &key);

    QTableWidget *agentTable() const { return m_agents; }
    QTableWidget *providerTable() const { return m_providers; }
    // Provider table columns of the admission counts (SPEC section 12).
    static constexpr int kAliasesColumn = 4; // agent table: the model names it also answers to
    static constexpr int kRunningColumn = 5;
    static constexpr int kQueuedColumn = 6;
    QPushButton *addAgentButton() const { return m_addAgent; }
    TryItBox *tryIt() const { return m_tryIt; }
    NoticeLabel *notice() const { return m_notice; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void showLoads(const QList<ProviderLoad> &loads);
    bool update(const std::function<void(GatewayConfig &)> &mutate, const QString &done);
    QString selectedAgent() const;
    QString selectedProvider() const;
    void onAddAgent();
    void onEditAgent();
    void onRemoveAgent();
    void onAddProvider();
    void onEditProvider();
    void onRemoveProvider();
    void updateButtons();

    ConfigStore *m_store = nullptr;
    GatewayController *m_controller = nullptr;
    NoticeLabel *m_notice = nullptr;
    QGroupBox *m_agentBox = nullptr;
    QTableWidget *m_agents = nullptr;
    QPushButton *m_addAgent = nullptr;
    QPushButton *m_editAgent = nullptr;
    QPushButton *m_removeAgent = nullptr;
    QPushButton *m_defaultAgent = nullptr;
    QGroupBox *m_providerBox = nullptr;
    QTableWidget *m_providers = nullptr;
    QPushButton *m_addProvider = nullptr;
    QPushButton *m_editProvider = nullptr;
    QPushButton *m_removeProvider = nullptr;
    TryItBox *m_tryIt = nullptr;
};

} // namespace passerelle
