#include "AgentsPage.h"

#include "AgentDialog.h"
#include "NoticeLabel.h"
#include "ProviderDialog.h"
#include "TryItBox.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace passerelle {

namespace {

QTableWidget *makeTable(int columns, QWidget *parent)
{
    auto *t = new QTableWidget(0, columns, parent);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    return t;
}

QVBoxLayout *buttonColumn(const QList<QPushButton *> &buttons)
{
    auto *v = new QVBoxLayout;
    for (QPushButton *b : buttons)
        v->addWidget(b);
    v->addStretch(1);
    return v;
}

bool usesProvider(const AgentConfig &a, const QString &provider)
{
    const QString prefix = provider + QLatin1Char('/');
    const QStringList chain = a.modelChain();
    return std::any_of(chain.cbegin(), chain.cend(),
                       [&](const QString &ref) { return ref.startsWith(prefix); });
}

} // namespace

AgentsPage::AgentsPage(ConfigStore *store, GatewayController *controller, QWidget *parent)
    : QWidget(parent), m_store(store), m_controller(controller)
{
    auto *root = new QVBoxLayout(this);
    m_notice = new NoticeLabel(this);
    root->addWidget(m_notice);

    m_agentBox = new QGroupBox(this);
    auto *a = new QHBoxLayout(m_agentBox);
    m_agents = makeTable(5, m_agentBox);
    m_addAgent = new QPushButton(m_agentBox);
    m_editAgent = new QPushButton(m_agentBox);
    m_removeAgent = new QPushButton(m_agentBox);
    m_defaultAgent = new QPushButton(m_agentBox);
    a->addWidget(m_agents, 1);
    a->addLayout(buttonColumn({m_addAgent, m_editAgent, m_removeAgent, m_defaultAgent}));
    root->addWidget(m_agentBox, 3);

    m_providerBox = new QGroupBox(this);
    auto *p = new QHBoxLayout(m_providerBox);
    m_providers = makeTable(7, m_providerBox);
    m_addProvider = new QPushButton(m_providerBox);
    m_editProvider = new QPushButton(m_providerBox);
    m_removeProvider = new QPushButton(m_providerBox);
    p->addWidget(m_providers, 1);
    p->addLayout(buttonColumn({m_addProvider, m_editProvider, m_removeProvider}));
    root->addWidget(m_providerBox, 2);

    m_tryIt = new TryItBox(store, controller, this);
    root->addWidget(m_tryIt, 3);

    connect(m_addAgent, &QPushButton::clicked, this, &AgentsPage::onAddAgent);
    connect(m_editAgent, &QPushButton::clicked, this, &AgentsPage::onEditAgent);
    connect(m_agents, &QTableWidget::doubleClicked, this, &AgentsPage::onEditAgent);
    connect(m_removeAgent, &QPushButton::clicked, this, &AgentsPage::onRemoveAgent);
    connect(m_defaultAgent, &QPushButton::clicked, this,
            [this] { setDefaultAgent(selectedAgent()); });
    connect(m_addProvider, &QPushButton::clicked, this, &AgentsPage::onAddProvider);
    connect(m_editProvider, &QPushButton::clicked, this, &AgentsPage::onEditProvider);
    connect(m_providers, &QTableWidget::doubleClicked, this, &AgentsPage::onEditProvider);
    connect(m_removeProvider, &QPushButton::clicked, this, &AgentsPage::onRemoveProvider);
    connect(m_agents, &QTableWidget::itemSelectionChanged, this, &AgentsPage::updateButtons);
    connect(m_providers, &QTableWidget::itemSelectionChanged, this, &AgentsPage::updateButtons);
    connect(store, &ConfigStore::changed, this, &AgentsPage::refresh);
    connect(controller, &GatewayController::providerLoadChanged, this, &AgentsPage::showLoads);

    retranslateUi();
}

QString AgentsPage::maskedKey(const QString &key)
{
    if (key.isEmpty())
        return {};
    if (key.size() < 12)
        return QString(8, QChar(0x2022));
    return QString(8, QChar(0x2022)) + key.right(4);
}

