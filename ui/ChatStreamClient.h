#pragma once

// A client of the gateway, like curl: sends one streaming chat-completions request with
// QNetworkAccessManager and reports the answer's deltas as they arrive (incremental SSE parsing),
// then how it ended. Used by the "try it" box. GUI thread; never touches the server's objects.

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

class QNetworkReply;

namespace passerelle {

class ChatStreamClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatStreamClient)

public:
    explicit ChatStreamClient(QObject *parent = nullptr);
    ~ChatStreamClient() override;

    // authValue empty: no Authorization header.
    void start(const QString &chatCompletionsUrl, const QString &authValue, const QString &agentId,
               const QString &prompt);
    void abort();
    bool isRunning() const { return !m_reply.isNull(); }

    qint64 firstDeltaMs() const { return m_firstDeltaMs; }
    QString text() const { return m_text; }

signals:
    void delta(const QString &text);
    // finishReason from the finish chunk; elapsedMs since the request was sent.
    void finished(const QString &finishReason, qint64 elapsedMs);
    void failed(int httpStatus, const QString &message);

private:
    void onReadyRead();
    void onFinished();
    void handleEvent(const QByteArray &data);

    QNetworkAccessManager m_nam;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_buffer;
    QString m_text;
    QString m_finishReason;
    QString m_streamError;
    QElapsedTimer m_clock;
    qint64 m_firstDeltaMs = -1;
    bool m_done = false;
};

} // namespace passerelle
