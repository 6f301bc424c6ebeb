#include "surfaces/messages/MessageBuilder.h"

#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace passerelle {

MessageBuilder::MessageBuilder(MessageMeta meta, Sink sink)
    : m_meta(std::move(meta)), m_sink(std::move(sink))
{
}

QString MessageBuilder::newId(const QString &prefix)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix + QLatin1Char('_');
    for (int i = 0; i < 24; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

QString MessageBuilder::stopReason(const RunResult &result)
{
    if (result.finishReason == QLatin1String("length"))
        return QStringLiteral("max_tokens");
    if (result.finishReason == QLatin1String("tool_calls"))
        return QStringLiteral("tool_use");
    if (result.finishReason == QLatin1String("stop") && !result.stopSequence.isEmpty())
        return QStringLiteral("stop_sequence");
    return QStringLiteral("end_turn");
}

QJsonValue MessageBuilder::stopSequence(const RunResult &result)
{
    if (stopReason(result) == QLatin1String("stop_sequence"))
        return result.stopSequence;
    return QJsonValue::Null;
}

QString MessageBuilder::streamErrorType(const RunFailure &failure)
{
    return failure.kind == BackendError::Kind::Overloaded
            || failure.kind == BackendError::Kind::Busy
        ? QStringLiteral("overloaded_error")
        : QStringLiteral("api_error");
}

void MessageBuilder::emitEvent(const QString &type, QJsonObject payload)
{
    if (!m_sink)
        return;
    payload.insert(QStringLiteral("type"), type);
    m_sink(type.toUtf8(), QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

QJsonObject MessageBuilder::blockJson(const Block &block, bool done) const
{
    if (!block.toolUse)
        return {{QStringLiteral("type"), QStringLiteral("text")},
                {QStringLiteral("text"), done ? block.text : QString()}};
    QJsonObject input;
    if (done) {
        const QJsonDocument parsed = QJsonDocument::fromJson(block.text.toUtf8());
        input = parsed.object(); // arguments that are not a JSON object give {}
    }
    return {{QStringLiteral("type"), QStringLiteral("tool_use")},
            {QStringLiteral("id"), block.id},
            {QStringLiteral("name"), block.name},
            {QStringLiteral("input"), input}};
}

QJsonObject MessageBuilder::message(const QJsonArray &content, const QJsonValue &stopReason,
                                    const QJsonValue &stopSequence, const QJsonObject &usage) const
{
    return {{QStringLiteral("id"), m_meta.id},
            {QStringLiteral("type"), QStringLiteral("message")},
            {QStringLiteral("role"), QStringLiteral("assistant")},
            {QStringLiteral("model"), m_meta.model},
            {QStringLiteral("content"), content},
            {QStringLiteral("stop_reason"), stopReason},
            {QStringLiteral("stop_sequence"), stopSequence},
            {QStringLiteral("usage"), usage}};
}

void MessageBuilder::begin()
{
    emitEvent(QStringLiteral("message_start"),
              {{QStringLiteral("message"),
                message({}, QJsonValue::Null, QJsonValue::Null,
                        {{QStringLiteral("input_tokens"), m_meta.inputTokens},
                         {QStringLiteral("output_tokens"), 0}})}});
    ping();
}

void MessageBuilder::ping()
{
    emitEvent(QStringLiteral("ping"), {});
}

void MessageBuilder::start(int index)
{
    Block &block = m_blocks[index];
    if (block.started)
        return;
    block.started = true;
    emitEvent(QStringLiteral("content_block_start"),
              {{QStringLiteral("index"), index},
               {QStringLiteral("content_block"), blockJson(block, false)}});
}

void MessageBuilder::stop(int index)
{
    Block &block = m_blocks[index];
    if (block.stopped)
        return;
    block.stopped = true;
    emitEvent(QStringLiteral("content_block_stop"), {{QStringLiteral("index"), index}});
}

void MessageBuilder::stopOpen()
{
    for (int i = 0; i < m_blocks.size(); ++i) {
        if (m_blocks.at(i).started)
            stop(i);
    }
}

void MessageBuilder::content(const QString &delta)
{
    if (m_ended || delta.isEmpty())
        return;
    if (m_blocks.isEmpty() || m_blocks.last().toolUse || m_blocks.last().stopped) {
        stopOpen();
        m_blocks.append(Block());
        start(int(m_blocks.size() - 1));
    }
    const int index = int(m_blocks.size() - 1);
    m_blocks[index].text += delta;
    emitEvent(QStringLiteral("content_block_delta"),
              {{QStringLiteral("index"), index},
               {QStringLiteral("delta"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("text_delta")},
                             {QStringLiteral("text"), delta}}}});
}

void MessageBuilder::toolCall(const QJsonObject &delta)
{
    if (m_ended)
        return;
    const QJsonObject fn = delta.value(QLatin1String("function")).toObject();
    const QString arguments = fn.value(QLatin1String("arguments")).toString();
    const QString name = fn.value(QLatin1String("name")).toString();
    const int toolIndex = delta.value(QLatin1String("index")).toInt(0);
    int index = -1;
    for (int i = 0; i < m_blocks.size(); ++i) {
        if (m_blocks.at(i).toolUse && m_blocks.at(i).toolIndex == toolIndex)
            index = i;
    }
    if (index < 0) {
        stopOpen();
        Block block;
        block.toolUse = true;
        block.toolIndex = toolIndex;
        const QString id = delta.value(QLatin1String("id")).toString();
        block.id = id.startsWith(QLatin1String("toolu_")) ? id : m_newId(QStringLiteral("toolu"));
        m_blocks.append(block);
        index = int(m_blocks.size() - 1);
    }
    Block &block = m_blocks[index];
    if (block.name.isEmpty())
        block.name = name;
    // content_block_start names the tool: it waits for the delta that carries the name, and the
    // arguments that came before it go out with the first input_json_delta.
    if (!block.started && block.name.isEmpty()) {
        block.text += arguments;
        return;
    }
    const bool fresh = !block.started;
    start(index);
    const QString partial = fresh ? block.text + arguments : arguments;
    block.text += arguments;
    if (partial.isEmpty() || block.stopped)
        return;
    emitEvent(QStringLiteral("content_block_delta"),
              {{QStringLiteral("index"), index},
               {QStringLiteral("delta"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("input_json_delta")},
                             {QStringLiteral("partial_json"), partial}}}});
}

QJsonObject MessageBuilder::finalMessage(const RunResult &result)
{
    if (m_ended)
        return m_final;
    m_ended = true;
    if (m_blocks.isEmpty()) { // SPEC 15: an empty output is one text block with section 4's text
        Block block;
        block.text = CompletionFormat::emptyReplyText();
        m_blocks.append(block);
    }
    QJsonArray content;
    for (const Block &block : m_blocks)
        content.append(blockJson(block, true));
    m_final = message(content, stopReason(result), stopSequence(result),
                      {{QStringLiteral("input_tokens"), result.usage.promptTokens},
                       {QStringLiteral("output_tokens"), result.usage.completionTokens}});
    return m_final;
}

void MessageBuilder::finish(const RunResult &result)
{
    if (m_failed)
        return;
    finalMessage(result);
    for (int i = 0; i < m_blocks.size(); ++i) {
        Block &block = m_blocks[i];
        if (!block.started) {
            // The empty reply's block, or a tool call whose name never came.
            start(i);
            if (!block.text.isEmpty())
                emitEvent(
                    QStringLiteral("content_block_delta"),
                    {{QStringLiteral("index"), i},
                     {QStringLiteral("delta"),
                      block.toolUse
                          ? QJsonObject {{QStringLiteral("type"),
                                          QStringLiteral("input_json_delta")},
                                         {QStringLiteral("partial_json"), block.text}}
                          : QJsonObject {{QStringLiteral("type"), QStringLiteral("text_delta")},
                                         {QStringLiteral("text"), block.text}}}});
        }
        stop(i);
    }
    emitEvent(QStringLiteral("message_delta"),
              {{QStringLiteral("delta"),
                QJsonObject {{QStringLiteral("stop_reason"), stopReason(result)},
                             {QStringLiteral("stop_sequence"), stopSequence(result)}}},
               {QStringLiteral("usage"),
                QJsonObject {{QStringLiteral("output_tokens"), result.usage.completionTokens}}}});
    emitEvent(QStringLiteral("message_stop"), {});
}

void MessageBuilder::fail(const RunFailure &failure)
{
    if (m_ended)
        return;
    m_ended = true;
    m_failed = true;
    emitEvent(QStringLiteral("error"),
              {{QStringLiteral("error"),
                QJsonObject {{QStringLiteral("type"), streamErrorType(failure)},
                             {QStringLiteral("message"), failure.error.message}}}});
}

} // namespace passerelle
