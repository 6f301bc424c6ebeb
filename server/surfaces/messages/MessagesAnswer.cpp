#include "surfaces/messages/MessagesAnswer.h"

#include "engine/AgentRun.h"
#include "surfaces/chat/CompletionFormat.h"
#include "surfaces/messages/AnthropicError.h"

namespace passerelle {

HttpReply MessagesAnswer::failureReply(const RunFailure &failure)
{
    HttpReply reply = AnthropicError::reply(failure.error);
    // Anthropic clients back off on 429 and 529 by Retry-After.
    if (reply.status == 429 || reply.status == 529 || failure.retryAfterSeconds > 0)
        reply.withHeader("Retry-After", QByteArray::number(qMax(1, failure.retryAfterSeconds)));
    return reply;
}

void MessagesAnswer::start(HttpExchange &exchange, RunEngine *engine, StreamTicker *ticker,
                           RunRequest request, const MessageMeta &meta)
{
    if (!exchange.isConnected())
        return; // the client left while the request was read
    auto *answer = new MessagesAnswer(exchange, ticker, meta, request.record.stream);
    answer->launch(exchange, engine, std::move(request));
}

MessagesAnswer::MessagesAnswer(HttpExchange &exchange, StreamTicker *ticker,
                               const MessageMeta &meta, bool stream)
    : RunAnswer(exchange, ticker, stream),
      m_builder(meta,
                stream
                    ? MessageBuilder::Sink([this](const QByteArray &type, const QByteArray &json) {
                          writeEvent(type, json);
                      })
                    : MessageBuilder::Sink())
{
}

HttpReply MessagesAnswer::errorReply(const RunFailure &failure) const
{
    return failureReply(failure);
}

void MessagesAnswer::writeKeepAlive()
{
    // Anthropic's keep-alive is a ping event, which its SDKs read (and skip) like any other.
    m_builder.ping();
}

void MessagesAnswer::streamOpened()
{
    m_builder.begin(); // message_start and a ping, before the backend answers
}

void MessagesAnswer::runContent(const QString &text)
{
    m_builder.content(text);
}

void MessagesAnswer::runToolCall(const QJsonObject &delta)
{
    m_builder.toolCall(delta);
}

void MessagesAnswer::runFinished(const RunResult &result)
{
    if (sse()) {
        m_builder.finish(result);
        sse()->end();
        if (run())
            run()->setResponseBody(result.isEmpty() ? CompletionFormat::emptyReplyText().toUtf8()
                                                    : result.text.toUtf8());
    } else {
        writeReply(HttpReply::json(200, m_builder.finalMessage(result)));
    }
    done();
}

void MessagesAnswer::runFailed(const RunFailure &failure)
{
    if (sse() && sse()->hasBegun()) {
        // The headers are gone already: an error event, and the stream ends.
        m_builder.fail(failure);
        sse()->end();
    } else {
        writeFailure(failure);
    }
    done();
}

} // namespace passerelle
