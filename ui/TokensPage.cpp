#include "TokensPage.h"

#include "NamedTokenDialog.h"
#include "NoticeLabel.h"
#include "SecretDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
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

QString durationText(qint64 ms)
{
    const qint64 s = (ms + 999) / 1000;
    if (s < 60)
        return TokensPage::tr("%1 s").arg(s);
    return TokensPage::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

TokensPage::TokensPage(ConfigStore *store, GatewayController *controller, QWidget *parent)
    : QWidget(parent), m_store(store), m_controller(controller)
{
    auto *root = new QVBoxLayout(this);
    m_notice = new NoticeLabel(this);
    root->addWidget(m_notice);
    auto *columns = new QHBoxLayout;
    root->addLayout(columns, 1);
    auto *left = new QVBoxLayout;
    auto *right = new QVBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    // Authentication: mode, main token, password.
    m_authBox = new QGroupBox(this);
    auto *a = new QGridLayout(m_authBox);
    m_modeCaption = new QLabel(m_authBox);
    m_mode = new QComboBox(m_authBox);
    m_mode->addItem(QString(), int(AuthMode::Token));
    m_mode->addItem(QString(), int(AuthMode::Password));
    m_mode->addItem(QString(), int(AuthMode::None));
    m_modeHint = new QLabel(m_authBox);
    m_modeHint->setWordWrap(true);
    m_modeHint->setForegroundRole(QPalette::PlaceholderText);
    a->addWidget(m_modeCaption, 0, 0);
    a->addWidget(m_mode, 0, 1, 1, 3);
    a->addWidget(m_modeHint, 1, 1, 1, 3);

    m_tokenCaption = new QLabel(m_authBox);
    m_token = new QLineEdit(m_authBox);
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_reveal = new QPushButton(m_authBox);
    m_reveal->setCheckable(true);
    m_copyToken = new QPushButton(m_authBox);
    m_regenerate = new QPushButton(m_authBox);
    auto *tokenButtons = new QHBoxLayout;
    tokenButtons->addWidget(m_reveal);
    tokenButtons->addWidget(m_copyToken);
    tokenButtons->addWidget(m_regenerate);
    tokenButtons->addStretch(1);
    a->addWidget(m_tokenCaption, 2, 0);
    a->addWidget(m_token, 2, 1, 1, 3);
    a->addLayout(tokenButtons, 3, 1, 1, 3);

    m_passwordCaption = new QLabel(m_authBox);
    m_password = new QLineEdit(m_authBox);
    m_password->setEchoMode(QLineEdit::Password);
    m_revealPassword = new QPushButton(m_authBox);
    m_revealPassword->setCheckable(true);
    m_savePassword = new QPushButton(m_authBox);
    auto *pwButtons = new QHBoxLayout;
    pwButtons->addWidget(m_revealPassword);
    pwButtons->addWidget(m_savePassword);
    pwButtons->addStretch(1);
    a->addWidget(m_passwordCaption, 4, 0);
    a->addWidget(m_password, 4, 1, 1, 3);
    a->addLayout(pwButtons, 5, 1, 1, 3);
    a->setColumnStretch(1, 1);
    left->addWidget(m_authBox);

    // Failed-auth limiter.
    m_limitBox = new QGroupBox(this);
    auto *l = new QGridLayout(m_limitBox);
    m_maxAttemptsCaption = new QLabel(m_limitBox);
    m_maxAttempts = new QSpinBox(m_limitBox);
    m_maxAttempts->setRange(1, 1000);
    m_windowCaption = new QLabel(m_limitBox);
    m_window = new QSpinBox(m_limitBox);
    m_window->setRange(1, 86400);
    m_lockoutCaption = new QLabel(m_limitBox);
    m_lockoutFor = new QSpinBox(m_limitBox);
    m_lockoutFor->setRange(1, 7 * 86400);
    m_exemptLoopback = new QCheckBox(m_limitBox);
    m_applyLimit = new QPushButton(m_limitBox);
    l->addWidget(m_maxAttemptsCaption, 0, 0);
    l->addWidget(m_maxAttempts, 0, 1);
    l->addWidget(m_windowCaption, 1, 0);
    l->addWidget(m_window, 1, 1);
    l->addWidget(m_lockoutCaption, 2, 0);
    l->addWidget(m_lockoutFor, 2, 1);
    l->addWidget(m_exemptLoopback, 3, 0, 1, 2);
    l->addWidget(m_applyLimit, 4, 1, Qt::AlignRight);
    l->setColumnStretch(1, 1);
    left->addWidget(m_limitBox);

    // Usage per token.
    m_usageBox = new QGroupBox(this);
    auto *u = new QGridLayout(m_usageBox);
    m_usagePeriodCaption = new QLabel(m_usageBox);
    m_usagePeriod = new QComboBox(m_usageBox);
    m_usagePeriod->addItems({QString(), QString(), QString()});
    m_refreshUsage = new QPushButton(m_usageBox);
    m_usage = makeTable(5, m_usageBox);
    m_usage->setSelectionMode(QAbstractItemView::NoSelection);
    m_usageNote = new QLabel(m_usageBox);
    m_usageNote->setWordWrap(true);
    m_usageNote->setForegroundRole(QPalette::PlaceholderText);
    u->addWidget(m_usagePeriodCaption, 0, 0);
    u->addWidget(m_usagePeriod, 0, 1);
    u->addWidget(m_refreshUsage, 0, 3);
    u->setColumnStretch(2, 1);
    u->addWidget(m_usage, 1, 0, 1, 4);
    u->addWidget(m_usageNote, 2, 0, 1, 4);
    left->addWidget(m_usageBox, 1);

    // Named tokens.
    m_namedBox = new QGroupBox(this);
    auto *n = new QVBoxLayout(m_namedBox);
    m_named = makeTable(3, m_namedBox);
    m_namedHint = new QLabel(m_namedBox);
    m_namedHint->setWordWrap(true);
    m_namedHint->setForegroundRole(QPalette::PlaceholderText);
    m_newNamed = new QPushButton(m_namedBox);
    m_revoke = new QPushButton(m_namedBox);
    auto *nb = new QHBoxLayout;
    nb->addWidget(m_newNamed);
    nb->addWidget(m_revoke);
    nb->addStretch(1);
    n->addWidget(m_namedHint);
    n->addWidget(m_named, 1);
    n->addLayout(nb);
    right->addWidget(m_namedBox, 1);

    // Lockouts.
    m_lockoutBox = new QGroupBox(this);
    auto *lo = new QVBoxLayout(m_lockoutBox);
    m_lockouts = makeTable(3, m_lockoutBox);
    m_noLockouts = new QLabel(m_lockoutBox);
    m_noLockouts->setForegroundRole(QPalette::PlaceholderText);
    m_clearLockout = new QPushButton(m_lockoutBox);
    m_refreshLockouts = new QPushButton(m_lockoutBox);
    auto *lb = new QHBoxLayout;
    lb->addWidget(m_clearLockout);
    lb->addWidget(m_refreshLockouts);
    lb->addStretch(1);
    lo->addWidget(m_noLockouts);
    lo->addWidget(m_lockouts, 1);
    lo->addLayout(lb);
    right->addWidget(m_lockoutBox, 1);

    connect(m_mode, &QComboBox::activated, this, &TokensPage::onModeActivated);
    connect(m_reveal, &QPushButton::toggled, this, [this](bool on) {
        m_token->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        retranslateUi();
    });
    connect(m_revealPassword, &QPushButton::toggled, this, [this](bool on) {
        m_password->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        retranslateUi();
    });
    connect(m_copyToken, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_store->config().auth.token);
        m_notice->showSuccess(tr("The token is in the clipboard."));
    });
    connect(m_regenerate, &QPushButton::clicked, this, &TokensPage::onRegenerateClicked);
    connect(m_savePassword, &QPushButton::clicked, this,
            [this] { setPassword(m_password->text()); });
    connect(m_newNamed, &QPushButton::clicked, this, &TokensPage::onNewNamedClicked);
    connect(m_revoke, &QPushButton::clicked, this, &TokensPage::onRevokeClicked);
    connect(m_named, &QTableWidget::itemSelectionChanged, this,
            [this] { m_revoke->setEnabled(!m_named->selectedItems().isEmpty()); });
    connect(m_applyLimit, &QPushButton::clicked, this, &TokensPage::applyRateLimit);
    connect(m_clearLockout, &QPushButton::clicked, this, [this] {
        const auto rows = m_lockouts->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            clearLockout(m_lockouts->item(rows.first().row(), 0)->text());
    });
    connect(m_lockouts, &QTableWidget::itemSelectionChanged, this,
            [this] { m_clearLockout->setEnabled(!m_lockouts->selectedItems().isEmpty()); });
    connect(m_refreshLockouts, &QPushButton::clicked, m_controller,
            &GatewayController::refreshLockouts);
    connect(store, &ConfigStore::changed, this, &TokensPage::refresh);
    connect(controller, &GatewayController::lockoutsChanged, this, &TokensPage::showLockouts);
    connect(controller, &GatewayController::tokenUsageChanged, this, &TokensPage::showUsage);
    connect(m_usagePeriod, &QComboBox::currentIndexChanged, this,
            [this] { showUsage(m_lastUsage, m_usageError); });
    connect(m_refreshUsage, &QPushButton::clicked, this, &TokensPage::refreshUsage);
    m_usageTimer.setInterval(kUsageRefreshMs);
    connect(&m_usageTimer, &QTimer::timeout, this, &TokensPage::refreshUsage);

    m_revoke->setEnabled(false);
    m_clearLockout->setEnabled(false);
    retranslateUi();
    showLockouts({});
}

