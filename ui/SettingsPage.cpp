#include "SettingsPage.h"

#include "EndpointAddress.h"
#include "NoticeLabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace passerelle {

namespace {

QLabel *pathLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

QString seconds(int ms)
{
    return SettingsPage::tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'g', 4));
}

} // namespace

SettingsPage::SettingsPage(ConfigStore *store, GatewayController *controller,
                           const QString &dataDir, QWidget *parent)
    : QWidget(parent), m_store(store), m_controller(controller), m_dataDir(dataDir)
{
    auto *root = new QHBoxLayout(this);
    auto *left = new QVBoxLayout;
    auto *right = new QVBoxLayout;
    root->addLayout(left, 1);
    root->addLayout(right, 1);

    m_networkBox = new QGroupBox(this);
    auto *n = new QGridLayout(m_networkBox);
    m_networkNotice = new NoticeLabel(m_networkBox);
    m_portCaption = new QLabel(m_networkBox);
    m_port = new QSpinBox(m_networkBox);
    m_port->setRange(0, 65535);
    m_port->setGroupSeparatorShown(false);
    m_bindCaption = new QLabel(m_networkBox);
    m_bind = new QComboBox(m_networkBox);
    m_bind->addItem(QString(), int(BindMode::Loopback));
    m_bind->addItem(QString(), int(BindMode::Lan));
    m_bind->addItem(QString(), int(BindMode::Custom));
    m_customHost = new QLineEdit(m_networkBox);
    m_listeningCaption = new QLabel(m_networkBox);
    m_listening = new QLabel(m_networkBox);
    m_listening->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_applyNetwork = new QPushButton(m_networkBox);
    n->addWidget(m_networkNotice, 0, 0, 1, 2);
    n->addWidget(m_portCaption, 1, 0);
    n->addWidget(m_port, 1, 1);
    n->addWidget(m_bindCaption, 2, 0);
    n->addWidget(m_bind, 2, 1);
    n->addWidget(m_customHost, 3, 1);
    n->addWidget(m_listeningCaption, 4, 0);
    n->addWidget(m_listening, 4, 1);
    n->addWidget(m_applyNetwork, 5, 1, Qt::AlignRight);
    n->setColumnStretch(1, 1);
    left->addWidget(m_networkBox);

    m_corsBox = new QGroupBox(this);
    auto *c = new QVBoxLayout(m_corsBox);
    m_corsNotice = new NoticeLabel(m_corsBox);
    m_corsHint = new QLabel(m_corsBox);
    m_corsHint->setWordWrap(true);
    m_corsHint->setForegroundRole(QPalette::PlaceholderText);
    m_cors = new QPlainTextEdit(m_corsBox);
    m_cors->setPlaceholderText(QStringLiteral("http://localhost:3000"));
    m_cors->setMaximumHeight(m_cors->fontMetrics().lineSpacing() * 5 + 12);
    m_applyCors = new QPushButton(m_corsBox);
    c->addWidget(m_corsNotice);
    c->addWidget(m_corsHint);
    c->addWidget(m_cors);
    c->addWidget(m_applyCors, 0, Qt::AlignRight);
    left->addWidget(m_corsBox);
    left->addStretch(1);

    m_upstreamBox = new QGroupBox(this);
    auto *u = new QVBoxLayout(m_upstreamBox);
    m_upstreamHint = new QLabel(m_upstreamBox);
    m_upstreamHint->setWordWrap(true);
    m_upstreamHint->setForegroundRole(QPalette::PlaceholderText);
    m_timeouts = new QTableWidget(0, 4, m_upstreamBox);
    m_timeouts->verticalHeader()->hide();
    m_timeouts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeouts->setSelectionMode(QAbstractItemView::NoSelection);
    m_timeouts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_timeouts->horizontalHeader()->setStretchLastSection(true);
    m_timeouts->setMaximumHeight(140);
    u->addWidget(m_upstreamHint);
    u->addWidget(m_timeouts);
    right->addWidget(m_upstreamBox);

    m_interfaceBox = new QGroupBox(this);
    auto *i = new QGridLayout(m_interfaceBox);
    m_languageCaption = new QLabel(m_interfaceBox);
    m_language = new QComboBox(m_interfaceBox);
    m_language->addItem(QString(), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_startMinimized = new QCheckBox(m_interfaceBox);
    i->addWidget(m_languageCaption, 0, 0);
    i->addWidget(m_language, 0, 1);
    i->addWidget(m_startMinimized, 1, 0, 1, 2);
    i->setColumnStretch(1, 1);
    right->addWidget(m_interfaceBox);

    m_filesBox = new QGroupBox(this);
    auto *f = new QGridLayout(m_filesBox);
    m_configCaption = new QLabel(m_filesBox);
    m_configPath = pathLabel(m_filesBox);
    m_openConfig = new QPushButton(m_filesBox);
    m_dataCaption = new QLabel(m_filesBox);
    m_dataPath = pathLabel(m_filesBox);
    m_openData = new QPushButton(m_filesBox);
    f->addWidget(m_configCaption, 0, 0);
    f->addWidget(m_configPath, 0, 1);
    f->addWidget(m_openConfig, 0, 2);
    f->addWidget(m_dataCaption, 1, 0);
    f->addWidget(m_dataPath, 1, 1);
    f->addWidget(m_openData, 1, 2);
    f->setColumnStretch(1, 1);
    right->addWidget(m_filesBox);
    right->addStretch(1);

    connect(m_bind, &QComboBox::currentIndexChanged, this, [this] {
        m_customHost->setVisible(m_bind->currentData().toInt() == int(BindMode::Custom));
    });
    connect(m_applyNetwork, &QPushButton::clicked, this, &SettingsPage::applyNetwork);
    connect(m_applyCors, &QPushButton::clicked, this, &SettingsPage::applyCors);
    connect(m_language, &QComboBox::activated, this,
            [this](int index) { setLanguage(m_language->itemData(index).toString()); });
    connect(m_startMinimized, &QCheckBox::clicked, this, &SettingsPage::setStartMinimized);
    connect(m_openConfig, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_store->path()).absolutePath()));
    });
    connect(m_openData, &QPushButton::clicked, this, [this] {
        QDir().mkpath(m_dataDir);
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_dataDir));
    });
    connect(store, &ConfigStore::changed, this, &SettingsPage::refresh);
    connect(controller, &GatewayController::statusChanged, this, &SettingsPage::showStatus);

    retranslateUi();
    m_customHost->setVisible(m_bind->currentData().toInt() == int(BindMode::Custom));
}

