#pragma once

// The chat-completions answer to one run (SPEC.md section 4 after validation): turns the run's
// events into one JSON completion, or into an SSE stream in the exact frame order (the role chunk
// at once, a chunk per delta, one finish chunk, usage when asked, [DONE]; the error frame on a
// failure after the headers). The socket, keep-alive and client-gone handling are RunAnswer's.
// Server thread.

#include "surfaces/RunAnswer.h"
#include "surfaces/chat/CompletionFormat.h"

namespace passerelle {

class ChatCompletionsStream final : public RunAnswer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionsStream)

public:
    // Starts the run and answers it on the exchange's socket (an error reply at once if the
    // engine refuses it).
    static void start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                      RunRequest request, const CompletionMeta &meta, bool includeUsage);

private:
    ChatCompletionsStream(HttpExchange &exchange, StreamTicker *ticker, const CompletionMeta &meta,
                          bool stream, bool includeUsage);

    // RunObserver
    void runContent(const QString &text) override;
    void runToolCall(const QJsonObject &delta) override;
    void runFinished(const RunResult &result) override;
    void runFailed(const RunFailure &failure) override;
    void streamOpened() override;

    CompletionMeta m_meta;
    CompletionFormat::ContentFrame m_contentFrame;
    bool m_includeUsage = false;
};

} // namespace passerelle
