#include "surfaces/responses/ResponseBuilder.h"

#include "RandomId.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QJsonDocument>

namespace passerelle {

ResponseBuilder::ResponseBuilder(ResponseMeta meta, Sink sink)
    : m_meta(std::move(meta)), m_sink(std::move(sink))
{
}

QString ResponseBuilder::newId(const QString &prefix)
{
    return prefix + QLatin1Char('_') + RandomId::uuid().toString(QUuid::Id128);
}

QString ResponseBuilder::errorCode(const RunFailure &failure)
{
    switch (failure.kind) {
    case BackendError::Kind::RateLimited:
        return QStringLiteral("rate_limit_exceeded");
    case BackendError::Kind::BadRequest:
        return QStringLiteral("invalid_prompt");
    default:
        return QStringLiteral("server_error");
    }
}

QJsonObject ResponseBuilder::usageJson(const Usage &usage)
{
    return {{QStringLiteral("input_tokens"), usage.promptTokens},
            {QStringLiteral("output_tokens"), usage.completionTokens},
            {QStringLiteral("total_tokens"), usage.total()}};
}

QJsonObject ResponseBuilder::itemJson(const Item &item, bool done) const
{
    const QString status = done ? QStringLiteral("completed") : QStringLiteral("in_progress");
    if (item.function)
        return {{QStringLiteral("type"), QStringLiteral("function_call")},
                {QStringLiteral("id"), item.id},
                {QStringLiteral("call_id"), item.callId},
                {QStringLiteral("name"), item.name},
                {QStringLiteral("arguments"), done ? item.text : QString()},
                {QStringLiteral("status"), status}};
    QJsonArray content;
    if (done)
        content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("output_text")},
                                    {QStringLiteral("text"), item.text},
                                    {QStringLiteral("annotations"), QJsonArray {}}});
    return {{QStringLiteral("type"), QStringLiteral("message")},
            {QStringLiteral("id"), item.id},
            {QStringLiteral("status"), status},
            {QStringLiteral("role"), QStringLiteral("assistant")},
            {QStringLiteral("content"), content}};
}

QJsonObject ResponseBuilder::response(const QString &status, const QJsonValue &usage,
                                      const QJsonValue &error,
                                      const QJsonValue &incompleteDetails) const
{
    QJsonArray output;
    if (status != QLatin1String("in_progress") && status != QLatin1String("failed")) {
        for (const Item &item : m_items)
            output.append(itemJson(item, true));
    }
    return {{QStringLiteral("id"), m_meta.id},
            {QStringLiteral("object"), QStringLiteral("response")},
            {QStringLiteral("created_at"), m_meta.createdAt},
            {QStringLiteral("status"), status},
            {QStringLiteral("model"), m_meta.model},
            {QStringLiteral("output"), output},
            {QStringLiteral("usage"), usage},
            {QStringLiteral("previous_response_id"), m_meta.previousResponseId},
            {QStringLiteral("instructions"), m_meta.instructions},
            {QStringLiteral("metadata"), m_meta.metadata},
            {QStringLiteral("tool_choice"), m_meta.toolChoice},
            {QStringLiteral("tools"), m_meta.tools},
            {QStringLiteral("temperature"), m_meta.temperature},
            {QStringLiteral("top_p"), m_meta.topP},
            {QStringLiteral("max_output_tokens"), m_meta.maxOutputTokens},
            {QStringLiteral("parallel_tool_calls"), m_meta.parallelToolCalls},
            {QStringLiteral("store"), m_meta.store},
            {QStringLiteral("text"), m_meta.text},
            {QStringLiteral("user"), m_meta.user},
            {QStringLiteral("error"), error},
            {QStringLiteral("incomplete_details"), incompleteDetails}};
}

void ResponseBuilder::emitEvent(const QString &type, QJsonObject payload)
{
    if (!m_sink)
        return;
    payload.insert(QStringLiteral("type"), type);
    payload.insert(QStringLiteral("sequence_number"), m_sequence++);
    m_sink(type.toUtf8(), QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

void ResponseBuilder::begin()
{
    const QJsonObject pending = response(QStringLiteral("in_progress"), QJsonValue::Null);
    emitEvent(QStringLiteral("response.created"), {{QStringLiteral("response"), pending}});
    emitEvent(QStringLiteral("response.in_progress"), {{QStringLiteral("response"), pending}});
}

void ResponseBuilder::announce(int index)
{
    Item &item = m_items[index];
    if (item.announced)
        return;
    item.announced = true;
    emitEvent(
        QStringLiteral("response.output_item.added"),
        {{QStringLiteral("output_index"), index}, {QStringLiteral("item"), itemJson(item, false)}});
    if (!item.function)
        emitEvent(QStringLiteral("response.content_part.added"),
                  {{QStringLiteral("item_id"), item.id},
                   {QStringLiteral("output_index"), index},
                   {QStringLiteral("content_index"), 0},
                   {QStringLiteral("part"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("output_text")},
                                 {QStringLiteral("text"), QString()},
                                 {QStringLiteral("annotations"), QJsonArray {}}}}});
}

void ResponseBuilder::close(int index)
{
    Item &item = m_items[index];
    if (item.closed)
        return;
    item.closed = true;
    if (item.function) {
        emitEvent(QStringLiteral("response.function_call_arguments.done"),
                  {{QStringLiteral("item_id"), item.id},
                   {QStringLiteral("output_index"), index},
                   {QStringLiteral("name"), item.name},
                   {QStringLiteral("arguments"), item.text}});
    } else {
        emitEvent(QStringLiteral("response.output_text.done"),
                  {{QStringLiteral("item_id"), item.id},
                   {QStringLiteral("output_index"), index},
                   {QStringLiteral("content_index"), 0},
                   {QStringLiteral("text"), item.text},
                   {QStringLiteral("logprobs"), QJsonArray {}}});
        emitEvent(QStringLiteral("response.content_part.done"),
                  {{QStringLiteral("item_id"), item.id},
                   {QStringLiteral("output_index"), index},
                   {QStringLiteral("content_index"), 0},
                   {QStringLiteral("part"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("output_text")},
                                 {QStringLiteral("text"), item.text},
                                 {QStringLiteral("annotations"), QJsonArray {}}}}});
    }
    emitEvent(
        QStringLiteral("response.output_item.done"),
        {{QStringLiteral("output_index"), index}, {QStringLiteral("item"), itemJson(item, true)}});
}

