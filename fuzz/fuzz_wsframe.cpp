// libFuzzer harness of the WebSocket protocol's input (SPEC.md section 8): a client text frame
// through WsProtocol::parse and, for a request, the params validation of the method it names, as
// WsConnection dispatches them, against the default config. Nothing may crash or hang, and a
// refusal must say why. Fuzzing thread.

#include "ws/WsMethods.h"
#include "ws/WsProtocol.h"

#include <cstdlib>

using namespace passerelle;

namespace {

void check(const std::optional<WsError> &error)
{
    if (error && (error->code.isEmpty() || error->message.isEmpty()))
        std::abort();
    if (error)
        (void)error->toJson();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    AuthResult caller;
    caller.outcome = AuthResult::Outcome::Ok;
    caller.principal = QStringLiteral("gateway");
    // Odd first bytes: a named token restricted to the main agent.
    if (size > 0 && (data[0] & 1))
        caller.agents = QStringList {QStringLiteral("main")};

    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const WsFrameParse frame = WsProtocol::parse(text);
    if (frame.kind != WsFrameParse::Kind::Request) {
        if (frame.request || frame.error.isEmpty())
            std::abort();
        return 0;
    }
    if (!frame.request)
        std::abort();
    const WsRequest &request = *frame.request;
    const QString &method = request.method;
    if (method == QLatin1String("connect")) {
        WsConnectParams params;
        check(WsMethods::parseConnect(request.params, &params));
        (void)WsProtocol::negotiate(params.minProtocol, params.maxProtocol);
    } else if (method == QLatin1String("agent")) {
        WsRunPlan plan;
        check(WsMethods::planAgent(request.params, config, caller, &plan));
    } else if (method == QLatin1String("chat.send")) {
        WsRunPlan plan;
        check(WsMethods::planChatSend(request.params, config, caller, &plan));
    } else if (method == QLatin1String("chat.abort")) {
        WsAbortTarget target;
        check(WsMethods::parseAbort(request.params, &target));
    } else if (method == QLatin1String("sessions.list")) {
        WsSessionsQuery query;
        check(WsMethods::parseSessionsList(request.params, caller, &query));
    } else if (method == QLatin1String("chat.history")) {
        WsHistoryQuery query;
        if (!WsMethods::parseChatHistory(request.params, config, caller, &query))
            (void)WsMethods::chatHistory(query, {});
    }
    (void)WsProtocol::response(request.id, request.params);
    (void)WsProtocol::closeReason(request.method);
    return 0;
}
