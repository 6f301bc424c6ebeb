#pragma once

// Usage per credential (SPEC.md section 12): requests, prompt and completion tokens and errors per
// token name ("main" for the gateway's own secret, "anonymous" without auth, a named token's name),
// counted from each finished request-log record into slots preallocated for the config's tokens
// (no lock, no allocation per request). It keeps the totals since start (the /metrics counters)
// and the deltas not yet stored, which it hands to the session store as daily buckets every
// kFlushMs, when the UTC day changes, and at shutdown (flush()). Server thread.

#include "stats/LabelSet.h"
#include "store/SessionStore.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <vector>

namespace passerelle {

struct GatewayConfig;
struct RequestRecord;
class PrometheusText;

class TokenUsageMeter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenUsageMeter)

public:
    static constexpr int kFlushMs = 5000;

    explicit TokenUsageMeter(QObject *parent = nullptr);
    ~TokenUsageMeter() override;

    // The label of a principal: "main" for the gateway's own secret ("gateway").
    static QString tokenLabel(const QString &principal);

    void setConfig(const GatewayConfig &config); // adds the named tokens' labels
    void setStore(SessionStore *store) { m_store = store; }
    // Counts a finished record that carries a principal (others are ignored).
    void record(const RequestRecord &record);
    // Hands the pending deltas to the store now.
    void flush();
    // Flushes, then asks the store for today's, the last 7 days' and all usage: summaryReady.
    void requestSummary();

    UsageCounts total(const QString &tokenLabel) const;
    // The token families of /metrics.
    void write(PrometheusText &out) const;

signals:
    // `error` set: the store could not answer (the list is empty).
    void summaryReady(const QList<passerelle::TokenUsageSummary> &usage, const QString &error);

private:
    static qint64 epochDay(); // the UTC day now, in days since 1970-01-01

    QPointer<SessionStore> m_store;
    LabelSet m_tokens;
    std::vector<UsageCounts> m_totals; // [token label]
    std::vector<UsageCounts> m_pending; // [token label], for m_pendingDay
    qint64 m_pendingDay = 0;
    bool m_hasPending = false;
    QTimer m_flushTimer;
};

} // namespace passerelle
