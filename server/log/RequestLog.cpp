#include "log/RequestLog.h"

#include "log/LogText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace passerelle {

RequestLog::RequestLog(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kFlushMs);
    connect(&m_timer, &QTimer::timeout, this, &RequestLog::flush);
}

void RequestLog::record(const RequestRecord &raw)
{
    // Every consumer (panel, headless stdout, statistics) gets the client's text escaped and cut.
    RequestRecord record = raw;
    record.method = LogText::escape(raw.method);
    record.path = LogText::escape(raw.path);
    record.agentId = LogText::escape(raw.agentId);
    record.sessionKey = LogText::escape(raw.sessionKey);
    record.model = LogText::escape(raw.model);
    record.error = LogText::escape(raw.error, kErrorChars);
    if (m_listener)
        m_listener(record);
    // Replace a pending update of the same request rather than queueing both (found through an
    // index: at thousands of requests per flush, a scan per record was quadratic).
    const auto found = m_pendingIndex.constFind(record.id);
    if (found != m_pendingIndex.cend()) {
        m_pending.records[found.value()] = record;
        if (!m_timer.isActive())
            m_timer.start();
        return;
    }
    m_pendingIndex.insert(record.id, m_pending.records.size());
    m_pending.records.append(record);
    if (!m_timer.isActive())
        m_timer.start();
}

void RequestLog::frame(quint64 requestId, qint64 offsetMs, const QByteArray &frame)
{
    if (!m_captureFrames)
        return;
    m_pending.frames.append({requestId, offsetMs, frame});
    if (!m_timer.isActive())
        m_timer.start();
}

void RequestLog::flush()
{
    if (m_pending.records.isEmpty() && m_pending.frames.isEmpty())
        return;
    LogBatch batch;
    std::swap(batch, m_pending);
    m_pendingIndex.clear();
    emit batchReady(batch);
}

namespace {

bool isSecretKey(const QString &key)
{
    static const QRegularExpression re(
        QStringLiteral("authorization|api[_-]?key|password|passwd|secret|token$|^token|bearer"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(key).hasMatch();
}

QJsonValue redactValue(const QJsonValue &v)
{
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (isSecretKey(it.key()) && (it.value().isString() || it.value().isDouble()))
                it.value() = QStringLiteral("[redacted]");
            else
                it.value() = redactValue(it.value());
        }
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = redactValue(*it);
        return a;
    }
    return v;
}

} // namespace

QByteArray RequestLog::redact(const QByteArray &body)
{
    if (body.isEmpty())
        return body;
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return QByteArrayLiteral("[not JSON: ") + QByteArray::number(body.size())
            + QByteArrayLiteral(" bytes]");
    const QJsonValue redacted
        = redactValue(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    const QByteArray out = redacted.isObject()
        ? QJsonDocument(redacted.toObject()).toJson(QJsonDocument::Compact)
        : QJsonDocument(redacted.toArray()).toJson(QJsonDocument::Compact);
    return out.size() > kBodyCap ? out.left(kBodyCap) + "..." : out;
}

} // namespace passerelle
