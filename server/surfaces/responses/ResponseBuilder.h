#pragma once

// The Responses wire objects of one run (SPEC.md section 11): builds the output items as the run's
// deltas arrive (a message item per stretch of text, a function_call item per tool call) and the
// response object, and, with a sink, writes the streamed events in their exact order with
// `sequence_number` rising by one from 0: response.created and response.in_progress (begin),
// output_item.added / content_part.added / output_text.delta... / output_text.done /
// content_part.done / output_item.done for text, output_item.added /
// function_call_arguments.delta... / .done / output_item.done for each tool call, then
// response.completed or response.incomplete (finish), or response.failed (fail). The same builder
// answers a non-streaming request (no sink), so both carry the same items. Pure, any thread.

#include "engine/RunRequest.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace passerelle {

// The fields of a response object that come from its request.
struct ResponseMeta
{
    QString id; // "resp_<32 hex>"
    qint64 createdAt = 0; // unix seconds
    QString model; // the request's model, verbatim
    QJsonValue previousResponseId; // string or null
    QJsonValue instructions; // string or null
    QJsonObject metadata;
    QJsonValue toolChoice = QStringLiteral("auto");
    QJsonArray tools;
    QJsonValue temperature; // number or null
    QJsonValue topP;
    QJsonValue maxOutputTokens;
    bool parallelToolCalls = true;
    bool store = true;
    QJsonObject text; // {"format":{"type":"text"}}
    QJsonValue user;
};

class ResponseBuilder
{
public:
    // One event: its type (the SSE event name) and its compact JSON (with that type).
    using Sink = std::function<void(const QByteArray &type, const QByteArray &json)>;

    explicit ResponseBuilder(ResponseMeta meta, Sink sink = {});

    static QString newId(const QString &prefix); // "<prefix>_<32 hex>"
    // Where the item ids come from (newId by default; tests make them predictable).
    void setIdGenerator(std::function<QString(const QString &prefix)> generator)
    {
        m_newId = std::move(generator);
    }
    // The error code a failure's event carries: rate_limit_exceeded, invalid_prompt or
    // server_error.
    static QString errorCode(const RunFailure &failure);

    void begin(); // response.created, response.in_progress
    void content(const QString &delta);
    void toolCall(const QJsonObject &delta); // an OpenAI tool-call delta {index, id?, function}
    // The final response object of a finished run (items closed, the empty reply's message
    // added); the same object every time it is asked for.
    QJsonObject finalResponse(const RunResult &result);
    // Closes the open items and writes response.completed / response.incomplete.
    void finish(const RunResult &result);
    void fail(const RunFailure &failure); // response.failed

    // The response object in a state: "in_progress", "completed", "incomplete", "failed".
    QJsonObject response(const QString &status, const QJsonValue &usage,
                         const QJsonValue &error = QJsonValue::Null,
                         const QJsonValue &incompleteDetails = QJsonValue::Null) const;
    static QJsonObject usageJson(const Usage &usage);

private:
    struct Item
    {
        bool function = false;
        QString id; // msg_... / fc_...
        int toolIndex = -1; // the upstream tool-call index
        QString callId;
        QString name;
        QString text; // message text, or function arguments
        bool announced = false; // output_item.added went out
        bool closed = false; // output_item.done went out (or would have)
    };

    void emitEvent(const QString &type, QJsonObject payload);
    void announce(int index);
    void close(int index);
    void closeOpen(int keep = -1);
    QJsonObject itemJson(const Item &item, bool done) const;
    int openMessage();

    ResponseMeta m_meta;
    Sink m_sink;
    std::function<QString(const QString &prefix)> m_newId = &ResponseBuilder::newId;
    QList<Item> m_items;
    int m_sequence = 0;
    bool m_ended = false;
    bool m_failed = false;
    QJsonObject m_final;
};

} // namespace passerelle
