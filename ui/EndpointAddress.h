#pragma once

// Where a local client reaches the gateway: the listening address from the server's status
// (a wildcard bind is reached through 127.0.0.1), or, while not listening, the configured one.
// Shared by the overview, the tray's "copy URL" and the try-it box. Pure functions.

#include "GatewayController.h"

namespace passerelle {

class EndpointAddress
{
public:
    static QString baseUrl(const ServerStatus &status, const GatewayConfig &config);
    static QString chatCompletionsUrl(const ServerStatus &status, const GatewayConfig &config);
};

} // namespace passerelle
