// libFuzzer harness of the Responses surface's input (SPEC.md section 11): ResponsesRequest::parse
// on any body and, when it validates, its input items as chat messages (ResponsesInput) and the
// prompt built from them. A refusal must carry its message; nothing may crash or hang. Fuzzing
// thread.

#include "engine/PromptBuilder.h"
#include "surfaces/responses/ResponsesInput.h"
#include "surfaces/responses/ResponsesRequest.h"

#include <cstdlib>

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    ResponsesRequest request;
    const std::optional<QString> error = request.parse(body);
    if (error) {
        if (error->isEmpty())
            std::abort();
        return 0;
    }
    const QJsonArray messages
        = ResponsesInput::messages(request.instructions, request.hasInstructions, request.input);
    (void)ResponsesInput::hasCurrentTurn(messages);
    (void)PromptBuilder::build(messages);
    return 0;
}
