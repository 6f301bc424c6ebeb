#pragma once

// The messages of an Anthropic Messages request as the canonical OpenAI chat `messages` (SPEC.md
// section 15, "prompt building is section 4's"): `system` first as a system message; a `system`
// message (Claude Code sends one after the user turn) as a system message, so its text joins the
// extra system prompt; user text blocks as the user's text (image blocks as image_url parts,
// documents carry nothing); each tool_result block as a `role: tool` message with tool_call_id
// (its content string or text blocks); assistant text with its tool_use blocks as the
// assistant's tool_calls (input as the JSON arguments string); thinking blocks dropped.
// PromptBuilder and the providers read those messages as they read a chat request's. Pure, any
// thread.

#include <QJsonArray>
#include <QString>

namespace passerelle {

class MessagesInput
{
public:
    static QJsonArray chatMessages(const QString &system, const QJsonArray &messages);
};

} // namespace passerelle
