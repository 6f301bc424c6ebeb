// libFuzzer harness of the chat-completions surface's input: ChatRequest::parse on any body and,
// when it validates, PromptBuilder::build on its messages (SPEC.md section 4). A failure must
// carry its message; nothing may crash or hang. Fuzzing thread.

#include "engine/PromptBuilder.h"
#include "surfaces/chat/ChatRequest.h"

#include <cstdlib>

using passerelle::ChatRequest;
using passerelle::PromptBuilder;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    ChatRequest request;
    const std::optional<QString> error = request.parse(body);
    if (error) {
        if (error->isEmpty())
            std::abort();
        return 0;
    }
    const passerelle::BuiltPrompt prompt = PromptBuilder::build(request.messages);
    (void)prompt;
    for (const QJsonValue &message : request.messages)
        (void)PromptBuilder::contentText(message.toObject().value(QStringLiteral("content")));
    return 0;
}
