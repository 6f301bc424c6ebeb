#pragma once

// A parsed and validated POST /v1/messages (or /v1/messages/count_tokens) body, the Anthropic
// Messages API of SPEC.md section 15: every field with its validation message naming it
// ("messages[1].content[0].tool_use_id: expected a non-empty string"), the system text, the
// messages as sent, and what goes upstream in OpenAI chat form: temperature, top_p, the tools
// without a `type` as function tools (server tools such as web_search_* are accepted and kept
// back), tool_choice and the stop sequences. Pure value code, any thread.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace passerelle {

struct MessagesRequest
{
    // count_tokens bodies carry no max_tokens; the other fields are the same.
    enum class Kind { Create, CountTokens };

    QJsonObject body; // the whole request object as sent
    QString model;
    std::optional<qint64> maxTokens; // required for Create
    QJsonArray messages; // [{role, content}] as sent (validated)
    QString system; // the `system` string, or its text blocks joined by "\n"
    bool stream = false; // only a literal JSON true
    QStringList stopSequences;
    // Sent upstream (RunRequest::sampling): temperature, top_p, and when the request has tools
    // the model can call: tools and tool_choice in chat form, parallel_tool_calls.
    QJsonObject upstream;

    // Parses and validates. An empty body counts as {}. On failure returns the exact message.
    std::optional<QString> parse(const QByteArray &body, Kind kind = Kind::Create);
};

} // namespace passerelle
