#include "RequestLogModel.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace passerelle {

namespace {

// The error column shows the message a client got, also when the record carries the whole
// OpenAI-shaped body ({"error":{"message":...}}).
QString errorText(const QString &error)
{
    if (!error.startsWith(QLatin1Char('{')))
        return error;
    const QJsonObject o = QJsonDocument::fromJson(error.toUtf8()).object();
    const QString message
        = o.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
    return message.isEmpty() ? error : message;
}

QString millis(qint64 ms)
{
    return ms < 0 ? QString() : RequestLogModel::tr("%1 ms").arg(QLocale().toString(ms));
}

} // namespace

QString RequestLogModel::tokensText(qint64 promptTokens, qint64 completionTokens)
{
    return tr("%1 + %2", "prompt tokens + completion tokens")
        .arg(tr("%Ln prompt token(s)", nullptr, int(promptTokens)),
             tr("%Ln completion token(s)", nullptr, int(completionTokens)));
}

qint64 RequestLogModel::Row::bytes() const
{
    qint64 n = record.requestBody.size() + record.responseBody.size();
    for (const Frame &f : frames)
        n += f.data.size();
    return n;
}

RequestLogModel::RequestLogModel(QObject *parent) : QAbstractTableModel(parent) { }

void RequestLogModel::setLimits(int maxRows, int maxFramesPerRequest, qint64 detailBudgetBytes)
{
    m_maxRows = std::max(1, maxRows);
    m_maxFramesPerRequest = std::max(0, maxFramesPerRequest);
    m_detailBudget = std::max<qint64>(0, detailBudgetBytes);
    const int excess = static_cast<int>(m_rows.size()) - m_maxRows;
    if (excess > 0)
        dropOldest(excess);
    enforceBudget();
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const RequestRecord &r = m_rows[static_cast<size_t>(index.row())].record;
    const bool isError = r.status >= 400 || !r.error.isEmpty();

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return r.startedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case ClientColumn:
            return r.client;
        case MethodColumn:
            return r.transport == QLatin1String("ws") ? tr("WS %1").arg(r.method) : r.method;
        case PathColumn:
            return r.path;
        case AgentColumn:
            return r.agentId;
        case SessionColumn:
            return r.sessionKey;
        case StreamColumn:
            return r.stream ? tr("stream") : QString();
        case StatusColumn:
            if (r.finished)
                return r.status > 0 ? QString::number(r.status) : QString();
            return r.status > 0 ? tr("%1 …").arg(r.status) : tr("…");
        case TtfbColumn:
            return millis(r.ttfbMs);
        case DurationColumn:
            return r.finished ? millis(r.durationMs) : QString();
        case TokensColumn:
            if (r.usage.known)
                return QLocale().toString(r.usage.total());
            return r.finished && r.status < 400 ? tr("—") : QString();
        case ErrorColumn:
            return errorText(r.error);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case TimeColumn:
            return r.startedAt.toMSecsSinceEpoch();
        case StatusColumn:
            return r.status;
        case TtfbColumn:
            return r.ttfbMs;
        case DurationColumn:
            return r.durationMs;
        case TokensColumn:
            return r.usage.known ? r.usage.total() : -1;
        case StreamColumn:
            return r.stream;
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(r.startedAt.toLocalTime(), QLocale::LongFormat);
        case StatusColumn:
            return r.finished ? QVariant() : tr("In progress");
        case TokensColumn:
            if (!r.usage.known)
                return {};
            return tokensText(r.usage.promptTokens, r.usage.completionTokens);
        case SessionColumn:
        case ErrorColumn:
        case PathColumn:
            return data(index, Qt::DisplayRole);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case StatusColumn:
        case TtfbColumn:
        case DurationColumn:
        case TokensColumn:
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (isError && (index.column() == StatusColumn || index.column() == ErrorColumn))
            return QBrush(QColor(0xc0, 0x2b, 0x2b));
        return {};
    case IdRole:
        return r.id;
    case SearchTextRole:
        return QStringList {r.client,
                            r.method,
                            r.path,
                            r.agentId,
                            r.sessionKey,
                            r.model,
                            QString::number(r.status),
                            errorText(r.error)}
            .join(QLatin1Char('\n'));
    case IsErrorRole:
        return isError;
    case IsStreamRole:
        return r.stream;
    case IsFinishedRole:
        return r.finished;
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ClientColumn:
        return tr("Client");
    case MethodColumn:
        return tr("Method");
    case PathColumn:
        return tr("Path");
    case AgentColumn:
        return tr("Agent");
    case SessionColumn:
        return tr("Session");
    case StreamColumn:
        return tr("Stream");
    case StatusColumn:
        return tr("Status");
    case TtfbColumn:
        return tr("First byte");
    case DurationColumn:
        return tr("Duration");
    case TokensColumn:
        return tr("Tokens");
    case ErrorColumn:
        return tr("Error");
    }
    return {};
}

void RequestLogModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

RequestLogModel::Row *RequestLogModel::rowPtr(quint64 id)
{
    const auto it = m_seqOfId.constFind(id);
    if (it == m_seqOfId.cend())
        return nullptr;
    return &m_rows[static_cast<size_t>(it.value() - m_firstSeq)];
}

const RequestLogModel::Row *RequestLogModel::rowPtr(quint64 id) const
{
    const auto it = m_seqOfId.constFind(id);
    if (it == m_seqOfId.cend())
        return nullptr;
    return &m_rows[static_cast<size_t>(it.value() - m_firstSeq)];
}

int RequestLogModel::rowOfId(quint64 id) const
{
    const auto it = m_seqOfId.constFind(id);
    return it == m_seqOfId.cend() ? -1 : static_cast<int>(it.value() - m_firstSeq);
}

const RequestRecord *RequestLogModel::record(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_rows[static_cast<size_t>(row)].record;
}

const RequestRecord *RequestLogModel::recordById(quint64 id) const
{
    const Row *r = rowPtr(id);
    return r ? &r->record : nullptr;
}

QList<RequestRecord> RequestLogModel::records() const
{
    QList<RequestRecord> out;
    out.reserve(rowCount());
    for (const Row &r : m_rows)
        out.append(r.record);
    return out;
}

const QList<RequestLogModel::Frame> &RequestLogModel::frames(quint64 id) const
{
    static const QList<Frame> none;
    const Row *r = rowPtr(id);
    return r ? r->frames : none;
}

int RequestLogModel::droppedFrames(quint64 id) const
{
    const Row *r = rowPtr(id);
    return r ? r->droppedFrames : 0;
}

bool RequestLogModel::detailsEvicted(quint64 id) const
{
    const Row *r = rowPtr(id);
    return r && r->evicted;
}