bool AgentsPage::update(const std::function<void(GatewayConfig &)> &mutate, const QString &done)
{
    QString error;
    if (!m_store->update(mutate, &error)) {
        m_notice->showError(tr("The change could not be saved: %1").arg(error));
        return false;
    }
    if (done.isEmpty())
        m_notice->clearMessage();
    else
        m_notice->showSuccess(done);
    return true;
}

bool AgentsPage::addAgent(const AgentConfig &agent, const QStringList &aliases)
{
    QString err = AgentDialog::validate(agent, m_store->config(), {});
    if (err.isEmpty())
        err = AgentDialog::validateAliases(aliases, m_store->config(), agent.id);
    if (!err.isEmpty()) {
        m_notice->showError(err);
        return false;
    }
    return update(
        [agent, aliases](GatewayConfig &c) {
            if (agent.isDefault) {
                for (AgentConfig &other : c.agents)
                    other.isDefault = false;
            }
            c.agents.append(agent);
            AgentDialog::applyAliases(c, {}, agent.id, aliases);
        },
        tr("Agent “%1” added: clients reach it with the model “openclaw/%1”.").arg(agent.id));
}

bool AgentsPage::editAgent(const QString &originalId, const AgentConfig &agent,
                           const QStringList &aliases)
{
    QString err = AgentDialog::validate(agent, m_store->config(), originalId);
    if (err.isEmpty())
        err = AgentDialog::validateAliases(aliases, m_store->config(), agent.id);
    if (!err.isEmpty()) {
        m_notice->showError(err);
        return false;
    }
    return update(
        [originalId, agent, aliases](GatewayConfig &c) {
            for (AgentConfig &a : c.agents) {
                if (a.id == originalId)
                    a = agent;
                else if (agent.isDefault)
                    a.isDefault = false;
            }
            AgentDialog::applyAliases(c, originalId, agent.id, aliases);
        },
        tr("Agent “%1” saved.").arg(agent.id));
}

bool AgentsPage::removeAgent(const QString &id)
{
    const GatewayConfig cfg = m_store->config();
    if (!cfg.findAgent(id))
        return false;
    if (cfg.agents.size() <= 1) {
        m_notice->showError(
            tr("The last agent cannot be removed: the gateway needs one to answer."));
        return false;
    }
    return update(
        [id](GatewayConfig &c) {
            bool wasDefault = false;
            for (qsizetype i = 0; i < c.agents.size(); ++i) {
                if (c.agents.at(i).id == id) {
                    wasDefault = c.defaultAgent() == &c.agents.at(i);
                    c.agents.removeAt(i);
                    AgentDialog::applyAliases(c, id, id, {}); // its aliases go with it
                    break;
                }
            }
            if (wasDefault && !c.agents.isEmpty()) {
                for (AgentConfig &a : c.agents)
                    a.isDefault = false;
                c.agents.first().isDefault = true;
            }
        },
        tr("Agent “%1” removed.").arg(id));
}

bool AgentsPage::setDefaultAgent(const QString &id)
{
    if (id.isEmpty() || !m_store->config().findAgent(id))
        return false;
    return update(
        [id](GatewayConfig &c) {
            for (AgentConfig &a : c.agents)
                a.isDefault = a.id == id;
        },
        tr("“%1” is now the default agent.").arg(id));
}

bool AgentsPage::saveProvider(const QString &originalName, const ProviderConfig &provider)
{
    const QString err = ProviderDialog::validate(provider, m_store->config(), originalName);
    if (!err.isEmpty()) {
        m_notice->showError(err);
        return false;
    }
    return update([provider](GatewayConfig &c) { c.providers.insert(provider.name, provider); },
                  tr("Provider “%1” saved.").arg(provider.name));
}

