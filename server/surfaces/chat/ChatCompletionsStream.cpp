#include "surfaces/chat/ChatCompletionsStream.h"

#include "engine/AgentRun.h"

namespace passerelle {

void ChatCompletionsStream::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                                  RunRequest request, const CompletionMeta &meta, bool includeUsage)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    const bool stream = request.record.stream;
    auto *answer = new ChatCompletionsStream(exchange, ticker, meta, stream, includeUsage);
    answer->launch(exchange, engine, std::move(request));
}

void ChatCompletionsStream::streamOpened()
{
    // The role chunk goes out at once, before the backend answers.
    writeData(CompletionFormat::roleChunk(m_meta));
}

ChatCompletionsStream::ChatCompletionsStream(HttpExchange &exchange, StreamTicker *ticker,
                                             const CompletionMeta &meta, bool stream,
                                             bool includeUsage)
    : RunAnswer(exchange, ticker, stream), m_meta(meta), m_includeUsage(includeUsage)
{
    if (stream)
        m_contentFrame = CompletionFormat::contentFrame(meta);
}

void ChatCompletionsStream::runContent(const QString &text)
{
    if (sse())
        writeData(CompletionFormat::contentChunk(m_contentFrame, text));
}

void ChatCompletionsStream::runToolCall(const QJsonObject &delta)
{
    if (sse())
        writeData(CompletionFormat::toolCallChunk(m_meta, delta));
}

void ChatCompletionsStream::runFinished(const RunResult &result)
{
    const QString reply = result.isEmpty() ? CompletionFormat::emptyReplyText() : result.text;
    if (sse()) {
        if (result.isEmpty())
            writeData(CompletionFormat::contentChunk(m_meta, reply));
        writeData(CompletionFormat::finishChunk(m_meta, result.finishReason));
        if (m_includeUsage)
            writeData(CompletionFormat::usageChunk(m_meta, result.usage));
        writeData(QByteArrayLiteral("[DONE]"));
        sse()->end();
        if (run())
            run()->setResponseBody(reply.left(RequestLog::kBodyCap).toUtf8());
    } else {
        const QString content = result.toolCalls.isEmpty() ? reply : QString();
        writeReply(
            HttpReply::jsonBytes(200,
                                 CompletionFormat::completion(m_meta, content, result.toolCalls,
                                                              result.finishReason, result.usage)));
    }
    done();
}

void ChatCompletionsStream::runFailed(const RunFailure &failure)
{
    if (sse()) {
        // The headers are gone already: an error frame, then [DONE], and no finish chunk.
        writeData(
            ApiError {failure.error.status, QStringLiteral("api_error"), failure.error.message, {}}
                .body());
        writeData(QByteArrayLiteral("[DONE]"));
        sse()->end();
    } else {
        writeFailure(failure);
    }
    done();
}

} // namespace passerelle
