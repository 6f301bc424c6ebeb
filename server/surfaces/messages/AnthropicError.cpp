#include "surfaces/messages/AnthropicError.h"

#include <QJsonDocument>

namespace passerelle {

int AnthropicError::status(const ApiError &error)
{
    return error.status == 503 ? 529 : error.status;
}

QString AnthropicError::type(const ApiError &error)
{
    switch (status(error)) {
    case 400:
        return QStringLiteral("invalid_request_error");
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 404:
        return QStringLiteral("not_found_error");
    case 413:
        return QStringLiteral("request_too_large");
    case 429:
        return QStringLiteral("rate_limit_error");
    case 529:
        return QStringLiteral("overloaded_error");
    default:
        return QStringLiteral("api_error");
    }
}

QJsonObject AnthropicError::body(const ApiError &error)
{
    return {{QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("error"),
             QJsonObject {{QStringLiteral("type"), type(error)},
                          {QStringLiteral("message"), error.message}}}};
}

HttpReply AnthropicError::reply(const ApiError &error)
{
    HttpReply reply = HttpReply::json(status(error), body(error));
    reply.errorMessage = error.message;
    return reply;
}

} // namespace passerelle
