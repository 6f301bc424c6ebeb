#pragma once

// The rows of the live request log: one row per request, fed with whole LogBatches from the
// server (one beginInsertRows per batch, rows updated in place by request id). Memory is bounded:
// at most maxRows rows (oldest dropped), at most maxFramesPerRequest SSE frames per request, and
// a byte budget for bodies and frames beyond which the oldest requests lose their details (their
// row stays). Lives on the GUI thread.

#include "log/RequestLog.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <deque>

namespace passerelle {

class RequestLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogModel)

public:
    enum Column {
        TimeColumn,
        ClientColumn,
        MethodColumn,
        PathColumn,
        AgentColumn,
        SessionColumn,
        StreamColumn,
        StatusColumn,
        TtfbColumn,
        DurationColumn,
        TokensColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for numeric columns, text otherwise
        IdRole, // quint64 request id
        SearchTextRole, // every searchable field of the row, joined
        IsErrorRole, // status >= 400 or an error message
        IsStreamRole,
        IsFinishedRole,
    };

    struct Frame
    {
        qint64 offsetMs = 0;
        QByteArray data;
    };

    static constexpr int kDefaultMaxRows = 10000;
    static constexpr int kDefaultMaxFramesPerRequest = 2000;
    static constexpr qint64 kDefaultDetailBudgetBytes = 64ll * 1024 * 1024;

    explicit RequestLogModel(QObject *parent = nullptr);

    void setLimits(int maxRows, int maxFramesPerRequest, qint64 detailBudgetBytes);
    int maxRows() const { return m_maxRows; }
    int maxFramesPerRequest() const { return m_maxFramesPerRequest; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Applies one batch from the server: new records become rows (one insertion), known ids are
    // updated in place, frames are appended to their request.
    void appendBatch(const LogBatch &batch);
    // Empties the log; requests still running when it is cleared do not come back.
    void clear();
    void retranslate(); // header texts follow the installed translator

    // "12 prompt tokens + 1 completion token", each count with its plural form.
    static QString tokensText(qint64 promptTokens, qint64 completionTokens);

    int rowOfId(quint64 id) const; // -1 when not (or no longer) in the log
    const RequestRecord *record(int row) const; // nullptr when out of range
    const RequestRecord *recordById(quint64 id) const;
    QList<RequestRecord> records() const; // oldest first, for export

    // Frames kept for one request, oldest first; droppedFrames counts those not kept (per-request
    // cap); detailsEvicted is true when the memory budget took the request's bodies and frames.
    const QList<Frame> &frames(quint64 id) const;
    int droppedFrames(quint64 id) const;
    bool detailsEvicted(quint64 id) const;
    qint64 detailBytes() const { return m_detailBytes; }

signals:
    void framesAppended(quint64 requestId, int first, int last);
    void detailsChanged(quint64 requestId); // bodies, status or evicted state of a request changed

private:
    struct Row
    {
        RequestRecord record;
        QList<Frame> frames;
        int droppedFrames = 0;
        bool evicted = false;
        qint64 bytes() const;
    };

    Row *rowPtr(quint64 id);
    const Row *rowPtr(quint64 id) const;
    void dropOldest(int count);
    void enforceBudget();
    void emitChangedRuns(QList<int> rows);

    // Rows live in insertion order; row r has sequence number m_firstSeq + r, so dropping from the
    // front never renumbers the id index.
    std::deque<Row> m_rows;
    QHash<quint64, qint64> m_seqOfId;
    qint64 m_firstSeq = 0;
    qint64 m_evictCursor = 0; // rows with seq below this have no details left
    quint64 m_droppedUpToId = 0; // ids at or below this that are not in the log are ignored
    quint64 m_maxIdSeen = 0;
    qint64 m_detailBytes = 0;
    int m_maxRows = kDefaultMaxRows;
    int m_maxFramesPerRequest = kDefaultMaxFramesPerRequest;
    qint64 m_detailBudget = kDefaultDetailBudgetBytes;
};

} // namespace passerelle
