#pragma once

// One chat-completions agent run on one client connection (SPEC.md section 4 after validation):
// drives a BackendRun and answers as one JSON completion or as an SSE stream in the exact frame
// order, with keep-alive comments while the backend is silent. A stable session's turn goes to the
// transcript store before the end of the answer is written, so a client never sees the end of a
// turn that a crash could still lose. A child of the client socket: when the client goes, the
// backend run is aborted at once and this object dies with the socket. Server thread.

#include "http/SseWriter.h"
#include "log/RequestLog.h"
#include "store/SessionStore.h"
#include "surfaces/chat/CompletionFormat.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

class QTcpSocket;

namespace passerelle {

struct ChatRunSpec
{
    CompletionMeta meta;
    bool stream = false;
    bool includeUsage = false;
    QString agentId;
    QString sessionKey;
    bool stableSession = false;
    QString userPrompt; // the built prompt, stored in the transcript
    int keepAliveMs = 15000;
    ReplyContext reply;
    RequestRecord record; // the log row, already filled with the request's facts
};

class ChatCompletionRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionRun)

public:
    // store: where a stable session's turn goes (null: not kept).
    ChatCompletionRun(ChatRunSpec spec, std::unique_ptr<BackendRun> backend, QTcpSocket *socket,
                      RequestLog *log, SessionStore *store);
    ~ChatCompletionRun() override;

    void start();

private:
    void onContent(const QString &text);
    void onToolCall(const QJsonObject &delta);
    void onFinished(const QString &finishReason, const Usage &usage);
    void writeEnd(const QString &finishReason, const Usage &usage);
    void onFailed(const BackendError &error);
    void onClientGone();
    void firstOutput();
    void finishLog(int status, const QString &error);
    void writeAndLog(const QByteArray &response);

    ChatRunSpec m_spec;
    std::unique_ptr<BackendRun> m_backend;
    QPointer<QTcpSocket> m_socket;
    QPointer<RequestLog> m_log;
    QPointer<SessionStore> m_store;
    std::optional<SseWriter> m_sse;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastOutput; // last frame written (keep-alive bookkeeping)
    QTimer m_keepAlive;
    QString m_content;
    ToolCallAccumulator m_toolCalls;
    bool m_saving = false; // finished; waiting for the store before writing the end
    bool m_done = false;
};

} // namespace passerelle
