#pragma once

// Turns OpenAI `messages` into the agent prompt exactly as OpenClaw does (SPEC.md section 4,
// "Prompt building"). Pure functions, any thread.

#include "providers/Backend.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

namespace passerelle {

struct BuiltPrompt
{
    QString prompt; // "" when there is no usable message: the 400 "Missing user message"
    QString extraSystemPrompt; // system + developer texts joined by "\n\n"
};

class PromptBuilder
{
public:
    static BuiltPrompt build(const QJsonArray &messages);
    // Text of one message's `content`: the string, or text/input_text parts joined by "\n";
    // trimmed.
    static QString contentText(const QJsonValue &content);
    // The conversation of `messages` as turns to keep (a stored response's input): user,
    // assistant (with its tool_calls) and tool (function) messages, their text as contentText();
    // system and developer text belongs to the request's system prompt, unknown roles are dropped.
    static QList<ChatTurn> conversationTurns(const QJsonArray &messages);
};

} // namespace passerelle
