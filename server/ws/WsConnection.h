#pragma once

// One WebSocket client of the gateway protocol (SPEC.md section 8), as a state machine: sends the
// connect.challenge at once; the first frame must be a `connect` request (else close 1008), whose
// protocol range must hold 3 or 4 (else 1002) and whose credential must pass the gateway's check
// (else 1008), all before the handshake timeout and within the pre-auth message size. Once open it
// answers requests in order (a request whose answer waits for the session store holds the frames
// behind it), sends a `tick` every tickIntervalMs and owns the runs it started (WsRun children),
// which die with it. Owns its WsSocket. A child of WsGateway; server thread.

#include "auth/Authenticator.h"
#include "store/SessionStore.h"
#include "ws/WsMethods.h"
#include "ws/WsProtocol.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocketProtocol>

#include <functional>
#include <memory>

namespace passerelle {

class WsGateway;
class WsSocket;
class WsRun;

class WsConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsConnection)

public:
    enum class State { AwaitingConnect, Open, Closing };

    WsConnection(std::unique_ptr<WsSocket> socket, const QString &path, WsGateway *gateway);
    ~WsConnection() override;

    State state() const { return m_state; }
    QHostAddress peer() const { return m_peer; }
    QString path() const { return m_path; }
    QString connId() const { return m_connId; }
    const AuthResult &caller() const { return m_caller; }

    // Frames; nothing is sent once the socket is closing. Each returns the text it sent ("" if
    // none). A client that stops reading is shed (1008 "slow consumer"); droppable events are
    // skipped instead.
    QString sendEvent(const QString &name, const QJsonObject &payload, bool droppable = false);
    QString sendResponse(const QString &id, const QJsonObject &payload);
    QString sendError(const QString &id, const WsError &error, const QJsonObject &payload = {});
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);

    // Aborts this connection's runs matching (session key or run id) and, when given, the run id,
    // whose agent the caller may use. Returns the aborted run ids.
    QStringList abortRuns(const QString &sessionKeyOrRunId, const QString &runId,
                          const AuthResult &caller);
    int runCount() const;
    bool hasRun(const QString &runId) const { return m_runs.contains(runId); }
    // After an auth settings change: closes (1008) an open connection whose secret no longer
    // passes.
    void recheckCredential(const Authenticator &auth);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void onDisconnected();
    void onHandshakeTimeout();
    void handleConnect(const WsFrameParse &frame);
    void dispatch(const WsRequest &request);
    void leavePreAuth();
    void refuse(const QString &id, const WsError &error, QWebSocketProtocol::CloseCode code,
                const QString &reason);
    void logConnect(int status, const QString &error);
    WsGatewayFacts facts() const;

    // Asks the store (`call`, with this as its context), holding incoming frames until `then` has
    // answered; without a store, `then` gets a failed result at once.
    template<typename T>
    void
    askStore(const std::function<void(SessionStore &store, SessionStore::Callback<T> done)> &call,
             SessionStore::Callback<T> then);
    void fetchRecentSessions(SessionStore::Callback<QList<SessionInfo>> then);
    void resumeHeld();

    void methodSessionsList(const WsRequest &request);
    void methodChatHistory(const WsRequest &request);
    void methodAgent(const WsRequest &request);
    void methodChatSend(const WsRequest &request);
    void methodChatAbort(const WsRequest &request);
    void startRun(const WsRequest &request, const WsRunPlan &plan);

    std::unique_ptr<WsSocket> m_socket;
    QPointer<WsGateway> m_gateway;
    QString m_path;
    QHostAddress m_peer;
    QString m_connId;
    State m_state = State::AwaitingConnect;
    bool m_inPreAuth = true;
    QTimer m_handshakeTimer;
    QTimer m_tickTimer;
    QTimer m_closeTimer; // drops the TCP connection if the peer never completes the close
    qint64 m_eventSeq = 0;
    int m_protocol = 0;
    AuthResult m_caller;
    QByteArray m_secret; // kept only to re-check it after an auth change; never logged
    bool m_secretIsPassword = false;
    QHash<QString, QPointer<WsRun>> m_runs; // runId -> run in progress
    struct HeldFrame
    {
        QString text;
        bool binary = false;
    };
    bool m_awaitingStore = false; // an answer waits for the store: frames are held meanwhile
    QList<HeldFrame> m_held;
};

} // namespace passerelle