bool AgentsPage::removeProvider(const QString &name)
{
    const GatewayConfig cfg = m_store->config();
    if (name == QLatin1String("echo")) {
        m_notice->showError(tr("“echo” is built in and cannot be removed."));
        return false;
    }
    for (const AgentConfig &a : cfg.agents) {
        if (usesProvider(a, name)) {
            m_notice->showError(
                tr("Agent “%1” uses “%2”: change its model first.").arg(a.id, name));
            return false;
        }
    }
    return update([name](GatewayConfig &c) { c.providers.remove(name); },
                  tr("Provider “%1” removed.").arg(name));
}

QString AgentsPage::selectedAgent() const
{
    const auto rows = m_agents->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_agents->item(rows.first().row(), 0)->text();
}

QString AgentsPage::selectedProvider() const
{
    const auto rows = m_providers->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_providers->item(rows.first().row(), 0)->text();
}

void AgentsPage::onAddAgent()
{
    AgentDialog dialog(m_store->config(), AgentConfig {}, {}, this);
    if (dialog.exec() == QDialog::Accepted)
        addAgent(dialog.agent(), dialog.aliases());
}

void AgentsPage::onEditAgent()
{
    const GatewayConfig cfg = m_store->config();
    const AgentConfig *agent = cfg.findAgent(selectedAgent());
    if (!agent)
        return;
    AgentConfig shown = *agent;
    shown.isDefault = cfg.defaultAgent() == agent;
    AgentDialog dialog(cfg, shown, agent->id, this);
    if (dialog.exec() == QDialog::Accepted)
        editAgent(agent->id, dialog.agent(), dialog.aliases());
}

