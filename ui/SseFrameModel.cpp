#include "SseFrameModel.h"

#include "RequestLogModel.h"
#include "SseFrameSummary.h"

#include <QLocale>

namespace passerelle {

SseFrameModel::SseFrameModel(RequestLogModel *log, QObject *parent)
    : QAbstractTableModel(parent), m_log(log)
{
    connect(log, &RequestLogModel::framesAppended, this, &SseFrameModel::onFramesAppended);
    connect(log, &RequestLogModel::detailsChanged, this, [this](quint64 id) {
        if (id == m_id)
            resync();
    });
    // The request's row may be dropped (cap) or the whole log cleared.
    connect(log, &QAbstractItemModel::rowsRemoved, this, &SseFrameModel::resync);
    connect(log, &QAbstractItemModel::modelReset, this, &SseFrameModel::resync);
}

void SseFrameModel::setRequestId(quint64 id)
{
    if (id == m_id)
        return;
    beginResetModel();
    m_id = id;
    m_count = m_log ? static_cast<int>(m_log->frames(id).size()) : 0;
    endResetModel();
}

void SseFrameModel::resync()
{
    const int now = m_log && m_id ? static_cast<int>(m_log->frames(m_id).size()) : 0;
    if (now == m_count)
        return;
    if (now > m_count) {
        onFramesAppended(m_id, m_count, now - 1);
        return;
    }
    beginResetModel();
    m_count = now;
    endResetModel();
}

void SseFrameModel::onFramesAppended(quint64 id, int first, int last)
{
    if (id != m_id || last < m_count)
        return;
    first = m_count; // never skip a row, whatever the announcement said
    beginInsertRows(QModelIndex(), first, last);
    m_count = last + 1;
    endInsertRows();
}

int SseFrameModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int SseFrameModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SseFrameModel::frameText(const QByteArray &frame)
{
    QByteArray f = frame;
    while (f.endsWith('\n') || f.endsWith('\r'))
        f.chop(1);
    return QString::fromUtf8(f);
}

QString SseFrameModel::eventName(const QByteArray &frame)
{
    bool hasData = false;
    const QList<QByteArray> lines = frame.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("event:"))
            return QString::fromUtf8(line.mid(6).trimmed());
        hasData = hasData || line.startsWith("data:");
    }
    return hasData ? QStringLiteral("message") : QString();
}

QVariant SseFrameModel::data(const QModelIndex &index, int role) const
{
    if (!m_log || !index.isValid() || index.row() >= m_count)
        return {};
    const auto &frames = m_log->frames(m_id);
    if (index.row() >= frames.size())
        return {};
    const RequestLogModel::Frame &f = frames.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case OffsetColumn:
            return tr("+%1 ms").arg(QLocale().toString(f.offsetMs));
        case NameColumn: {
            const QString name = eventName(f.data);
            return name.isEmpty() ? tr("(comment)") : name;
        }
        case SummaryColumn:
            return SseFrameSummary::text(f.data);
        default:
            return frameText(f.data);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == OffsetColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    default:
        return {};
    }
}

QVariant SseFrameModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case OffsetColumn:
        return tr("Offset");
    case NameColumn:
        return tr("Name");
    case SummaryColumn:
        return tr("Content");
    default:
        return tr("Raw frame");
    }
}

void SseFrameModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (m_count > 0) // the readable column's words
        emit dataChanged(index(0, SummaryColumn), index(m_count - 1, SummaryColumn));
}

} // namespace passerelle
