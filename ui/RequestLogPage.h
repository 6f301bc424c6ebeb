#pragma once

// The live request log tab: one row per request in a table fed by RequestLogModel through a
// filter/search proxy (never resized to contents, so thousands of rows per second stay smooth),
// and for the selected request its SSE events growing live (offset in ms), its redacted request
// body and its response. Export of the shown rows to JSON Lines. GUI thread.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace passerelle {

class RequestLogFilterModel;
class RequestLogModel;
class SseFrameModel;

class RequestLogPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogPage)

public:
    explicit RequestLogPage(RequestLogModel *model, QWidget *parent = nullptr);

    // Writes the rows the view shows, in its order, to path. Lines written, or -1 with *error.
    int exportTo(const QString &path, QString *error);
    void selectRequest(quint64 id);
    quint64 selectedRequest() const { return m_selected; }

    QTableView *table() const { return m_table; }
    QTableView *frameTable() const { return m_frames; }
    RequestLogFilterModel *filterModel() const { return m_proxy; }
    SseFrameModel *frameModel() const { return m_frameModel; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *kindBox() const { return m_kind; }
    QPlainTextEdit *requestText() const { return m_request; }
    QPlainTextEdit *responseText() const { return m_response; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *countLabel() const { return m_count; }
    QLabel *framesNote() const { return m_framesNote; }

public slots:
    void exportWithDialog();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void fitColumns();
    void onCurrentChanged();
    void showDetails();
    void updateCount();

    RequestLogModel *m_model = nullptr;
    RequestLogFilterModel *m_proxy = nullptr;
    SseFrameModel *m_frameModel = nullptr;
    quint64 m_selected = 0;

    QLineEdit *m_search = nullptr;
    QComboBox *m_kind = nullptr;
    QCheckBox *m_follow = nullptr;
    QPushButton *m_clear = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QTabWidget *m_details = nullptr;
    QTableView *m_frames = nullptr;
    QLabel *m_framesNote = nullptr;
    QPlainTextEdit *m_request = nullptr;
    QPlainTextEdit *m_response = nullptr;
};

} // namespace passerelle
