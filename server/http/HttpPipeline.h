#pragma once

// The steps every HTTP request passes before its route's handler runs, in SPEC.md's order
// (sections 3 to 5 and 14): exactly one well-formed Host (400), the loopback Host guard (403), the
// route lookup (404), the route's switch (404), a CORS preflight from a listed origin (204), the
// method (405 with Allow), the credential (429 while locked out, else 401), a chunked upload (411)
// and the body size (413). The pre-body head check and the dispatch run the very same steps on the
// same route declarations, so a body is refused before it is read exactly as it would be after.
// Server thread.

#include "auth/CredentialGuard.h"
#include "http/HttpReply.h"
#include "http/RouteTable.h"

#include <QHostAddress>

#include <optional>

namespace passerelle {

// What both phases know of a request.
struct RequestView
{
    QByteArray method;
    QString path; // decoded, no query
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    const HeaderList *headers = nullptr; // names lower-cased
    QHostAddress peer;
    qint64 contentLength = -1; // -1: none declared
    bool chunked = false;

    QByteArray value(const QByteArray &lowerName) const;
};

class HttpPipeline
{
public:
    HttpPipeline(const RouteTable *routes, CredentialGuard *guard);

    void setConfig(const GatewayConfig &config) { m_config = config; }

    struct Outcome
    {
        RouteMatch match;
        ReplyContext context;
        std::optional<HttpReply> reply; // set: answer with it, the handler does not run
        AuthResult caller; // who the credential named (when the route needs one)
    };
    Outcome screen(const RequestView &request) const;
    // Whether the declared body is above the limit of the route the path names (the chat
    // endpoint's limit for a path no route takes).
    bool bodyTooLarge(const RequestView &request) const;

    // The reply context of a request: its id, the CORS origin when listed, HEAD, and whether the
    // connection closes after it (Connection: close, HTTP/1.0 without keep-alive).
    ReplyContext contextFor(const RequestView &request) const;
    bool hostAllowed(const QByteArray &hostHeader) const;
    // Exactly one Host header, `host[:port]` (RFC 3986: a name, IPv4 or [IPv6]; no user info; a
    // port of digits up to 65535).
    static bool hostValid(const HeaderList &headers);
    static QByteArray requestId(const QByteArray &clientValue);

private:
    QByteArray corsOrigin(const QByteArray &origin) const;
    static HttpReply preflight(const RequestView &request);
    qint64 bodyLimit(const HttpRoute *route) const;

    const RouteTable *m_routes = nullptr;
    CredentialGuard *m_guard = nullptr;
    GatewayConfig m_config;
};

} // namespace passerelle