bool SettingsPage::update(const std::function<void(GatewayConfig &)> &mutate, NoticeLabel *notice,
                          const QString &done)
{
    QString error;
    if (!m_store->update(mutate, &error)) {
        if (notice)
            notice->showError(tr("The change could not be saved: %1").arg(error));
        return false;
    }
    if (notice) {
        if (done.isEmpty())
            notice->clearMessage();
        else
            notice->showSuccess(done);
    }
    return true;
}

bool SettingsPage::applyNetwork()
{
    const int port = m_port->value();
    const auto bind = static_cast<BindMode>(m_bind->currentData().toInt());
    const QString host = m_customHost->text().trimmed();
    if (bind == BindMode::Custom && QHostAddress(host).isNull()) {
        m_networkNotice->showError(tr("“%1” is not an IP address.").arg(host));
        return false;
    }
    GatewayConfig probe = m_store->config();
    probe.bind = bind;
    probe.customBindHost = host;
    if (probe.auth.mode == AuthMode::None && !probe.isLoopbackBind()) {
        m_networkNotice->showError(tr("Authentication is off, so the gateway may only listen on "
                                      "loopback. Choose token or password authentication first "
                                      "(Tokens tab)."));
        return false;
    }
    const GatewayConfig before = m_store->config();
    if (!update(
            [=](GatewayConfig &c) {
                c.port = port;
                c.bind = bind;
                if (bind == BindMode::Custom)
                    c.customBindHost = host;
            },
            m_networkNotice, {}))
        return false;
    if (before.port != port || before.bind != bind || before.customBindHost != host) {
        m_awaitingListen = true;
        m_awaitingPort = port;
        m_networkNotice->showMessage(NoticeLabel::Kind::Info, tr("Opening the new address…"));
    } else {
        showStatus(m_controller->status());
    }
    return true;
}

QString SettingsPage::validateOrigins(const QStringList &origins)
{
    for (const QString &o : origins) {
        if (o == QLatin1String("*"))
            return tr("“*” would let every web page call the gateway; list the origins instead.");
        const QUrl url(o, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || (!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery())
            return tr("“%1” is not an origin such as https://app.example.com or "
                      "http://localhost:3000.")
                .arg(o);
    }
    return {};
}

bool SettingsPage::applyCors()
{
    QStringList origins;
    const auto lines = m_cors->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        QString o = line.trimmed();
        while (o.endsWith(QLatin1Char('/')))
            o.chop(1);
        if (!o.isEmpty() && !origins.contains(o))
            origins << o;
    }
    const QString err = validateOrigins(origins);
    if (!err.isEmpty()) {
        m_corsNotice->showError(err);
        return false;
    }
    return update([origins](GatewayConfig &c) { c.corsOrigins = origins; }, m_corsNotice,
                  origins.isEmpty() ? tr("CORS is off: browsers on other sites get no access.")
                                    : tr("Saved: %n origin(s) may call the gateway from a browser.",
                                         nullptr, int(origins.size())));
}

bool SettingsPage::setLanguage(const QString &code)
{
    return update([code](GatewayConfig &c) { c.uiLanguage = code; }, nullptr, {});
}

bool SettingsPage::setStartMinimized(bool on)
{
    return update([on](GatewayConfig &c) { c.startMinimized = on; }, nullptr, {});
}

