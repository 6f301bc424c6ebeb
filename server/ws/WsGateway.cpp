#include "ws/WsGateway.h"

#include "Logging.h"
#include "engine/RunEngine.h"
#include "log/RequestLog.h"
#include "store/SessionStore.h"
#include "ws/WsConnection.h"
#include "ws/WsSocket.h"

#include <QTimer>

namespace passerelle {

namespace {

bool sameAuth(const AuthConfig &a, const AuthConfig &b)
{
    return a.mode == b.mode && a.token == b.token && a.password == b.password
        && a.tokens == b.tokens;
}

} // namespace

WsGateway::WsGateway(RunEngine *engine, CredentialGuard *guard, QObject *parent)
    : QObject(parent), m_engine(engine), m_guard(guard)
{
    m_uptime.start();
}

WsGateway::~WsGateway()
{
    // Connections call back into this object while they go: delete them while it is whole.
    const QList<WsConnection *> all = connections();
    for (WsConnection *c : all)
        delete c;
}

QList<WsConnection *> WsGateway::connections() const
{
    return findChildren<WsConnection *>(Qt::FindDirectChildrenOnly);
}

QString WsGateway::ipKey(const QHostAddress &peer)
{
    // An IPv4 peer may show up as ::ffff:a.b.c.d on a dual-stack listener: count it once.
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : peer.toString();
}

void WsGateway::setConfig(const GatewayConfig &config)
{
    const bool authChanged = m_configured && !sameAuth(config.auth, m_config.auth);
    m_config = config;
    m_configured = true;
    m_limits.handshakeTimeoutMs = config.wsHandshakeTimeoutMs;
    m_limits.tickIntervalMs = config.wsTickIntervalMs;
    if (!authChanged)
        return;
    // A revoked token or a new password must not keep its open connections.
    const Authenticator recheck(config.auth);
    const QList<WsConnection *> all = connections();
    for (WsConnection *c : all)
        c->recheckCredential(recheck);
}

RequestLog *WsGateway::log() const
{
    return m_engine ? m_engine->log() : nullptr;
}

SessionStore *WsGateway::sessionStore() const
{
    SessionStore *store = m_engine ? m_engine->store() : nullptr;
    return store && store->state() != SessionStore::State::Unavailable ? store : nullptr;
}

bool WsGateway::acceptsUpgradeFrom(const QHostAddress &peer) const
{
    return m_preAuth.value(ipKey(peer)) < m_limits.maxPreAuthPerIp;
}

void WsGateway::accept(std::unique_ptr<WsSocket> socket, const QString &path)
{
    const QHostAddress peer = socket->peerAddress();
    // checkUpgrade already asked, but several upgrades may have passed it at once.
    if (!acceptsUpgradeFrom(peer)) {
        qCInfo(lcWs).noquote() << "too many pending WebSocket connections from" << peer.toString();
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("too many pending connections"));
        // The socket outlives the unique_ptr until its close frame is out.
        WsSocket *raw = socket.release();
        raw->setParent(this);
        connect(raw, &WsSocket::disconnected, raw, &QObject::deleteLater);
        QTimer::singleShot(1000, raw, [raw] { raw->abort(); });
        return;
    }
    ++m_preAuth[ipKey(peer)];
    new WsConnection(std::move(socket), path, this);
}

void WsGateway::leavePreAuth(const QHostAddress &peer)
{
    const QString key = ipKey(peer);
    auto it = m_preAuth.find(key);
    if (it == m_preAuth.end())
        return;
    if (--it.value() <= 0)
        m_preAuth.erase(it);
}

void WsGateway::closeAll(const QString &reason)
{
    const QList<WsConnection *> all = connections();
    for (WsConnection *c : all) {
        c->sendEvent(QStringLiteral("shutdown"), {{QStringLiteral("reason"), reason}});
        c->closeWith(QWebSocketProtocol::CloseCodeGoingAway, reason);
    }
}

int WsGateway::connectionCount() const
{
    int n = 0;
    const QList<WsConnection *> all = connections();
    for (const WsConnection *c : all)
        n += c->state() == WsConnection::State::Open ? 1 : 0;
    return n;
}

int WsGateway::activeRunCount() const
{
    int n = 0;
    const QList<WsConnection *> all = connections();
    for (const WsConnection *c : all)
        n += c->runCount();
    return n;
}

bool WsGateway::hasRun(const QString &runId) const
{
    const QList<WsConnection *> all = connections();
    for (const WsConnection *c : all) {
        if (c->hasRun(runId))
            return true;
    }
    return false;
}

CredentialGuard::Verdict WsGateway::checkCredential(const QByteArray &secret, bool isPassword,
                                                    const QHostAddress &peer) const
{
    if (!m_guard)
        return {};
    return m_guard->checkSecret(secret, isPassword, peer);
}

QStringList WsGateway::abortRuns(const QString &sessionKeyOrRunId, const QString &runId,
                                 const AuthResult &caller)
{
    QStringList aborted;
    const QList<WsConnection *> all = connections();
    for (WsConnection *c : all)
        aborted += c->abortRuns(sessionKeyOrRunId, runId, caller);
    return aborted;
}

} // namespace passerelle
