#pragma once

// The gateway's own QTcpServer (QT64-NOTES "bring your own QTcpServer"): a large listen backlog, a
// cap on open connections (503 beyond it), an idle timeout for keep-alive connections, and a
// per-connection RequestHeadScanner that sees each request head before QtHttpServer buffers the
// body, so an oversized body is refused with the pipeline's answer, `Expect: 100-continue` is
// honoured and chunked uploads and huge headers are refused. Server thread.

#include "http/RequestHeadScanner.h"

#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace passerelle {

struct HeadDecision
{
    QByteArray rejection; // non-empty: write it and close the connection
    bool sendContinue = false; // write "HTTP/1.1 100 Continue"
};

class HttpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)

public:
    using HeadPolicy = std::function<HeadDecision(const RequestHead &head, QTcpSocket *socket)>;

    explicit HttpListener(HeadPolicy policy, QObject *parent = nullptr);

    static constexpr int kBacklog = 1024;
    static constexpr int kMaxConnections = 4096;
    static constexpr int kIdleTimeoutMs = 120000;

    int openConnections() const { return m_open; }
    // Marks a connection as having a request in progress (no idle timeout meanwhile).
    static void setBusy(QTcpSocket *socket, bool busy);

protected:
    void incomingConnection(qintptr handle) override;

private:
    HeadPolicy m_policy;
    int m_open = 0;
};

} // namespace passerelle