void RequestLogModel::appendBatch(const LogBatch &batch)
{
    QList<RequestRecord> fresh;
    QHash<quint64, int> freshIndex;
    QSet<quint64> updatedIds;

    for (const RequestRecord &rec : batch.records) {
        if (Row *row = rowPtr(rec.id)) {
            if (row->evicted) {
                RequestRecord slim = rec;
                slim.requestBody.clear();
                slim.responseBody.clear();
                row->record = slim;
            } else {
                m_detailBytes += rec.requestBody.size() + rec.responseBody.size()
                    - row->record.requestBody.size() - row->record.responseBody.size();
                row->record = rec;
            }
            updatedIds.insert(rec.id);
        } else if (rec.id <= m_droppedUpToId) {
            continue; // its row was dropped (cap or clear): it does not come back
        } else if (const auto it = freshIndex.constFind(rec.id); it != freshIndex.cend()) {
            fresh[it.value()] = rec; // new and updated inside one batch
        } else {
            freshIndex.insert(rec.id, static_cast<int>(fresh.size()));
            fresh.append(rec);
        }
        m_maxIdSeen = std::max(m_maxIdSeen, rec.id);
    }

    // More new rows than the log holds: only the newest ones are inserted.
    if (fresh.size() > m_maxRows) {
        const qsizetype skip = fresh.size() - m_maxRows;
        for (qsizetype i = 0; i < skip; ++i)
            m_droppedUpToId = std::max(m_droppedUpToId, fresh.at(i).id);
        fresh.remove(0, skip);
    }
    if (!fresh.isEmpty()) {
        const int excess = rowCount() + static_cast<int>(fresh.size()) - m_maxRows;
        if (excess > 0)
            dropOldest(excess);
        const int first = rowCount();
        beginInsertRows(QModelIndex(), first, first + static_cast<int>(fresh.size()) - 1);
        for (const RequestRecord &rec : std::as_const(fresh)) {
            m_seqOfId.insert(rec.id, m_firstSeq + static_cast<qint64>(m_rows.size()));
            Row row;
            row.record = rec;
            m_detailBytes += rec.requestBody.size() + rec.responseBody.size();
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
    }

    QList<int> changedRows;
    changedRows.reserve(updatedIds.size());
    for (quint64 id : std::as_const(updatedIds)) {
        const int r = rowOfId(id);
        if (r >= 0)
            changedRows.append(r);
    }
    emitChangedRuns(changedRows);

    // Frames: appended per request, announced once per request and batch.
    QHash<quint64, QPair<int, int>> appended;
    for (const SseFrameRecord &f : batch.frames) {
        Row *row = rowPtr(f.requestId);
        if (!row || row->evicted)
            continue;
        if (row->frames.size() >= m_maxFramesPerRequest) {
            ++row->droppedFrames;
            continue;
        }
        const int at = static_cast<int>(row->frames.size());
        row->frames.append(Frame {f.offsetMs, f.frame});
        m_detailBytes += f.frame.size();
        auto it = appended.find(f.requestId);
        if (it == appended.end())
            appended.insert(f.requestId, {at, at});
        else
            it->second = at;
    }
    for (auto it = appended.cbegin(); it != appended.cend(); ++it)
        emit framesAppended(it.key(), it.value().first, it.value().second);
    for (quint64 id : std::as_const(updatedIds))
        emit detailsChanged(id);

    enforceBudget();
}

void RequestLogModel::emitChangedRuns(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    int start = rows.first();
    int prev = start;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == prev + 1) {
            prev = rows.at(i);
            continue;
        }
        emit dataChanged(index(start, 0), index(prev, ColumnCount - 1));
        if (i < rows.size()) {
            start = rows.at(i);
            prev = start;
        }
    }
}

void RequestLogModel::dropOldest(int count)
{
    count = std::min(count, rowCount());
    if (count <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, count - 1);
    for (int i = 0; i < count; ++i) {
        const Row &row = m_rows.front();
        m_detailBytes -= row.bytes();
        m_seqOfId.remove(row.record.id);
        m_droppedUpToId = std::max(m_droppedUpToId, row.record.id);
        m_rows.pop_front();
    }
    m_firstSeq += count;
    endRemoveRows();
}

void RequestLogModel::enforceBudget()
{
    m_evictCursor = std::max(m_evictCursor, m_firstSeq);
    const qint64 end = m_firstSeq + static_cast<qint64>(m_rows.size());
    while (m_detailBytes > m_detailBudget && m_evictCursor < end) {
        Row &row = m_rows[static_cast<size_t>(m_evictCursor - m_firstSeq)];
        ++m_evictCursor;
        const qint64 bytes = row.bytes();
        row.evicted = true;
        if (bytes == 0 && row.frames.isEmpty())
            continue;
        m_detailBytes -= bytes;
        row.record.requestBody.clear();
        row.record.responseBody.clear();
        row.frames.clear();
        row.frames.squeeze();
        emit detailsChanged(row.record.id);
    }
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_seqOfId.clear();
    m_firstSeq = 0;
    m_evictCursor = 0;
    m_detailBytes = 0;
    m_droppedUpToId = std::max(m_droppedUpToId, m_maxIdSeen);
    endResetModel();
}

} // namespace passerelle
