#include "RequestLogPage.h"

#include "JsonLinesExport.h"
#include "RequestLogFilterModel.h"
#include "RequestLogModel.h"
#include "SseFrameModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace passerelle {

namespace {

QPlainTextEdit *codeView(QWidget *parent)
{
    auto *e = new QPlainTextEdit(parent);
    e->setReadOnly(true);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return e;
}

QString prettyBody(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(body);
}

void fixedRows(QTableView *view)
{
    // Fixed heights and widths: nothing is measured per row, whatever the rate.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->setWordWrap(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
}

} // namespace

RequestLogPage::RequestLogPage(RequestLogModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new RequestLogFilterModel(this)),
      m_frameModel(new SseFrameModel(model, this))
{
    m_proxy->setSourceModel(model);

    auto *root = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setClearButtonEnabled(true);
    m_kind = new QComboBox(this);
    m_kind->addItem(QString(), int(RequestLogFilterModel::Kind::All));
    m_kind->addItem(QString(), int(RequestLogFilterModel::Kind::Errors));
    m_kind->addItem(QString(), int(RequestLogFilterModel::Kind::Streams));
    m_kind->addItem(QString(), int(RequestLogFilterModel::Kind::Running));
    m_follow = new QCheckBox(this);
    m_follow->setChecked(true);
    m_clear = new QPushButton(this);
    m_export = new QPushButton(this);
    m_count = new QLabel(this);
    bar->addWidget(m_search, 2);
    bar->addWidget(m_kind);
    bar->addWidget(m_follow);
    bar->addStretch(1);
    bar->addWidget(m_count);
    bar->addWidget(m_clear);
    bar->addWidget(m_export);
    root->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(split);
    m_table->setModel(m_proxy);
    fixedRows(m_table);
    // Arrival order until the user clicks a header: no sort column, so no sorting cost.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    QHeaderView *h = m_table->horizontalHeader();
    h->setStretchLastSection(true);

    auto *details = new QWidget(split);
    auto *dl = new QVBoxLayout(details);
    dl->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(details);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    dl->addWidget(m_summary);
    m_details = new QTabWidget(details);
    auto *events = new QWidget(m_details);
    auto *el = new QVBoxLayout(events);
    m_frames = new QTableView(events);
    m_frames->setModel(m_frameModel);
    fixedRows(m_frames);
    m_frames->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_frames->horizontalHeader()->resizeSection(
        SseFrameModel::OffsetColumn,
        m_frames->fontMetrics().horizontalAdvance(QStringLiteral("+00 000 ms")) + 18);
    m_frames->horizontalHeader()->resizeSection(
        SseFrameModel::NameColumn,
        m_frames->fontMetrics().horizontalAdvance(
            QStringLiteral("response.function_call_arguments.delta"))
            + 18);
    // The readable column about as wide as a line of text, the raw frame after it.
    m_frames->horizontalHeader()->resizeSection(
        SseFrameModel::SummaryColumn,
        m_frames->fontMetrics().horizontalAdvance(QString(36, QLatin1Char('m'))));
    m_frames->horizontalHeader()->setStretchLastSection(true);
    m_framesNote = new QLabel(events);
    m_framesNote->setWordWrap(true);
    m_framesNote->setForegroundRole(QPalette::PlaceholderText);
    el->addWidget(m_frames, 1);
    el->addWidget(m_framesNote);
    m_request = codeView(m_details);
    m_response = codeView(m_details);
    m_details->addTab(events, QString());
    m_details->addTab(m_request, QString());
    m_details->addTab(m_response, QString());
    dl->addWidget(m_details, 1);
    split->addWidget(m_table);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    root->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &RequestLogFilterModel::setSearchText);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_proxy->setKind(static_cast<RequestLogFilterModel::Kind>(m_kind->itemData(i).toInt()));
    });
    connect(m_clear, &QPushButton::clicked, m_model, &RequestLogModel::clear);
    connect(m_export, &QPushButton::clicked, this, &RequestLogPage::exportWithDialog);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestLogPage::onCurrentChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_table->scrollToBottom();
        updateCount();
    });
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RequestLogPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        onCurrentChanged();
    });
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RequestLogPage::updateCount);
    connect(m_model, &RequestLogModel::detailsChanged, this, [this](quint64 id) {
        if (id == m_selected)
            showDetails();
    });
    connect(m_frameModel, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar *sb = m_frames->verticalScrollBar();
        if (sb->value() >= sb->maximum() - 2 * m_frames->verticalHeader()->defaultSectionSize())
            m_frames->scrollToBottom();
    });

    retranslateUi();
}

void RequestLogPage::selectRequest(quint64 id)
{
    const int src = m_model->rowOfId(id);
    if (src < 0)
        return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(src, 0));
    if (!idx.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RequestLogPage::onCurrentChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    m_selected = current.isValid() ? current.data(RequestLogModel::IdRole).toULongLong() : 0;
    if (m_selected && m_model->rowOfId(m_selected) < 0)
        m_selected = 0;
    m_frameModel->setRequestId(m_selected);
    showDetails();
}

