#pragma once

// One HTTP request that passed the pipeline, as its route handler sees it: the request, the
// client socket (which may go at any time), the reply context, the caller's credential, the
// path parameters and the request-log record filled so far. respond() writes a reply and logs
// it; a handler that answers later keeps the exchange (a movable value). Server thread.

#include "auth/Authenticator.h"
#include "http/ClientSocket.h"
#include "http/HttpFrontend.h"
#include "http/HttpReply.h"
#include "log/RequestLog.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QStringList>

namespace passerelle {

class HttpExchange
{
public:
    HttpExchange(HttpRequest request, ClientSocket *socket, ReplyContext context,
                 RequestRecord record, RequestLog *log);

    const HttpRequest &request() const { return m_request; }
    // The body, leaving the request without it (a big body is not kept twice while it is parsed).
    QByteArray takeBody();
    ClientSocket *socket() const { return m_socket; }
    bool isConnected() const;
    const ReplyContext &context() const { return m_context; }
    const AuthResult &caller() const { return m_caller; }
    void setCaller(const AuthResult &caller) { m_caller = caller; }
    const QStringList &params() const { return m_params; }
    void setParams(const QStringList &params) { m_params = params; }
    RequestRecord &record() { return m_record; }
    RequestLog *log() const { return m_log; }
    // Bodies are only copied (redacted) into the log for a viewer; headless mode skips the work.
    bool captureBodies() const { return m_log && m_log->captureFrames(); }

    // The routing headers of SPEC sections 6 and 7.
    QString agentHeader() const; // x-openclaw-agent-id, else x-openclaw-agent
    QString sessionHeader() const; // x-openclaw-session-key

    // Writes the reply (if the client is still there), which ends the response on the
    // connection (its next request is read), and logs it as the request's outcome.
    void respond(const HttpReply &reply);

private:
    HttpRequest m_request;
    QPointer<ClientSocket> m_socket;
    ReplyContext m_context;
    RequestRecord m_record;
    QPointer<RequestLog> m_log;
    AuthResult m_caller;
    QStringList m_params;
    QElapsedTimer m_clock;
};

} // namespace passerelle
