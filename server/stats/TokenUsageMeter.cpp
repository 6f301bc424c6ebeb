#include "stats/TokenUsageMeter.h"

#include "Logging.h"
#include "config/GatewayConfig.h"
#include "log/RequestLog.h"
#include "stats/PrometheusText.h"

#include <functional>

namespace passerelle {

namespace {
const QDate kEpoch(1970, 1, 1);
} // namespace

TokenUsageMeter::TokenUsageMeter(QObject *parent) : QObject(parent)
{
    m_tokens.add(QStringLiteral("main"));
    m_tokens.add(QStringLiteral("anonymous"));
    m_totals.resize(std::size_t(m_tokens.size()));
    m_pending.resize(m_totals.size());
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &TokenUsageMeter::flush);
}

TokenUsageMeter::~TokenUsageMeter()
{
    flush();
}

QString TokenUsageMeter::tokenLabel(const QString &principal)
{
    return principal == QLatin1String("gateway") ? QStringLiteral("main") : principal;
}

qint64 TokenUsageMeter::epochDay()
{
    return QDateTime::currentMSecsSinceEpoch() / (24 * 3600 * 1000);
}

void TokenUsageMeter::setConfig(const GatewayConfig &config)
{
    for (const NamedToken &t : config.auth.tokens)
        m_tokens.add(t.name);
    m_totals.resize(std::size_t(m_tokens.size()));
    m_pending.resize(m_totals.size());
}

void TokenUsageMeter::record(const RequestRecord &r)
{
    if (!r.finished || r.principal.isEmpty())
        return;
    const int index = r.principal == QLatin1String("gateway")
        ? m_tokens.indexOf(QStringLiteral("main"))
        : m_tokens.indexOf(r.principal);
    const qint64 day = epochDay();
    if (m_hasPending && day != m_pendingDay)
        flush(); // the earlier day's bucket gets what was counted before midnight
    m_pendingDay = day;
    UsageCounts delta;
    delta.requests = 1;
    if (r.usage.known) {
        delta.promptTokens = qMax<qint64>(0, r.usage.promptTokens);
        delta.completionTokens = qMax<qint64>(0, r.usage.completionTokens);
    }
    delta.errors = r.isError() ? 1 : 0;
    m_totals[std::size_t(index)] += delta;
    m_pending[std::size_t(index)] += delta;
    m_hasPending = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TokenUsageMeter::flush()
{
    m_flushTimer.stop();
    if (!m_hasPending)
        return;
    QList<TokenUsageDay> deltas;
    const QDate day = kEpoch.addDays(m_pendingDay);
    for (int i = 0; i < m_tokens.size(); ++i) {
        UsageCounts &pending = m_pending[std::size_t(i)];
        if (pending.isZero())
            continue;
        deltas.append({m_tokens.name(i), day, pending});
        pending = {};
    }
    m_hasPending = false;
    if (!m_store)
        return;
    m_store->addUsage(deltas, this, [](const StoreResult<bool> &stored) {
        if (!stored.ok)
            qCWarning(lcSessions).noquote() << "usage per token not stored:" << stored.error;
    });
}

void TokenUsageMeter::requestSummary()
{
    flush();
    if (!m_store) {
        emit summaryReady({}, QStringLiteral("no session store"));
        return;
    }
    // Store calls are served in order: the summary includes what was just flushed.
    m_store->usageSummary(kEpoch.addDays(epochDay()), this,
                          [this](const StoreResult<QList<TokenUsageSummary>> &result) {
                              emit summaryReady(result.value, result.ok ? QString() : result.error);
                          });
}

UsageCounts TokenUsageMeter::total(const QString &label) const
{
    return m_totals[std::size_t(m_tokens.indexOf(label))];
}

void TokenUsageMeter::write(PrometheusText &out) const
{
    // "other" (a principal no config named) only once something was counted there.
    const auto each = [this](const std::function<void(const QString &, const UsageCounts &)> &f) {
        for (int i = 0; i < m_tokens.size(); ++i) {
            if (i != LabelSet::kOther || m_totals[0].requests > 0)
                f(m_tokens.name(i), m_totals[std::size_t(i)]);
        }
    };
    out.family("passerelle_token_requests_total", "counter",
               "Requests and WebSocket runs per credential: main (the gateway's token or "
               "password), a named token's name, anonymous (auth mode none).");
    each([&](const QString &token, const UsageCounts &c) {
        out.sample("passerelle_token_requests_total", {{"token", token}}, c.requests);
    });
    out.family("passerelle_token_errors_total", "counter",
               "Requests per credential that ended in an error.");
    each([&](const QString &token, const UsageCounts &c) {
        out.sample("passerelle_token_errors_total", {{"token", token}}, c.errors);
    });
    out.family("passerelle_token_tokens_total", "counter",
               "Model tokens per credential and kind (prompt, completion).");
    each([&](const QString &token, const UsageCounts &c) {
        out.sample("passerelle_token_tokens_total",
                   {{"token", token}, {"kind", QStringLiteral("prompt")}}, c.promptTokens);
        out.sample("passerelle_token_tokens_total",
                   {{"token", token}, {"kind", QStringLiteral("completion")}}, c.completionTokens);
    });
}

} // namespace passerelle