void RequestLogPage::showDetails()
{
    const RequestRecord *r = m_selected ? m_model->recordById(m_selected) : nullptr;
    if (!r) {
        m_summary->setText(tr("Select a request to see its events, its body and its response."));
        m_request->clear();
        m_response->clear();
        m_framesNote->clear();
        return;
    }
    const QLocale loc;
    QStringList parts;
    parts << tr("Request #%1").arg(r->id);
    if (!r->model.isEmpty())
        parts << tr("model %1").arg(r->model);
    if (!r->agentId.isEmpty())
        parts << tr("agent %1").arg(r->agentId);
    if (r->usage.known)
        parts << RequestLogModel::tokensText(r->usage.promptTokens, r->usage.completionTokens);
    parts << (r->finished ? tr("finished") : tr("in progress"));
    m_summary->setText(parts.join(QStringLiteral(" · ")));

    const QString req = prettyBody(r->requestBody);
    if (m_request->toPlainText() != req)
        m_request->setPlainText(req);
    const QString resp
        = r->stream ? QString::fromUtf8(r->responseBody) : prettyBody(r->responseBody);
    if (m_response->toPlainText() != resp)
        m_response->setPlainText(resp);

    QString note;
    if (m_model->detailsEvicted(r->id))
        note = tr("The details of this request were dropped to keep the log's memory bounded.");
    else if (const int dropped = m_model->droppedFrames(r->id); dropped > 0)
        note = tr("%Ln later event(s) not kept (at most %1 per request).", nullptr, dropped)
                   .arg(loc.toString(m_model->maxFramesPerRequest()));
    else if (!r->stream)
        note = tr("Not a streaming request: no events.");
    m_framesNote->setText(note);
    m_framesNote->setVisible(!note.isEmpty());
}

void RequestLogPage::updateCount()
{
    const QLocale loc;
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    const QString requests = tr("%Ln request(s)", nullptr, total);
    m_count->setText(
        shown == total
            ? requests
            : tr("%1 of %2", "shown of total requests").arg(loc.toString(shown), requests));
}

int RequestLogPage::exportTo(const QString &path, QString *error)
{
    QList<quint64> ids;
    ids.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        ids << m_proxy->index(row, 0).data(RequestLogModel::IdRole).toULongLong();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return -1;
    }
    const int lines = JsonLinesExport::write(file, *m_model, ids, error);
    if (lines < 0) {
        file.cancelWriting();
        return -1;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return -1;
    }
    return lines;
}

void RequestLogPage::exportWithDialog()
{
    const QString suggested
        = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .filePath(QStringLiteral("passerelle-log-%1.jsonl")
                            .arg(QDateTime::currentDateTime().toString(
                                QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the request log"), suggested,
                                                      tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    const int lines = exportTo(path, &error);
    if (lines < 0)
        QMessageBox::warning(this, tr("Export failed"),
                             tr("The log could not be written to %1: %2").arg(path, error));
}

void RequestLogPage::retranslateUi()
{
    m_search->setPlaceholderText(tr("Search client, path, agent, session, status or error"));
    m_kind->setItemText(0, tr("All requests"));
    m_kind->setItemText(1, tr("Errors"));
    m_kind->setItemText(2, tr("Streams"));
    m_kind->setItemText(3, tr("In progress"));
    m_follow->setText(tr("Follow new requests"));
    m_clear->setText(tr("Clear"));
    m_export->setText(tr("Export…"));
    m_details->setTabText(0, tr("SSE events"));
    m_details->setTabText(1, tr("Request body"));
    m_details->setTabText(2, tr("Response"));
    m_model->retranslate();
    m_frameModel->retranslate();
    fitColumns();
    updateCount();
    showDetails();
}

void RequestLogPage::fitColumns()
{
    // Wide enough for typical values and for the header in the current language.
    const QFontMetrics cells = m_table->fontMetrics();
    const QFontMetrics header = m_table->horizontalHeader()->fontMetrics();
    const auto fit = [&](int column, const char *sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        const int w = qMax(cells.horizontalAdvance(QString::fromLatin1(sample)),
                           header.horizontalAdvance(title) + 12);
        m_table->horizontalHeader()->resizeSection(column, w + 18);
    };
    fit(RequestLogModel::TimeColumn, "00:00:00.000");
    fit(RequestLogModel::ClientColumn, "255.255.255.255");
    fit(RequestLogModel::MethodColumn, "OPTIONS");
    fit(RequestLogModel::PathColumn, "/v1/chat/completions");
    fit(RequestLogModel::AgentColumn, "agent-name");
    fit(RequestLogModel::SessionColumn, "agent:main:openai:0000");
    fit(RequestLogModel::StreamColumn, "stream");
    fit(RequestLogModel::StatusColumn, "200");
    fit(RequestLogModel::TtfbColumn, "00 000 ms");
    fit(RequestLogModel::DurationColumn, "00 000 ms");
    fit(RequestLogModel::TokensColumn, "000 000");
}

void RequestLogPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace passerelle
