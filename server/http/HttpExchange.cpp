#include "http/HttpExchange.h"

#include "http/ClientSocket.h"
#include "http/HttpConnection.h"

#include <utility>

namespace passerelle {

HttpExchange::HttpExchange(HttpRequest request, ClientSocket *socket, ReplyContext context,
                           RequestRecord record, RequestLog *log)
    : m_request(std::move(request)), m_socket(socket), m_context(std::move(context)),
      m_record(std::move(record)), m_log(log)
{
    m_clock.start();
}

bool HttpExchange::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QString HttpExchange::agentHeader() const
{
    QByteArray agent = m_request.value("x-openclaw-agent-id").trimmed();
    if (agent.isEmpty())
        agent = m_request.value("x-openclaw-agent").trimmed();
    return QString::fromUtf8(agent);
}

QString HttpExchange::sessionHeader() const
{
    return QString::fromUtf8(m_request.value("x-openclaw-session-key"));
}

QByteArray HttpExchange::takeBody()
{
    return std::exchange(m_request.body, {});
}

void HttpExchange::respond(const HttpReply &reply)
{
    if (isConnected())
        HttpConnection::respond(m_socket, reply.toBytes(m_context));
    m_record.status = reply.status;
    m_record.durationMs = m_clock.elapsed();
    m_record.ttfbMs = m_record.durationMs;
    m_record.finished = true;
    m_record.error = reply.errorMessage;
    if (reply.status >= 400)
        m_record.responseBody = reply.body.left(RequestLog::kBodyCap);
    if (m_log)
        m_log->record(m_record);
}

} // namespace passerelle
