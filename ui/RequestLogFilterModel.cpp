#include "RequestLogFilterModel.h"

#include "RequestLogModel.h"

namespace passerelle {

RequestLogFilterModel::RequestLogFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RequestLogModel::SortRole);
    setDynamicSortFilter(true);
}

void RequestLogFilterModel::setKind(Kind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

void RequestLogFilterModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateFilter();
}

bool RequestLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    switch (m_kind) {
    case Kind::All:
        break;
    case Kind::Errors:
        if (!idx.data(RequestLogModel::IsErrorRole).toBool())
            return false;
        break;
    case Kind::Streams:
        if (!idx.data(RequestLogModel::IsStreamRole).toBool())
            return false;
        break;
    case Kind::Running:
        if (idx.data(RequestLogModel::IsFinishedRole).toBool())
            return false;
        break;
    }
    if (m_search.isEmpty())
        return true;
    return idx.data(RequestLogModel::SearchTextRole)
        .toString()
        .contains(m_search, Qt::CaseInsensitive);
}

} // namespace passerelle
