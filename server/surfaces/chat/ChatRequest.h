#pragma once

// A parsed and validated chat-completions request body (SPEC.md section 4, steps 4 and 5).
// Pure value code, any thread.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace passerelle {

struct ChatRequest
{
    QJsonObject body; // the whole request object as sent
    QString model; // "" when absent
    QJsonArray messages;
    bool stream = false; // only a literal JSON true
    bool includeUsage = false; // stream_options.include_usage
    QString user; // "" when absent
    std::optional<qint64> maxTokens; // max_completion_tokens, else max_tokens
    QStringList stop; // normalised to a list
    // Validated fields forwarded upstream unchanged: temperature, top_p, frequency_penalty,
    // presence_penalty, seed, response_format, tools, tool_choice, parallel_tool_calls.
    QJsonObject passthrough;

    // Parses and validates. An empty body counts as {}. On failure returns the exact error message
    // of SPEC section 4 (e.g. "messages: expected an array"), and *this is unspecified.
    std::optional<QString> parse(const QByteArray &body);
};

} // namespace passerelle