NamedToken TokensPage::makeNamedToken(const QString &name, const QStringList &agents,
                                      const QString &secret, const QDateTime &createdAtUtc)
{
    NamedToken t;
    t.name = name.trimmed();
    t.agents = agents;
    t.sha256Hex = QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex();
    QDateTime when = createdAtUtc.toUTC();
    when.setTime(QTime(when.time().hour(), when.time().minute(), when.time().second()));
    t.createdAt = when;
    return t;
}

bool TokensPage::update(const std::function<void(GatewayConfig &)> &mutate, const QString &done)
{
    QString error;
    if (!m_store->update(mutate, &error)) {
        m_notice->showError(tr("The change could not be saved: %1").arg(error));
        refresh();
        return false;
    }
    if (done.isEmpty())
        m_notice->clearMessage();
    else
        m_notice->showSuccess(done);
    return true;
}

bool TokensPage::setAuthMode(AuthMode mode)
{
    const GatewayConfig cfg = m_store->config();
    if (mode == AuthMode::None && !cfg.isLoopbackBind()) {
        m_notice->showError(tr("“None” is only allowed while the gateway listens on loopback "
                               "(127.0.0.1). Change the bind address in Settings first."));
        refresh();
        return false;
    }
    if (mode == AuthMode::Password && cfg.auth.password.isEmpty()) {
        m_notice->showError(tr("Set a password below before choosing password mode."));
        refresh();
        return false;
    }
    if (mode == AuthMode::Token && cfg.auth.token.isEmpty()) {
        m_notice->showError(tr("There is no token yet: regenerate one first."));
        refresh();
        return false;
    }
    return update(
        [mode](GatewayConfig &c) {
            c.auth.mode = mode;
            c.auth.modeExplicit = true;
        },
        {});
}

