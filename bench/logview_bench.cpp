// Pushes synthetic LogBatches (new requests, their completions and their SSE frames) through
// RequestLogModel + RequestLogFilterModel + a visible QTableView and a live SSE frame view, as the
// panel receives them from the server (one batch per 100 ms flush), and prints the sustained rows/s
// and frames/s. The baseline, measured in the same run, feeds the very same events one at a time
// (one model insertion per event, the naive way); the figure that matters is the ratio.
//
//   logview_bench [rowsPerBatch=500] [batches=200] [framesPerRequest=8]
// Runs under QT_QPA_PLATFORM=offscreen when no platform is set.

#include "RequestLogFilterModel.h"
#include "RequestLogModel.h"
#include "SseFrameModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QTableView>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace passerelle;

namespace {

struct Workload
{
    int rowsPerBatch = 500;
    int batches = 200;
    int framesPerRequest = 8;
};

// Batch i carries rowsPerBatch new (streaming, running) requests with their frames, and the
// completion of the previous batch's requests.
LogBatch makeBatch(const Workload &w, int i)
{
    LogBatch b;
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    const quint64 first = quint64(i) * quint64(w.rowsPerBatch) + 1;
    for (int k = 0; k < w.rowsPerBatch; ++k) {
        RequestRecord r;
        r.id = first + quint64(k);
        r.startedAt = t0;
        r.client = QStringLiteral("127.0.0.1");
        r.method = QStringLiteral("POST");
        r.path = QStringLiteral("/v1/chat/completions");
        r.agentId = QStringLiteral("main");
        r.sessionKey = QStringLiteral("agent:main:openai:%1").arg(r.id);
        r.model = QStringLiteral("openclaw");
        r.stream = true;
        r.status = 200;
        r.ttfbMs = 1;
        r.requestBody = QByteArrayLiteral(
            R"({"model":"openclaw","stream":true,"messages":[{"role":"user","content":"hello"}]})");
        b.records << r;
        for (int f = 0; f < w.framesPerRequest; ++f) {
            b.frames << SseFrameRecord {
                r.id, f,
                QByteArrayLiteral(
                    "data: {\"id\":\"chatcmpl_0\",\"object\":\"chat.completion.chunk\","
                    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},"
                    "\"finish_reason\":null}]}\n\n")};
        }
    }
    if (i > 0) {
        const quint64 prev = first - quint64(w.rowsPerBatch);
        for (int k = 0; k < w.rowsPerBatch; ++k) {
            RequestRecord r = b.records.at(k);
            r.id = prev + quint64(k);
            r.sessionKey = QStringLiteral("agent:main:openai:%1").arg(r.id);
            r.finished = true;
            r.durationMs = 12;
            r.usage.known = true;
            r.usage.promptTokens = 5;
            r.usage.completionTokens = 8;
            r.responseBody = QByteArrayLiteral("word word word word word word word word");
            b.records << r;
        }
    }
    return b;
}

struct Result
{
    double seconds = 0;
    qint64 rows = 0;
    qint64 frames = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

// deliver(batch) hands one server batch to the model; after each batch the event loop runs and
// the views repaint, as they would at the panel's 10 flushes per second.
Result run(const Workload &w, int batches,
           const std::function<void(RequestLogModel &, const LogBatch &)> &deliver)
{
    RequestLogModel model;
    RequestLogFilterModel proxy;
    proxy.setSourceModel(&model);
    SseFrameModel frames(&model);
    QTableView view;
    view.setModel(&proxy);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(22);
    view.resize(1200, 600);
    QTableView frameView;
    frameView.setModel(&frames);
    frameView.resize(600, 300);
    view.show();
    frameView.show();
    QApplication::processEvents();

    QList<LogBatch> prepared;
    prepared.reserve(batches);
    for (int i = 0; i < batches; ++i)
        prepared << makeBatch(w, i);

    QList<double> perBatch;
    Result res;
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < batches; ++i) {
        QElapsedTimer one;
        one.start();
        deliver(model, prepared.at(i));
        // Watch the newest request's frames live, as a user with a row selected would.
        frames.setRequestId(prepared.at(i).records.first().id);
        view.scrollToBottom();
        QApplication::processEvents();
        view.viewport()->repaint();
        frameView.viewport()->repaint();
        perBatch << one.nsecsElapsed() / 1e6;
        res.rows += w.rowsPerBatch;
        res.frames += prepared.at(i).frames.size();
    }
    res.seconds = total.nsecsElapsed() / 1e9;
    std::sort(perBatch.begin(), perBatch.end());
    res.p50Ms = perBatch.at(perBatch.size() / 2);
    res.p99Ms = perBatch.at(std::min<qsizetype>(perBatch.size() - 1, perBatch.size() * 99 / 100));
    res.maxMs = perBatch.last();
    if (model.rowCount() > model.maxRows())
        qFatal("the log exceeded its row cap");
    return res;
}

void print(QTextStream &out, const char *label, const Result &r)
{
    out << label << ": " << qRound64(r.rows / r.seconds) << " rows/s, "
        << qRound64(r.frames / r.seconds) << " frames/s (" << r.rows << " rows, " << r.frames
        << " frames in " << QString::number(r.seconds, 'f', 2) << " s; per 100-ms batch p50 "
        << QString::number(r.p50Ms, 'f', 1) << " ms, p99 " << QString::number(r.p99Ms, 'f', 1)
        << " ms, max " << QString::number(r.maxMs, 'f', 1) << " ms)\n";
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Workload w;
    const QStringList args = app.arguments();
    if (args.size() > 1)
        w.rowsPerBatch = std::max(1, args.at(1).toInt());
    if (args.size() > 2)
        w.batches = std::max(2, args.at(2).toInt());
    if (args.size() > 3)
        w.framesPerRequest = std::max(0, args.at(3).toInt());

    QTextStream out(stdout);
    out << "logview_bench: " << w.rowsPerBatch << " new requests per batch (+ as many updates), "
        << w.framesPerRequest << " SSE frames each, " << w.batches << " batches, row cap "
        << RequestLogModel::kDefaultMaxRows << "\n";

    const Result batched
        = run(w, w.batches, [](RequestLogModel &m, const LogBatch &b) { m.appendBatch(b); });
    print(out, "batched (one insertion per batch)", batched);

    // The naive way: every record and frame delivered on its own. Fewer batches: it is slow.
    const int naiveBatches = std::max(2, w.batches / 10);
    const Result naive = run(w, naiveBatches, [](RequestLogModel &m, const LogBatch &b) {
        for (const RequestRecord &r : b.records)
            m.appendBatch(LogBatch {{r}, {}});
        for (const SseFrameRecord &f : b.frames)
            m.appendBatch(LogBatch {{}, {f}});
    });
    print(out, "naive (one insertion per event)  ", naive);

    out << "ratio: batched sustains "
        << QString::number((batched.rows / batched.seconds) / (naive.rows / naive.seconds), 'f', 1)
        << "x the naive row rate\n";
    out.flush();
    return 0;
}
