#pragma once

// The live request log (SPEC.md section 10): the server thread records each request and, when a
// viewer is attached, its SSE frames; records are batched and handed to the GUI thread every
// kFlushMs as one queued signal, so the panel stays smooth at thousands of requests per second.
// Lives on the server thread.

#include "providers/Backend.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace passerelle {

struct RequestRecord
{
    quint64 id = 0;
    QDateTime startedAt; // UTC
    QString transport = QStringLiteral("http"); // "http" or "ws"
    QString client; // peer address
    QString method;
    QString path;
    int route = -1; // the HTTP route's index in the route table (metrics label); -1: none
    // Who the credential named (AuthResult::principal: "gateway", a token's name, "anonymous");
    // empty when none was checked or it was refused. Never a secret.
    QString principal;
    QString agentId;
    QString sessionKey;
    QString model; // request `model`, verbatim
    bool stream = false;
    int status = 0; // HTTP status (WS: 200 ok / error status)
    qint64 ttfbMs = -1; // first body byte after the headers (stream) or response time
    qint64 durationMs = -1;
    Usage usage;
    QString error; // error message sent to the client, if any
    QByteArray requestBody; // secrets redacted, capped
    QByteArray responseBody; // non-streaming body or the assembled stream text, capped
    bool finished = false;

    // What the panel's and the metrics' error counts count: an error status, or an error message
    // (a stream that failed after its 200 went out).
    bool isError() const { return status >= 400 || !error.isEmpty(); }
};

struct SseFrameRecord
{
    quint64 requestId = 0;
    qint64 offsetMs = 0; // since the request started
    QByteArray frame; // one SSE frame as written ("data: ...\n\n" or ": keep-alive\n\n")
};

struct LogBatch
{
    QList<RequestRecord> records; // new or updated (same id replaces the earlier row)
    QList<SseFrameRecord> frames;
};

class RequestLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLog)

public:
    explicit RequestLog(QObject *parent = nullptr);

    static constexpr int kFlushMs = 100;
    static constexpr int kBodyCap = 64 * 1024;
    static constexpr int kErrorChars = 1000; // an error message's longest logged form

    // Frames and request/response bodies are only kept while a viewer wants them (the panel);
    // headless mode skips the copies.
    void setCaptureFrames(bool on) { m_captureFrames = on; }
    bool captureFrames() const { return m_captureFrames; }

    // Called with every record as it is written (the core's statistics count from here).
    void setRecordListener(std::function<void(const RequestRecord &)> listener)
    {
        m_listener = std::move(listener);
    }

    quint64 nextId() { return ++m_lastId; }
    // New or updated; the client's text in it (method, path, ids, model) is escaped for one-line
    // logs (LogText) on the way in.
    void record(const RequestRecord &record);
    void frame(quint64 requestId, qint64 offsetMs, const QByteArray &frame);

    // Removes secrets from a JSON request body (authorization-like keys, api keys, passwords).
    static QByteArray redact(const QByteArray &body);

signals:
    void batchReady(const passerelle::LogBatch &batch);

private:
    void flush();

    std::function<void(const RequestRecord &)> m_listener;
    LogBatch m_pending;
    QHash<quint64, qsizetype> m_pendingIndex; // record id -> its row in m_pending.records
    QTimer m_timer;
    quint64 m_lastId = 0;
    bool m_captureFrames = false;
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::RequestRecord)
Q_DECLARE_METATYPE(passerelle::LogBatch)
