#pragma once

// One chat-completions agent run on one client connection (SPEC.md section 4 after validation):
// drives a BackendRun and answers as one JSON completion or as an SSE stream in the exact frame
// order, with keep-alive comments while the backend is silent. A child of the client socket: when
// the client goes, the backend run is aborted at once and this object dies with the socket.
// Server thread.

#include "http/SseWriter.h"
#include "log/RequestLog.h"
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
    ChatCompletionRun(ChatRunSpec spec, std::unique_ptr<BackendRun> backend, QTcpSocket *socket,
                      RequestLog *log);
    ~ChatCompletionRun() override;

    void start();

signals:
    // A turn completed successfully (for the transcript of stable sessions).
    void turnCompleted(const QString &sessionKey, const QString &agentId, const QString &userText,
                       const QString &assistantText);

private:
    void onContent(const QString &text);
    void onToolCall(const QJsonObject &delta);
    void onFinished(const QString &finishReason, const Usage &usage);
    void onFailed(const BackendError &error);
    void onClientGone();
    void firstOutput();
    void finishLog(int status, const QString &error);
    void writeAndLog(const QByteArray &response);

    ChatRunSpec m_spec;
    std::unique_ptr<BackendRun> m_backend;
    QPointer<QTcpSocket> m_socket;
    QPointer<RequestLog> m_log;
    std::optional<SseWriter> m_sse;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastOutput; // last frame written (keep-alive bookkeeping)
    QTimer m_keepAlive;
    QString m_content;
    ToolCallAccumulator m_toolCalls;
    bool m_done = false;
};

} // namespace passerelle
