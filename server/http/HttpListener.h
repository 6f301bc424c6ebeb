#pragma once

// The gateway's own QTcpServer (QT64-NOTES "bring your own QTcpServer"): a listen backlog of
// 1024, every accepted descriptor handed to the front end (which admits it against the connection
// caps and gives it its HttpConnection), and accepting resumed after a failed accept (out of
// descriptors) instead of stopping for good. Also the head policy type the front end asks before a
// body is read. Server thread.

#include "http/RequestHeadScanner.h"

#include <QTcpServer>

#include <functional>

namespace passerelle {

class ClientSocket;
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
    using HeadPolicy = std::function<HeadDecision(const RequestHead &head, ClientSocket *socket)>;
    using Accept = std::function<void(qintptr descriptor)>;

    explicit HttpListener(Accept accept, QObject *parent = nullptr);

    static constexpr int kBacklog = 1024;

protected:
    void incomingConnection(qintptr handle) override;

private:
    Accept m_accept;
};

} // namespace passerelle