void AgentsPage::onRemoveAgent()
{
    const QString id = selectedAgent();
    if (id.isEmpty())
        return;
    const auto answer = QMessageBox::question(
        this, tr("Remove the agent?"),
        tr("Requests for “openclaw/%1” will be refused once it is removed.").arg(id),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        removeAgent(id);
}

void AgentsPage::onAddProvider()
{
    ProviderDialog dialog(m_store->config(), ProviderConfig {}, {}, this);
    if (dialog.exec() == QDialog::Accepted)
        saveProvider({}, dialog.provider());
}

void AgentsPage::onEditProvider()
{
    const GatewayConfig cfg = m_store->config();
    const ProviderConfig *p = cfg.findProvider(selectedProvider());
    if (!p)
        return;
    ProviderDialog dialog(cfg, *p, p->name, this);
    if (dialog.exec() == QDialog::Accepted)
        saveProvider(p->name, dialog.provider());
}

void AgentsPage::onRemoveProvider()
{
    const QString name = selectedProvider();
    if (!name.isEmpty())
        removeProvider(name);
}

void AgentsPage::updateButtons()
{
    const GatewayConfig cfg = m_store->config();
    const QString agent = selectedAgent();
    const AgentConfig *def = cfg.defaultAgent();
    m_editAgent->setEnabled(!agent.isEmpty());
    m_removeAgent->setEnabled(!agent.isEmpty() && cfg.agents.size() > 1);
    m_defaultAgent->setEnabled(!agent.isEmpty() && !(def && def->id == agent));
    const QString provider = selectedProvider();
    m_editProvider->setEnabled(!provider.isEmpty());
    m_removeProvider->setEnabled(!provider.isEmpty() && provider != QLatin1String("echo"));
}

void AgentsPage::refresh()
{
    const GatewayConfig cfg = m_store->config();
    const QString keepAgent = selectedAgent();
    const QString keepProvider = selectedProvider();
    const AgentConfig *def = cfg.defaultAgent();

    m_agents->setRowCount(0);
    QStringList ids;
    for (const AgentConfig &a : cfg.agents) {
        const int row = m_agents->rowCount();
        m_agents->insertRow(row);
        m_agents->setItem(row, 0, new QTableWidgetItem(a.id));
        m_agents->setItem(row, 1, new QTableWidgetItem(a.name));
        QString model = a.primary;
        if (!a.fallbacks.isEmpty())
            model += tr(" (then %1)").arg(a.fallbacks.join(QStringLiteral(", ")));
        m_agents->setItem(row, 2, new QTableWidgetItem(model));
        m_agents->setItem(row, 3, new QTableWidgetItem(def == &a ? tr("default") : QString()));
        m_agents->setItem(
            row, kAliasesColumn,
            new QTableWidgetItem(AgentDialog::aliasesOf(cfg, a.id).join(QStringLiteral(", "))));
        if (a.id == keepAgent)
            m_agents->selectRow(row);
        ids << a.id;
    }
    m_agents->resizeColumnsToContents();

    m_providers->setRowCount(0);
    for (auto it = cfg.providers.cbegin(); it != cfg.providers.cend(); ++it) {
        const ProviderConfig &p = it.value();
        const int row = m_providers->rowCount();
        m_providers->insertRow(row);
        m_providers->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_providers->setItem(row, 1, new QTableWidgetItem(p.api));
        m_providers->setItem(row, 2, new QTableWidgetItem(p.isEcho() ? tr("built in") : p.baseUrl));
        m_providers->setItem(
            row, 3, new QTableWidgetItem(p.apiKey.isEmpty() ? tr("none") : maskedKey(p.apiKey)));
        QStringList models;
        for (const ProviderModel &m : p.models)
            models << m.id;
        if (p.isEcho() && models.isEmpty())
            models << QStringLiteral("echo");
        m_providers->setItem(row, 4, new QTableWidgetItem(models.join(QStringLiteral(", "))));
        m_providers->setItem(row, kRunningColumn, new QTableWidgetItem);
        m_providers->setItem(row, kQueuedColumn, new QTableWidgetItem);
        if (it.key() == keepProvider)
            m_providers->selectRow(row);
    }
    showLoads(m_controller->providerLoads());
    m_providers->resizeColumnsToContents();
    m_tryIt->setAgents(ids, def ? def->id : QString());
    updateButtons();
}

void AgentsPage::showLoads(const QList<ProviderLoad> &loads)
{
    // Running and waiting runs per provider (SPEC section 12), against the provider's limits.
    for (int row = 0; row < m_providers->rowCount(); ++row) {
        const QString name = m_providers->item(row, 0)->text();
        ProviderLoad load;
        for (const ProviderLoad &l : loads) {
            if (l.provider == name)
                load = l;
        }
        if (const ProviderConfig *p = m_store->config().findProvider(name)) {
            load.maxConcurrent = p->maxConcurrent;
            load.maxQueue = p->maxQueue;
        }
        const QLocale loc;
        m_providers->item(row, kRunningColumn)
            ->setText(load.maxConcurrent > 0
                          ? tr("%1 of %2")
                                .arg(loc.toString(load.running), loc.toString(load.maxConcurrent))
                          : loc.toString(load.running));
        m_providers->item(row, kQueuedColumn)
            ->setText(tr("%1 of %2").arg(loc.toString(load.queued), loc.toString(load.maxQueue)));
        m_providers->item(row, kRunningColumn)
            ->setToolTip(load.maxConcurrent > 0
                             ? tr("Runs talking to this provider now, and how many may at once")
                             : tr("Runs talking to this provider now (no limit)"));
        m_providers->item(row, kQueuedColumn)
            ->setToolTip(tr("Runs waiting for a free slot, and how many may wait"));
    }
}

void AgentsPage::retranslateUi()
{
    m_agentBox->setTitle(tr("Agents"));
    m_agents->setHorizontalHeaderLabels(
        {tr("Id"), tr("Name"), tr("Model"), tr("Default"), tr("Also answers to")});
    m_addAgent->setText(tr("Add…"));
    m_editAgent->setText(tr("Edit…"));
    m_removeAgent->setText(tr("Remove…"));
    m_defaultAgent->setText(tr("Make default"));
    m_providerBox->setTitle(tr("Model providers"));
    m_providers->setHorizontalHeaderLabels({tr("Name"), tr("API"), tr("Base URL"), tr("API key"),
                                            tr("Models"), tr("Running"), tr("Queued")});
    m_addProvider->setText(tr("Add…"));
    m_editProvider->setText(tr("Edit…"));
    m_removeProvider->setText(tr("Remove"));
    refresh();
}

void AgentsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace passerelle
