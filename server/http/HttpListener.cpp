#include "http/HttpListener.h"

#include "Logging.h"

#include <QTimer>

namespace passerelle {

HttpListener::HttpListener(Accept accept, QObject *parent)
    : QTcpServer(parent), m_accept(std::move(accept))
{
    setListenBacklogSize(kBacklog);
    // Qt stops accepting after an error such as EMFILE; try again shortly rather than never.
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcHttp) << "accept failed:" << error << "- retrying in 100 ms";
        QTimer::singleShot(100, this, [this] { resumeAccepting(); });
    });
}

void HttpListener::incomingConnection(qintptr handle)
{
    m_accept(handle);
}

} // namespace passerelle