bool TokensPage::regenerateToken()
{
    const QString token = GatewayConfig::generateToken();
    return update([token](GatewayConfig &c) { c.auth.token = token; },
                  tr("A new token is in force; clients using the old one are refused."));
}

bool TokensPage::setPassword(const QString &password)
{
    const GatewayConfig cfg = m_store->config();
    if (password.isEmpty() && cfg.auth.mode == AuthMode::Password) {
        m_notice->showError(tr("The password cannot be empty in password mode."));
        return false;
    }
    const bool ok = update([password](GatewayConfig &c) { c.auth.password = password; },
                           password.isEmpty() ? tr("The password was removed.")
                                              : tr("The password was saved."));
    if (ok)
        m_shownPassword = password;
    return ok;
}

QString TokensPage::createNamedToken(const QString &name, const QStringList &agents)
{
    const GatewayConfig cfg = m_store->config();
    QStringList taken;
    for (const NamedToken &t : cfg.auth.tokens)
        taken << t.name;
    const QString err = NamedTokenDialog::validateName(name, taken);
    if (!err.isEmpty()) {
        m_notice->showError(err);
        return {};
    }
    const QString secret = GatewayConfig::generateToken();
    const NamedToken record = makeNamedToken(name, agents, secret, QDateTime::currentDateTimeUtc());
    if (!update([record](GatewayConfig &c) { c.auth.tokens.append(record); },
                tr("Token “%1” created.").arg(record.name)))
        return {};
    return secret;
}

