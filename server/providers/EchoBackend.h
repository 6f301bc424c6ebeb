#pragma once

// The built-in `echo` model (SPEC.md section 9): answers with exactly the built prompt, one content
// delta per word (whitespace kept with the word), counting whitespace-separated words as tokens,
// honouring max_tokens (finish "length") and stop sequences, with an optional pause between pieces
// to play a slow model, paced by the thread's RunPacer (no timer of its own). Server thread.

#include "providers/Backend.h"
#include "providers/RunPacer.h"

#include <QStringList>

namespace passerelle {

struct EchoPlan
{
    QStringList pieces; // the deltas, in order
    QString finishReason; // "stop" or "length"
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

private:
    void paced() override { emitNext(); }
    void emitNext();
    void emitSoon(); // from the event loop, never inside the caller

    EchoPlan m_plan;
    int m_chunkDelayMs = 0;
    int m_next = 0;
    bool m_aborted = false;
    bool m_paused = false;
    bool m_started = false;
    bool m_soon = false; // an emitSoon() call is queued
    RunPacer *m_pacer = nullptr;
};

} // namespace passerelle
