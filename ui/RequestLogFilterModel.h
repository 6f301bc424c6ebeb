#pragma once

// Filters and sorts the request log for its view: a kind filter (all, errors, streams, running)
// and a case-insensitive search over client, path, agent, session, model, status and error.
// Sorting uses the source model's SortRole so numbers sort as numbers. Lives on the GUI thread.

#include <QSortFilterProxyModel>

namespace passerelle {

class RequestLogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogFilterModel)

public:
    enum class Kind { All, Errors, Streams, Running };

    explicit RequestLogFilterModel(QObject *parent = nullptr);

    void setKind(Kind kind);
    Kind kind() const { return m_kind; }
    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Kind m_kind = Kind::All;
    QString m_search;
};

} // namespace passerelle