bool TokensPage::revokeNamedToken(const QString &name)
{
    return update(
        [name](GatewayConfig &c) {
            c.auth.tokens.erase(std::remove_if(c.auth.tokens.begin(), c.auth.tokens.end(),
                                               [&](const NamedToken &t) { return t.name == name; }),
                                c.auth.tokens.end());
        },
        tr("Token “%1” revoked: it no longer gets in.").arg(name));
}

bool TokensPage::applyRateLimit()
{
    RateLimitConfig r;
    r.maxAttempts = m_maxAttempts->value();
    r.windowMs = qint64(m_window->value()) * 1000;
    r.lockoutMs = qint64(m_lockoutFor->value()) * 1000;
    r.exemptLoopback = m_exemptLoopback->isChecked();
    return update([r](GatewayConfig &c) { c.auth.rateLimit = r; }, tr("Limiter settings saved."));
}

void TokensPage::clearLockout(const QString &ip)
{
    m_controller->clearLockout(ip); // the server answers with lockoutsChanged
}

void TokensPage::onModeActivated(int index)
{
    setAuthMode(static_cast<AuthMode>(m_mode->itemData(index).toInt()));
}

void TokensPage::onRegenerateClicked()
{
    const auto answer = QMessageBox::question(
        this, tr("Regenerate the token?"),
        tr("Every client using the current token will be refused until it gets the new one."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        regenerateToken();
}

void TokensPage::onNewNamedClicked()
{
    const GatewayConfig cfg = m_store->config();
    QStringList ids;
    for (const AgentConfig &a : cfg.agents)
        ids << a.id;
    QStringList taken;
    for (const NamedToken &t : cfg.auth.tokens)
        taken << t.name;
    NamedTokenDialog dialog(ids, taken, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString secret = createNamedToken(dialog.name(), dialog.agents());
    if (secret.isEmpty())
        return;
    SecretDialog shown(tr("Token “%1”").arg(dialog.name()),
                       tr("Give this token to the client that will use it. It is sent as "
                          "“Authorization: Bearer <token>”."),
                       secret, this);
    shown.exec();
}

void TokensPage::onRevokeClicked()
{
    const auto rows = m_named->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QString name = m_named->item(rows.first().row(), 0)->text();
    const auto answer
        = QMessageBox::question(this, tr("Revoke the token?"),
                                tr("Clients using “%1” will be refused from now on.").arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        revokeNamedToken(name);
}

void TokensPage::refresh()
{
    const GatewayConfig cfg = m_store->config();
    m_mode->setCurrentIndex(m_mode->findData(int(cfg.auth.mode)));
    m_token->setText(cfg.auth.token);
    if (cfg.auth.password != m_shownPassword) {
        m_shownPassword = cfg.auth.password;
        m_password->setText(cfg.auth.password);
    }
    const bool loopback = cfg.isLoopbackBind();
    if (auto *model = qobject_cast<QStandardItemModel *>(m_mode->model())) {
        if (QStandardItem *item = model->item(m_mode->findData(int(AuthMode::None))))
            item->setEnabled(loopback || cfg.auth.mode == AuthMode::None);
    }

    m_named->setRowCount(0);
    for (const NamedToken &t : cfg.auth.tokens) {
        const int row = m_named->rowCount();
        m_named->insertRow(row);
        m_named->setItem(row, 0, new QTableWidgetItem(t.name));
        m_named->setItem(row, 1,
                         new QTableWidgetItem(t.agents.isEmpty()
                                                  ? tr("all agents")
                                                  : t.agents.join(QStringLiteral(", "))));
        m_named->setItem(row, 2,
                         new QTableWidgetItem(
                             QLocale().toString(t.createdAt.toLocalTime(), QLocale::ShortFormat)));
    }
    m_named->resizeColumnToContents(0);
    m_revoke->setEnabled(!m_named->selectedItems().isEmpty());

    if (!m_rateLimitShown || !(cfg.auth.rateLimit == m_shownRateLimit)) {
        m_rateLimitShown = true;
        m_shownRateLimit = cfg.auth.rateLimit;
        m_maxAttempts->setValue(cfg.auth.rateLimit.maxAttempts);
        m_window->setValue(int(cfg.auth.rateLimit.windowMs / 1000));
        m_lockoutFor->setValue(int(cfg.auth.rateLimit.lockoutMs / 1000));
        m_exemptLoopback->setChecked(cfg.auth.rateLimit.exemptLoopback);
    }
}

void TokensPage::showLockouts(const QList<Lockout> &lockouts)
{
    m_lastLockouts = lockouts;
    m_lockouts->setRowCount(0);
    for (const Lockout &l : lockouts) {
        const int row = m_lockouts->rowCount();
        m_lockouts->insertRow(row);
        m_lockouts->setItem(row, 0, new QTableWidgetItem(l.ip));
        auto *failures = new QTableWidgetItem(QLocale().toString(l.failures));
        failures->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_lockouts->setItem(row, 1, failures);
        m_lockouts->setItem(
            row, 2,
            new QTableWidgetItem(l.remainingMs > 0 ? durationText(l.remainingMs) : tr("ending")));
    }
    m_lockouts->setVisible(!lockouts.isEmpty());
    m_noLockouts->setVisible(lockouts.isEmpty());
    m_clearLockout->setEnabled(!m_lockouts->selectedItems().isEmpty());
}

void TokensPage::refreshUsage()
{
    m_controller->requestTokenUsage(); // answered by tokenUsageChanged
}

void TokensPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refreshUsage();
    m_usageTimer.start();
}

void TokensPage::hideEvent(QHideEvent *event)
{
    m_usageTimer.stop();
    QWidget::hideEvent(event);
}

void TokensPage::showUsage(const QList<TokenUsageSummary> &usage, const QString &error)
{
    m_lastUsage = usage;
    m_usageError = error;
    m_usage->setRowCount(0);
    const QLocale loc;
    for (const TokenUsageSummary &s : usage) {
        const UsageCounts &c = m_usagePeriod->currentIndex() == 0 ? s.today
            : m_usagePeriod->currentIndex() == 1                  ? s.last7Days
                                                                  : s.total;
        if (c.isZero())
            continue;
        const int row = m_usage->rowCount();
        m_usage->insertRow(row);
        m_usage->setItem(
            row, 0,
            new QTableWidgetItem(s.token == QLatin1String("main") ? tr("main token") : s.token));
        const qint64 figures[] = {c.requests, c.promptTokens, c.completionTokens, c.errors};
        for (int column = 1; column <= 4; ++column) {
            auto *item = new QTableWidgetItem(loc.toString(figures[column - 1]));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_usage->setItem(row, column, item);
        }
    }
    m_usage->resizeColumnsToContents();
    QString note;
    if (!error.isEmpty())
        note = tr("Usage is unavailable: %1").arg(error);
    else if (m_usage->rowCount() == 0)
        note = tr("No requests in this period.");
    else
        note = tr("Days are UTC days. Scrapers read the counts since the gateway started at "
                  "GET /metrics (passerelle_token_requests_total).");
    m_usageNote->setText(note);
}

void TokensPage::retranslateUi()
{
    m_authBox->setTitle(tr("Authentication"));
    m_modeCaption->setText(tr("Mode:"));
    m_mode->setItemText(0, tr("Token"));
    m_mode->setItemText(1, tr("Password"));
    m_mode->setItemText(2, tr("None (loopback only)"));
    m_modeHint->setText(tr("Clients send “Authorization: Bearer <secret>”. Without "
                           "authentication, only programs on this computer can connect."));
    m_tokenCaption->setText(tr("Main token:"));
    m_reveal->setText(m_reveal->isChecked() ? tr("Hide") : tr("Show"));
    m_copyToken->setText(tr("Copy"));
    m_regenerate->setText(tr("Regenerate…"));
    m_passwordCaption->setText(tr("Password:"));
    m_password->setPlaceholderText(tr("not set"));
    m_revealPassword->setText(m_revealPassword->isChecked() ? tr("Hide") : tr("Show"));
    m_savePassword->setText(tr("Save password"));

    m_namedBox->setTitle(tr("Named tokens"));
    m_namedHint->setText(tr("Extra tokens for individual clients, each limited to some agents if "
                            "you like. Only a fingerprint is stored: the secret is shown once."));
    m_named->setHorizontalHeaderLabels({tr("Name"), tr("Agents"), tr("Created")});
    m_newNamed->setText(tr("New token…"));
    m_revoke->setText(tr("Revoke…"));

    m_limitBox->setTitle(tr("Failed sign-in limiter"));
    m_maxAttemptsCaption->setText(tr("Failures before lockout:"));
    m_windowCaption->setText(tr("Counted over:"));
    m_window->setSuffix(tr(" s"));
    m_lockoutCaption->setText(tr("Lockout lasts:"));
    m_lockoutFor->setSuffix(tr(" s"));
    m_exemptLoopback->setText(tr("Never lock out this computer (loopback)"));
    m_applyLimit->setText(tr("Apply"));

    m_lockoutBox->setTitle(tr("Locked-out addresses"));
    m_lockouts->setHorizontalHeaderLabels({tr("Address"), tr("Failures"), tr("Remaining")});
    m_noLockouts->setText(tr("No address is locked out."));
    m_clearLockout->setText(tr("Unlock"));
    m_refreshLockouts->setText(tr("Refresh"));

    m_usageBox->setTitle(tr("Usage per token"));
    m_usagePeriodCaption->setText(tr("Period:"));
    m_usagePeriod->setItemText(0, tr("Today"));
    m_usagePeriod->setItemText(1, tr("Last 7 days"));
    m_usagePeriod->setItemText(2, tr("Total"));
    m_refreshUsage->setText(tr("Refresh"));
    m_usage->setHorizontalHeaderLabels(
        {tr("Token"), tr("Requests"), tr("Prompt tokens"), tr("Completion tokens"), tr("Errors")});

    refresh();
    showLockouts(m_lastLockouts);
    showUsage(m_lastUsage, m_usageError);
}

void TokensPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace passerelle
