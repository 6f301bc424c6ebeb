#pragma once

// The input items of a Responses request as the canonical OpenAI chat `messages` (SPEC.md section
// 11, "prompt building is section 4's, item for item"): `instructions` first as a system message,
// message items by role (input_text/output_text parts as text, input_image as image_url, files
// carry nothing), function_call items as the assistant's tool_calls (merged into the assistant
// message before them), function_call_output items as `role: tool` messages with tool_call_id;
// reasoning, item_reference and other items dropped. PromptBuilder and the providers read those
// messages as they read a chat request's. Pure, any thread.

#include <QJsonArray>
#include <QString>

namespace passerelle {

class ResponsesInput
{
public:
    static QJsonArray messages(const QString &instructions, bool hasInstructions,
                               const QJsonArray &items);
    // Whether the messages hold a current turn: a user message or a tool result with text (else
    // the 400 "Missing user message in `input`.").
    static bool hasCurrentTurn(const QJsonArray &messages);
};

} // namespace passerelle