void ResponseBuilder::closeOpen(int keep)
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (i != keep && m_items.at(i).announced)
            close(i);
    }
}

int ResponseBuilder::openMessage()
{
    if (!m_items.isEmpty() && !m_items.last().function && !m_items.last().closed)
        return int(m_items.size() - 1);
    closeOpen();
    Item item;
    item.id = m_newId(QStringLiteral("msg"));
    m_items.append(item);
    const int index = int(m_items.size() - 1);
    announce(index);
    return index;
}

void ResponseBuilder::content(const QString &delta)
{
    if (m_ended || delta.isEmpty())
        return;
    const int index = openMessage();
    m_items[index].text += delta;
    emitEvent(QStringLiteral("response.output_text.delta"),
              {{QStringLiteral("item_id"), m_items.at(index).id},
               {QStringLiteral("output_index"), index},
               {QStringLiteral("content_index"), 0},
               {QStringLiteral("delta"), delta},
               {QStringLiteral("logprobs"), QJsonArray {}}});
}

void ResponseBuilder::toolCall(const QJsonObject &delta)
{
    if (m_ended)
        return;
    const QJsonObject fn = delta.value(QLatin1String("function")).toObject();
    const QString arguments = fn.value(QLatin1String("arguments")).toString();
    const QString name = fn.value(QLatin1String("name")).toString();
    const int toolIndex = delta.value(QLatin1String("index")).toInt(0);
    int index = -1;
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).function && m_items.at(i).toolIndex == toolIndex)
            index = i;
    }
    if (index < 0) {
        closeOpen();
        Item item;
        item.function = true;
        item.id = m_newId(QStringLiteral("fc"));
        item.toolIndex = toolIndex;
        const QString id = delta.value(QLatin1String("id")).toString();
        item.callId = id.isEmpty() ? m_newId(QStringLiteral("call")) : id;
        item.name = name;
        m_items.append(item);
        index = int(m_items.size() - 1);
        announce(index);
    } else if (m_items.at(index).name.isEmpty()) {
        m_items[index].name = name;
    }
    if (arguments.isEmpty())
        return;
    Item &item = m_items[index];
    item.text += arguments;
    if (!item.closed)
        emitEvent(QStringLiteral("response.function_call_arguments.delta"),
                  {{QStringLiteral("item_id"), item.id},
                   {QStringLiteral("output_index"), index},
                   {QStringLiteral("delta"), arguments}});
}

QJsonObject ResponseBuilder::finalResponse(const RunResult &result)
{
    if (m_ended)
        return m_final;
    m_ended = true;
    if (m_items.isEmpty()) { // SPEC 11: an empty output is one message with section 4's text
        Item item;
        item.id = m_newId(QStringLiteral("msg"));
        item.text = CompletionFormat::emptyReplyText();
        m_items.append(item);
    }
    const bool cut = result.finishReason == QLatin1String("length");
    m_final = response(cut ? QStringLiteral("incomplete") : QStringLiteral("completed"),
                       usageJson(result.usage), QJsonValue::Null,
                       cut ? QJsonValue(QJsonObject {
                           {QStringLiteral("reason"), QStringLiteral("max_output_tokens")}})
                           : QJsonValue(QJsonValue::Null));
    return m_final;
}

void ResponseBuilder::finish(const RunResult &result)
{
    if (m_failed)
        return;
    const QJsonObject done = finalResponse(result);
    for (int i = 0; i < m_items.size(); ++i) {
        if (!m_items.at(i).announced) {
            announce(i);
            const Item &item = m_items.at(i);
            if (!item.function && !item.text.isEmpty())
                emitEvent(QStringLiteral("response.output_text.delta"),
                          {{QStringLiteral("item_id"), item.id},
                           {QStringLiteral("output_index"), i},
                           {QStringLiteral("content_index"), 0},
                           {QStringLiteral("delta"), item.text},
                           {QStringLiteral("logprobs"), QJsonArray {}}});
        }
        close(i);
    }
    emitEvent(done.value(QLatin1String("status")).toString() == QLatin1String("incomplete")
                  ? QStringLiteral("response.incomplete")
                  : QStringLiteral("response.completed"),
              {{QStringLiteral("response"), done}});
}

void ResponseBuilder::fail(const RunFailure &failure)
{
    if (m_ended)
        return;
    m_ended = true;
    m_failed = true;
    const QJsonObject error {{QStringLiteral("code"), errorCode(failure)},
                             {QStringLiteral("message"), failure.error.message}};
    emitEvent(QStringLiteral("response.failed"),
              {{QStringLiteral("response"),
                response(QStringLiteral("failed"), QJsonValue::Null, error)}});
}

} // namespace passerelle
