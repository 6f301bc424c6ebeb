#pragma once

// Every OpenAI-shaped error the gateway sends comes from here, so status, type and text stay
// consistent across HTTP routes, streams and WebSocket answers. Pure value code, any thread.

#include "providers/Backend.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace passerelle {

struct ApiError
{
    int status = 500;
    QString type; // "invalid_request_error", "unauthorized", "api_error", ...
    QString message;
    QString code; // optional (upstream 400 codes)
    QString param {}; // optional: the request field at fault (a default: brace-inits may omit it)

    // {"error":{"message":..,"type":..[,"param":..][,"code":..]}}
    QJsonObject toJson() const;
    QByteArray body() const; // compact JSON of toJson()

    static ApiError invalidRequest(const QString &message); // 400
    static ApiError unauthorized(); // 401
    static ApiError tooManyAuthFailures(); // 429 (auth limiter)
    static ApiError forbiddenAgent(const QString &agentId); // 403 named token outside its list
    static ApiError hostNotAllowed(); // 403 DNS-rebinding guard
    static ApiError invalidHost(); // 400 not exactly one well-formed Host header
    static ApiError originNotAllowed(); // 403 a browser Origin outside the CORS list (upgrades)
    static ApiError payloadTooLarge(); // 413
    static ApiError modelNotFound(const QString &id); // 404 /v1/models/{id}
    static ApiError internal(); // 500 "internal error"
    static ApiError providerBusy(); // 503 a full admission queue
    static ApiError storeUnavailable(); // 503 a run that needs the session store, while it is down
    // 400 previous_response_id naming no response this credential made for this agent (SPEC 11)
    static ApiError previousResponseNotFound(const QString &id);
    static ApiError responseNotFound(const QString &id); // 404 GET/DELETE /v1/responses/{id}
    // SPEC section 4 "Backend failures": status, type and message of each upstream failure.
    static ApiError fromBackend(const BackendError &error);
};

} // namespace passerelle
