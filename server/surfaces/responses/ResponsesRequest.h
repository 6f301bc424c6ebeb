#pragma once

// A parsed and validated POST /v1/responses body (SPEC.md section 11, request fields and input
// items): every field with its validation message naming it ("input[2].call_id: expected a
// non-empty string"), the input as its items, the tools and tool choice as they go upstream in
// chat form (function tools only; other tool types are accepted and kept back), and what the
// response object echoes. Pure value code, any thread.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace passerelle {

struct ResponsesRequest
{
    QJsonObject body; // the whole request object as sent
    QString model; // "" when absent
    QJsonArray input; // the input items ({type:"message",role:"user",content} for a string input)
    QString instructions; // "" when absent
    bool hasInstructions = false;
    bool stream = false; // only a literal JSON true
    bool store = true;
    QString user;
    QString previousResponseId; // "" when absent
    std::optional<qint64> maxOutputTokens;
    QJsonObject metadata; // at most 16 string values
    // Echoed in the response object: the request's tools (function tools in the flat form),
    // tool_choice ("auto" when absent), text ({"format":{"type":"text"}} when absent) and the
    // sampling fields (null when absent).
    QJsonArray tools;
    QJsonValue toolChoice;
    QJsonObject text;
    QJsonValue temperature;
    QJsonValue topP;
    bool parallelToolCalls = true;
    // Sent upstream (RunRequest::sampling): temperature, top_p, response_format, and when the
    // request has function tools: tools and tool_choice in chat form, parallel_tool_calls.
    QJsonObject upstream;

    // Parses and validates. An empty body counts as {}. On failure returns the exact message.
    std::optional<QString> parse(const QByteArray &body);
};

} // namespace passerelle
