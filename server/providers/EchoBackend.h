#pragma once

// The built-in `echo` model (SPEC.md section 9): answers with exactly the built prompt, one content
// delta per word (whitespace kept with the word), counting whitespace-separated words as tokens,
// honouring max_tokens (finish "length") and stop sequences, with an optional pause between pieces
// to play a slow model. Server thread.

#include "providers/Backend.h"

#include <QStringList>
#include <QTimer>

namespace passerelle {

struct EchoPlan
{
    QStringList pieces; // the deltas, in order
    QString finishReason; // "stop" or "length"
    Usage usage;
};

class EchoBackend final : public BackendRun
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoBackend)

public:
    EchoBackend(const BackendRequest &request, int chunkDelayMs, QObject *parent = nullptr);

    void start() override;
    void abort() override;
    void setPaused(bool paused) override;

    // What the echo model answers to a request: pure, for tests.
    static EchoPlan plan(const BackendRequest &request);
    static QStringList splitWords(const QString &text); // each word with its trailing whitespace
    static qint64 countWords(const QString &text);

private:
    void emitNext();

    EchoPlan m_plan;
    int m_chunkDelayMs = 0;
    int m_next = 0;
    bool m_aborted = false;
    bool m_paused = false;
    bool m_started = false;
    QTimer m_timer;
};

} // namespace passerelle
