#pragma once

// The built-in `echo` model (SPEC.md section 9): answers with exactly the built prompt, one content
// delta per word (whitespace kept with the word), counting whitespace-separated words as tokens,
// honouring max_tokens (finish "length") and stop sequences, with an optional pause between pieces
// to play a slow model, paced by the thread's RunPacer (no timer of its own). A big prompt is
// measured (stops, tokens) off the server thread and its words go out in slices of a few
// milliseconds (SPEC.md section 14, "Big requests"), one word at a time from the prompt itself,
// never as a list of millions of strings. Server thread.

#include "providers/Backend.h"
#include "providers/RunPacer.h"

#include <QElapsedTimer>
#include <QStringList>

namespace passerelle {

struct EchoPlan
{
    QStringList pieces; // the deltas, in order
    QString finishReason; // "stop" or "length"
    QString stopSequence; // with "stop": the stop sequence that cut the reply ("" if none)
    Usage usage;
};

class EchoBackend final : public BackendRun, private RunPacer::Client
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoBackend)

public:
    EchoBackend(const BackendRequest &request, int chunkDelayMs, RunPacer *pacer,
                QObject *parent = nullptr);

    void start() override;
    void abort() override;
    void setPaused(bool paused) override;

    // What the echo model answers to a request: pure, for tests.
    static EchoPlan plan(const BackendRequest &request);
    static QStringList splitWords(const QString &text); // each word with its trailing whitespace
    static qint64 countWords(const QString &text);

    // Prompts longer than this are measured on a pool thread.
    static constexpr qsizetype kInlineChars = 256 * 1024;
    // Without a delay, pieces go out for this long per turn of the event loop.
    static constexpr int kSliceMs = 4;

private:
    struct Measure
    {
        qsizetype replyLength = 0; // the prompt up to the earliest stop sequence
        QString stopSequence; // the one found there ("" if none)
        qint64 promptTokens = 0;
    };
    static Measure measure(const QString &system, const QString &prompt, const QStringList &stop);
    // The end of the piece starting at `from` (the first one carries the leading whitespace).
    static qsizetype pieceEnd(QStringView text, qsizetype from);
    void measured(const Measure &m);
    void paced() override { emitNext(); }
    void emitNext();
    void emitSoon(); // from the event loop, never inside the caller
    void finish();

    BackendRequest m_request;
    int m_chunkDelayMs = 0;
    QString m_reply; // shares the prompt's data
    qsizetype m_replyLength = -1; // -1: not measured yet
    QString m_stopFound; // the stop sequence that ends the reply ("" if none)
    qsizetype m_pos = 0;
    qint64 m_pieces = 0;
    Usage m_usage;
    bool m_aborted = false;
    bool m_paused = false;
    bool m_started = false;
    bool m_soon = false; // an emitSoon() call is queued
    RunPacer *m_pacer = nullptr;
};

} // namespace passerelle
