// libFuzzer harness of the Anthropic Messages surface's input (SPEC.md section 15): any body
// through MessagesRequest::parse as a create and as a count_tokens request and, when it validates,
// what MessagesRoute does next: its system and messages as chat messages (MessagesInput), the
// prompt built from them, the conversation's turns and the input token estimate. A refusal must
// carry its message, a count_tokens body is accepted whenever the create one is; nothing may
// crash or hang. Fuzzing thread.

#include "config/GatewayConfig.h"
#include "engine/PromptBuilder.h"
#include "surfaces/messages/MessagesInput.h"
#include "surfaces/messages/MessagesRequest.h"
#include "surfaces/messages/MessagesRoute.h"

#include <cstdlib>

using namespace passerelle;

namespace {

bool parsed(const QByteArray &body, MessagesRequest::Kind kind, MessagesRequest *request)
{
    const std::optional<QString> error = request->parse(body, kind);
    if (error && error->isEmpty())
        std::abort();
    return !error;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    const QByteArray body
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    MessagesRequest create;
    const bool created = parsed(body, MessagesRequest::Kind::Create, &create);
    MessagesRequest count;
    const bool counted = parsed(body, MessagesRequest::Kind::CountTokens, &count);
    if (created && (!counted || !create.maxTokens || *create.maxTokens <= 0))
        std::abort(); // count_tokens asks the same but max_tokens
    if (!counted)
        return 0;
    const QJsonArray chat = MessagesInput::chatMessages(count.system, count.messages);
    for (const QJsonValue &message : chat) {
        if (!message.isObject() || !message.toObject().value(QLatin1String("role")).isString())
            std::abort();
        (void)PromptBuilder::contentText(message.toObject().value(QLatin1String("content")));
    }
    const BuiltPrompt prompt = PromptBuilder::build(chat);
    (void)PromptBuilder::conversationTurns(chat);
    if (MessagesRoute::estimateInputTokens(config, QStringLiteral("main"), prompt) < 0)
        std::abort();
    return 0;
}
