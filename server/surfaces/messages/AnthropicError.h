#pragma once

// Errors in the Anthropic Messages shape (SPEC.md section 15): {"type":"error","error":{"type":..,
// "message":..}} with Anthropic's types by status (invalid_request_error, authentication_error,
// permission_error, not_found_error, request_too_large, rate_limit_error, api_error) and 529
// overloaded_error for an upstream 503 or a full admission queue. The messages are those of
// sections 4 to 7 (ApiError). The /v1/messages routes' HttpRoute::ErrorFormat. Pure, any thread.

#include "http/ApiError.h"
#include "http/HttpReply.h"

#include <QJsonObject>

namespace passerelle {

class AnthropicError
{
public:
    static int status(const ApiError &error); // 503 becomes 529
    static QString type(const ApiError &error); // by status: "overloaded_error" for 529...
    static QJsonObject body(const ApiError &error); // {"type":"error","error":{type, message}}
    static HttpReply reply(const ApiError &error); // status, body and the error message to log
};

} // namespace passerelle
