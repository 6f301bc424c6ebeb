#pragma once

// One streamed HTTP exchange with a model upstream, for any wire format (SPEC.md sections 9 and
// 14): POSTs a JSON body (one write) on a keep-alive connection of the thread's UpstreamPool, runs
// the connect, first-event and idle deadlines, tells an SSE stream from a JSON answer or an error
// body, parses SSE incrementally, bounds what it buffers, and can pause reading for a slow client.
// Server thread.

#include "providers/Backend.h"
#include "providers/HttpResponseParser.h"
#include "providers/SseParser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

class QTcpSocket;

namespace passerelle {

class UpstreamPool;

// What an exchange sends, and its deadlines.
struct UpstreamRequest
{
    QUrl url; // http(s)
    QByteArray body; // JSON
    // Sent in order (a later header of the same name replaces an earlier one); names or values
    // that would break the request head are skipped.
    QList<QPair<QByteArray, QByteArray>> headers;
    QString secret; // the API key: replaced by "***" in every diagnostic
    int connectTimeoutMs = 0; // until the request is sent; 0: no deadline
    int firstEventTimeoutMs = 0; // then until the first SSE event or body byte
    int idleTimeoutMs = 0; // then between events (keep-alive comments count)
};

class UpstreamExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamExchange)

public:
    static constexpr qsizetype MaxJsonBodyBytes = qint64(32) * 1024 * 1024;
    static constexpr qsizetype MaxErrorBodyBytes = qint64(1024) * 1024;
    // What the socket buffers for a paused exchange before it stops reading from the kernel.
    static constexpr qint64 ReadBufferBytes = qint64(256) * 1024;

    explicit UpstreamExchange(UpstreamPool *pool, QObject *parent = nullptr);
    ~UpstreamExchange() override;

    // Sends the request; every report comes later, from the event loop. Once only.
    void start(UpstreamRequest request);
    // Closes the upstream connection now; nothing is reported afterwards. Safe from any slot.
    void abort();
    // While paused, nothing more is read from the connection (the socket stops reading from the
    // kernel once ReadBufferBytes are buffered), nothing is reported and the first-event and idle
    // deadlines do not run; resuming carries on, from the event loop, with what was buffered. The
    // connect deadline keeps running: pausing does not hold a connection back.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    bool isActive() const { return m_phase != Phase::Idle && m_phase != Phase::Done; }

    int httpStatus() const { return m_status; } // 0 until the upstream answered
    // The URL for diagnostics (no user info, no query).
    const QString &where() const { return m_where; }
    // The text with the secret replaced by "***" and cut to a bounded length, for diagnostics.
    static QString scrub(QString text, const QString &secret);

signals:
    // One complete SSE event of a 2xx stream. Comments are not reported: they are keep-alives,
    // which count as activity once the first event has arrived.
    void sseEvent(const passerelle::SseParser::Item &event);

    // Exactly one of the following, once, unless aborted first.
    // A complete 2xx JSON answer (at most MaxJsonBodyBytes).
    void jsonReceived(const QByteArray &body);
    // A non-2xx answer, with the first MaxErrorBodyBytes of its body.
    void httpError(int status, const QByteArray &body);
    // The 2xx SSE body ended: cut is empty when it ended cleanly, else why the connection broke.
    void streamEnded(const QString &cut);
    // No usable answer: connection failure, a deadline, an oversized event or body, no body.
    // The diagnostic names the URL and is scrubbed.
    void failed(passerelle::BackendError::Kind kind, const QString &diagnostic);

private:
    enum class Phase { Idle, Connecting, WaitingFirstEvent, Streaming, Done };
    enum class BodyMode { Unknown, Sse, Json, Error };

    void connectSocket(); // takes a connection from the pool and sends once it is up
    void sendRequest();
    void onSocketError();
    void onHead();
    void onTimeout();
    void scheduleDrain();
    void drain();
    bool consume(); // one read from the socket; false once stopped (paused, done or deleted)
    bool consumeBody(QByteArrayView bytes); // false once stopped
    bool consumeSse(QByteArrayView bytes);
    bool retryOnFreshConnection(); // a reused connection closed before answering
    bool dispatchPending();
    void complete();
    void enterPhase(Phase phase);
    void noteActivity();
    void armDeadline();
    int phaseTimeoutMs() const;
    void fail(BackendError::Kind kind, const QString &diagnostic);
    void finish(bool keepConnection); // Done, the connection closed or pooled: before any report
    void closeSocket(bool keep);
    bool reusable() const; // the answer was read whole and the connection may carry another

    QPointer<UpstreamPool> m_pool;
    QTcpSocket *m_socket = nullptr; // owned until given back to the pool or deleted
    bool m_reused = false; // m_socket came from the pool
    bool m_retried = false;
    bool m_inStart = false;
    bool m_received = false; // any byte of the answer arrived
    bool m_peerClosed = false;
    bool m_extraBytes = false; // the upstream sent more than its answer
    QByteArray m_wire; // the request as sent (kept for one retry)
    HttpResponseParser m_response;
    UpstreamRequest m_request;
    QString m_where;
    Phase m_phase = Phase::Idle;
    BodyMode m_mode = BodyMode::Unknown;
    int m_status = 0;
    bool m_paused = false;
    bool m_drainQueued = false;
    SseParser m_sse;
    QList<SseParser::Item> m_pending; // parsed but not reported when a pause came
    qsizetype m_pendingNext = 0;
    QByteArray m_body; // a JSON answer or an error body, bounded
    QTimer m_timer; // wakes up for the deadline of the current phase
    QDeadlineTimer m_deadline; // moved by activity without touching m_timer
};

} // namespace passerelle