void SettingsPage::showStatus(const ServerStatus &st)
{
    const GatewayConfig cfg = m_store->config();
    switch (st.state) {
    case ServerState::Serving:
        m_listening->setText(EndpointAddress::baseUrl(st, cfg));
        if (!st.error.isEmpty()) {
            // The new address failed; the server kept its previous listener.
            m_networkNotice->showError(tr("The new address could not be opened, so the gateway "
                                          "still listens on %1.\n%2")
                                           .arg(EndpointAddress::baseUrl(st, cfg), st.error));
        } else if (m_awaitingListen && m_awaitingPort != 0 && st.port != m_awaitingPort) {
            // A status from before the move (the store or a switch changed meanwhile).
            break;
        } else if (m_awaitingListen || m_networkNotice->kind() == NoticeLabel::Kind::Error) {
            m_networkNotice->showSuccess(
                tr("Listening on %1.").arg(EndpointAddress::baseUrl(st, cfg)));
        }
        m_awaitingListen = false;
        break;
    case ServerState::Error:
        m_listening->setText(tr("not listening"));
        m_networkNotice->showError(tr("The gateway is not listening.\n%1").arg(st.error));
        m_awaitingListen = false;
        break;
    case ServerState::Starting:
        m_listening->setText(tr("starting…"));
        break;
    case ServerState::Stopped:
        m_listening->setText(tr("stopped"));
        break;
    }
}

void SettingsPage::refresh()
{
    const GatewayConfig cfg = m_store->config();
    // Editable fields follow the config only where it changed, so a half-typed edit survives an
    // unrelated change.
    if (!m_filled || cfg.port != m_shown.port)
        m_port->setValue(cfg.port);
    if (!m_filled || cfg.bind != m_shown.bind)
        m_bind->setCurrentIndex(m_bind->findData(int(cfg.bind)));
    if (!m_filled || cfg.customBindHost != m_shown.customBindHost)
        m_customHost->setText(cfg.customBindHost);
    if (!m_filled || cfg.corsOrigins != m_shown.corsOrigins)
        m_cors->setPlainText(cfg.corsOrigins.join(QLatin1Char('\n')));
    m_language->setCurrentIndex(std::max(0, m_language->findData(cfg.uiLanguage)));
    m_startMinimized->setChecked(cfg.startMinimized);
    m_shown = cfg;
    m_filled = true;

    m_timeouts->setRowCount(0);
    for (auto it = cfg.providers.cbegin(); it != cfg.providers.cend(); ++it) {
        if (it.value().isEcho())
            continue;
        const int row = m_timeouts->rowCount();
        m_timeouts->insertRow(row);
        m_timeouts->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_timeouts->setItem(row, 1, new QTableWidgetItem(seconds(it.value().connectTimeoutMs)));
        m_timeouts->setItem(row, 2, new QTableWidgetItem(seconds(it.value().timeoutMs)));
        m_timeouts->setItem(row, 3, new QTableWidgetItem(seconds(it.value().idleTimeoutMs)));
    }
    m_timeouts->setVisible(m_timeouts->rowCount() > 0);

    m_configPath->setText(QDir::toNativeSeparators(m_store->path()));
    m_dataPath->setText(QDir::toNativeSeparators(m_dataDir));
    showStatus(m_controller->status());
}

void SettingsPage::retranslateUi()
{
    m_networkBox->setTitle(tr("Network"));
    m_portCaption->setText(tr("Port:"));
    m_port->setSpecialValueText(tr("any free port"));
    m_bindCaption->setText(tr("Listen on:"));
    m_bind->setItemText(0, tr("This computer only (127.0.0.1)"));
    m_bind->setItemText(1, tr("Every network interface (0.0.0.0)"));
    m_bind->setItemText(2, tr("A specific address"));
    m_customHost->setPlaceholderText(tr("e.g. 192.168.1.20"));
    m_listeningCaption->setText(tr("Now listening on:"));
    m_applyNetwork->setText(tr("Apply and re-listen"));

    m_corsBox->setTitle(tr("Browser access (CORS)"));
    m_corsHint->setText(tr("Web pages from these origins may call the gateway, one per line. "
                           "Leave empty to refuse every other site."));
    m_applyCors->setText(tr("Apply"));

    m_upstreamBox->setTitle(tr("Upstream timeouts"));
    m_upstreamHint->setText(tr("Each model provider has its own timeouts: edit them in Agents › "
                               "Model providers. The built-in echo provider needs none."));
    m_timeouts->setHorizontalHeaderLabels(
        {tr("Provider"), tr("Connect"), tr("First answer"), tr("Between events")});

    m_interfaceBox->setTitle(tr("Interface"));
    m_languageCaption->setText(tr("Language:"));
    m_language->setItemText(0, tr("System default"));
    m_startMinimized->setText(tr("Start minimised to the tray"));

    m_filesBox->setTitle(tr("Files"));
    m_configCaption->setText(tr("Configuration:"));
    m_dataCaption->setText(tr("Data (sessions):"));
    m_openConfig->setText(tr("Open folder"));
    m_openData->setText(tr("Open folder"));
    refresh();
}

void SettingsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace passerelle
