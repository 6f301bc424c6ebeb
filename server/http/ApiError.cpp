#include "http/ApiError.h"

#include <QJsonDocument>

namespace passerelle {

QJsonObject ApiError::toJson() const
{
    QJsonObject inner {{QStringLiteral("message"), message}, {QStringLiteral("type"), type}};
    if (!param.isEmpty())
        inner.insert(QStringLiteral("param"), param);
    if (!code.isEmpty())
        inner.insert(QStringLiteral("code"), code);
    return QJsonObject {{QStringLiteral("error"), inner}};
}

QByteArray ApiError::body() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

ApiError ApiError::invalidRequest(const QString &message)
{
    return {400, QStringLiteral("invalid_request_error"), message, {}};
}

ApiError ApiError::unauthorized()
{
    return {401, QStringLiteral("unauthorized"), QStringLiteral("Unauthorized"), {}};
}

ApiError ApiError::tooManyAuthFailures()
{
    return {429,
            QStringLiteral("rate_limited"),
            QStringLiteral("Too many failed authentication attempts. Please try again later."),
            {}};
}

ApiError ApiError::forbiddenAgent(const QString &agentId)
{
    return {403,
            QStringLiteral("permission_error"),
            QStringLiteral("token may not use agent '%1'").arg(agentId),
            {}};
}

ApiError ApiError::hostNotAllowed()
{
    return {403, QStringLiteral("forbidden"), QStringLiteral("Host not allowed"), {}};
}

ApiError ApiError::invalidHost()
{
    return {
        400, QStringLiteral("invalid_request_error"), QStringLiteral("Invalid Host header"), {}};
}

ApiError ApiError::originNotAllowed()
{
    return {403, QStringLiteral("forbidden"), QStringLiteral("Origin not allowed"), {}};
}

ApiError ApiError::payloadTooLarge()
{
    return {413, QStringLiteral("invalid_request_error"), QStringLiteral("Payload too large"), {}};
}

ApiError ApiError::modelNotFound(const QString &id)
{
    return {404,
            QStringLiteral("invalid_request_error"),
            QStringLiteral("Model '%1' not found.").arg(id),
            {}};
}

ApiError ApiError::internal()
{
    return {500, QStringLiteral("api_error"), QStringLiteral("internal error"), {}};
}

ApiError ApiError::providerBusy()
{
    return {503, QStringLiteral("api_error"), QStringLiteral("upstream provider busy"), {}};
}

ApiError ApiError::storeUnavailable()
{
    return {503, QStringLiteral("api_error"), QStringLiteral("session store unavailable"), {}};
}

ApiError ApiError::previousResponseNotFound(const QString &id)
{
    ApiError e
        = invalidRequest(QStringLiteral("Previous response with id '%1' not found.").arg(id));
    e.param = QStringLiteral("previous_response_id");
    e.code = QStringLiteral("previous_response_not_found");
    return e;
}

ApiError ApiError::responseNotFound(const QString &id)
{
    return {404,
            QStringLiteral("invalid_request_error"),
            QStringLiteral("Response with id '%1' not found.").arg(id),
            {}};
}

ApiError ApiError::fromBackend(const BackendError &error)
{
    using Kind = BackendError::Kind;
    switch (error.kind) {
    case Kind::Unreachable:
        return {502, QStringLiteral("api_error"), QStringLiteral("upstream provider error"), {}};
    case Kind::Overloaded:
        return {
            503, QStringLiteral("api_error"), QStringLiteral("upstream provider overloaded"), {}};
    case Kind::Timeout:
        return {504, QStringLiteral("api_error"), QStringLiteral("upstream provider timeout"), {}};
    // Upstream 401/403/429 texts can quote part of the provider key: fixed messages instead.
    case Kind::Unauthorized:
        return {401,
                QStringLiteral("authentication_error"),
                QStringLiteral("upstream provider rejected the credentials"),
                {}};
    case Kind::Forbidden:
        return {403,
                QStringLiteral("permission_error"),
                QStringLiteral("upstream provider denied access"),
                {}};
    case Kind::RateLimited:
        return {429,
                QStringLiteral("rate_limit_error"),
                QStringLiteral("upstream provider rate limit reached"),
                {}};
    case Kind::BadRequest:
        return {400, QStringLiteral("invalid_request_error"),
                error.message.isEmpty() ? QStringLiteral("upstream rejected the request")
                                        : error.message,
                error.code};
    case Kind::Busy:
        return providerBusy();
    case Kind::Internal:
        break;
    }
    return internal();
}

} // namespace passerelle
