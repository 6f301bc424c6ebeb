#pragma once

// The SSE frames of one request of the log, as a table (offset in ms, event name, what the
// frame says in readable words, the raw frame text), growing live as the request streams: it
// follows RequestLogModel::framesAppended for the request it shows. Lives on the GUI thread.

#include <QAbstractTableModel>
#include <QPointer>

namespace passerelle {

class RequestLogModel;

class SseFrameModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SseFrameModel)

public:
    enum Column { OffsetColumn, NameColumn, SummaryColumn, FrameColumn, ColumnCount };

    explicit SseFrameModel(RequestLogModel *log, QObject *parent = nullptr);

    void setRequestId(quint64 id); // 0: none
    quint64 requestId() const { return m_id; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void retranslate();

    // One frame as shown: the SSE text without its trailing blank line.
    static QString frameText(const QByteArray &frame);
    // Its event name: the `event:` field ("response.created"), "message" for a frame with data
    // only (what an EventSource calls it), "" for a comment.
    static QString eventName(const QByteArray &frame);

private:
    void onFramesAppended(quint64 id, int first, int last);
    void resync();

    QPointer<RequestLogModel> m_log;
    quint64 m_id = 0;
    int m_count = 0; // frames of m_id the view knows about
};

} // namespace passerelle
