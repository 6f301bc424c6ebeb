#include "providers/UpstreamExchange.h"

#include "Logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace passerelle {

namespace {

constexpr qsizetype MaxDiagnosticChars = 2000;
// What one read of a stream takes from the reply: the events it completes are reported before
// the next read, so a pause or an abort stops the stream within this many bytes.
constexpr qint64 ReadSliceBytes = qint64(64) * 1024;

// One read buffer per thread for every stream: SseParser::feed copies out what it keeps, so the
// bytes are dead before any event is reported (and before any other exchange reads).
char *readSlice()
{
    thread_local QByteArray buffer(ReadSliceBytes, Qt::Uninitialized);
    return buffer.data();
}

QString networkErrorText(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed by the upstream");
    case QNetworkReply::TimeoutError:
        return QStringLiteral("network timeout");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("network unavailable");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return QStringLiteral("proxy error");
    default:
        return QStringLiteral("network error %1").arg(int(error));
    }
}

bool isValidHeader(QByteArrayView name, QByteArrayView value)
{
    return !name.isEmpty() && !name.contains(':') && !name.contains('\r') && !name.contains('\n')
        && !value.contains('\r') && !value.contains('\n');
}

} // namespace

UpstreamExchange::UpstreamExchange(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_network(network)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamExchange::onTimeout);
}

UpstreamExchange::~UpstreamExchange()
{
    // An exchange deleted mid-flight still closes its upstream connection.
    closeReply();
}

QString UpstreamExchange::scrub(QString text, const QString &secret)
{
    if (!secret.isEmpty())
        text.replace(secret, QStringLiteral("***"));
    if (text.size() > MaxDiagnosticChars)
        text = text.left(MaxDiagnosticChars) + QStringLiteral("...");
    return text;
}

void UpstreamExchange::start(UpstreamRequest request)
{
    if (m_phase != Phase::Idle)
        return;
    m_request = std::move(request);
    m_where = m_request.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    if (!m_network) {
        m_phase = Phase::Connecting;
        QTimer::singleShot(0, this, [this] {
            fail(BackendError::Kind::Internal, QStringLiteral("no network access manager"));
        });
        return;
    }

    QNetworkRequest http(m_request.url);
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setHeader(QNetworkRequest::UserAgentHeader,
                   QByteArrayLiteral("Passerelle/" PASSERELLE_VERSION));
    http.setRawHeader("Accept", "text/event-stream, application/json");
    // Compressed SSE would be held back by the decompressor; ask for the bytes as they are.
    http.setRawHeader("Accept-Encoding", "identity");
    for (const auto &[rawName, value] : std::as_const(m_request.headers)) {
        const QByteArray name = rawName.trimmed();
        if (!isValidHeader(name, value)) {
            qCWarning(lcUpstream).noquote() << "skipping an invalid header for" << m_where;
            continue;
        }
        http.setRawHeader(name, value);
    }
    http.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    http.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    enterPhase(Phase::Connecting);
    m_reply = m_network->post(http, std::exchange(m_request.body, QByteArray()));
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        if (m_phase == Phase::Connecting)
            enterPhase(Phase::WaitingFirstEvent);
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &UpstreamExchange::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        if (!m_paused)
            drain();
    });
    connect(m_reply, &QNetworkReply::finished, this, &UpstreamExchange::onFinished);
}

void UpstreamExchange::abort()
{
    m_phase = Phase::Done;
    closeReply();
}

void UpstreamExchange::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (m_phase == Phase::WaitingFirstEvent || m_phase == Phase::Streaming)
        armDeadline(); // stops it, or gives it its whole time again from now
    if (!paused && isActive())
        scheduleDrain();
}

void UpstreamExchange::closeReply()
{
    m_timer.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    disconnect(reply, nullptr, this, nullptr);
    if (reply->isRunning())
        reply->abort(); // closes the upstream connection now; finished is no longer ours
    reply->deleteLater();
}

int UpstreamExchange::phaseTimeoutMs() const
{
    switch (m_phase) {
    case Phase::Connecting:
        return m_request.connectTimeoutMs;
    case Phase::WaitingFirstEvent:
        return m_request.firstEventTimeoutMs;
    case Phase::Streaming:
        return m_request.idleTimeoutMs;
    case Phase::Idle:
    case Phase::Done:
        break;
    }
    return 0;
}

void UpstreamExchange::enterPhase(Phase phase)
{
    m_phase = phase;
    armDeadline();
}

void UpstreamExchange::armDeadline()
{
    const int ms = phaseTimeoutMs();
    if (ms <= 0 || (m_paused && m_phase != Phase::Connecting)) {
        m_timer.stop();
        return;
    }
    m_deadline.setRemainingTime(ms);
    m_timer.start(ms);
}

void UpstreamExchange::noteActivity()
{
    if (m_phase == Phase::Connecting || m_phase == Phase::WaitingFirstEvent)
        enterPhase(Phase::Streaming);
    else if (m_phase == Phase::Streaming && m_request.idleTimeoutMs > 0)
        // Only the deadline moves: re-arming a QTimer per event costs more than one early
        // wake-up per idle period (onTimeout sleeps again until the real deadline).
        m_deadline.setRemainingTime(m_request.idleTimeoutMs);
}

void UpstreamExchange::onTimeout()
{
    if (!isActive() || (m_paused && m_phase != Phase::Connecting))
        return;
    const qint64 left = m_deadline.remainingTime();
    if (left > 0) {
        m_timer.start(int(left));
        return;
    }
    // Only Connecting, WaitingFirstEvent and Streaming get here (isActive).
    const QString text = m_phase == Phase::Connecting
        ? QStringLiteral("no connection to %1 within %2 ms")
        : m_phase == Phase::WaitingFirstEvent ? QStringLiteral("no answer from %1 within %2 ms")
                                              : QStringLiteral("%1 silent for %2 ms");
    fail(BackendError::Kind::Timeout, text.arg(m_where).arg(phaseTimeoutMs()));
}

void UpstreamExchange::onMetaDataChanged()
{
    if (!m_reply || !isActive())
        return;
    if (m_phase == Phase::Connecting)
        enterPhase(Phase::WaitingFirstEvent);
    // Bounds what QNAM reads ahead of us, so that a pause stops reading the socket. Set here,
    // not after post(): Qt 6.4 drops a size set before its HTTP delegate has a reply.
    m_reply->setReadBufferSize(ReadBufferBytes);
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status < 200 || m_status > 299) {
        m_mode = BodyMode::Error;
        return;
    }
    const QByteArray type
        = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    if (type.contains("text/event-stream"))
        m_mode = BodyMode::Sse;
    else if (type.contains("json"))
        m_mode = BodyMode::Json;
    else
        m_mode = BodyMode::Unknown;
}

void UpstreamExchange::onFinished()
{
    if (!m_reply || !isActive())
        return;
    m_replyFinished = true;
    if (!m_paused)
        drain();
}

void UpstreamExchange::scheduleDrain()
{
    if (m_drainQueued)
        return;
    m_drainQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_drainQueued = false;
            if (!m_paused && isActive())
                drain();
        },
        Qt::QueuedConnection);
}

void UpstreamExchange::drain()
{
    if (!dispatchPending())
        return;
    while (m_reply && m_reply->bytesAvailable() > 0) {
        if (!consume())
            return;
    }
    if (m_replyFinished && m_reply)
        complete();
}

bool UpstreamExchange::consume()
{
    const qint64 available = m_reply->bytesAvailable();
    switch (m_mode) {
    case BodyMode::Json: {
        noteActivity();
        if (m_body.size() + available > MaxJsonBodyBytes) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: answer larger than %2 bytes")
                     .arg(m_where)
                     .arg(MaxJsonBodyBytes));
            return false;
        }
        const qsizetype old = m_body.size();
        m_body.resize(old + available); // read straight into the body: no copy in between
        return readInto(m_body.data() + old, available);
    }
    case BodyMode::Error: {
        noteActivity();
        const qint64 keep = qMin<qint64>(available, MaxErrorBodyBytes - m_body.size());
        if (keep > 0) {
            const qsizetype old = m_body.size();
            m_body.resize(old + keep);
            if (!readInto(m_body.data() + old, keep))
                return false;
        }
        if (available > keep)
            m_reply->skip(available - keep); // read on to the end, keep only the bound
        return true;
    }
    case BodyMode::Unknown:
    case BodyMode::Sse:
        break;
    }

    char *slice = readSlice();
    const qint64 size = qMin(available, ReadSliceBytes);
    if (!readInto(slice, size))
        return false;
    const QByteArrayView bytes(slice, size);
    if (m_mode == BodyMode::Unknown) {
        // No usable Content-Type: a JSON answer opens with '{', a stream with a field or comment.
        m_mode = bytes.trimmed().startsWith('{') ? BodyMode::Json : BodyMode::Sse;
        if (m_mode == BodyMode::Json) {
            noteActivity();
            m_body.append(bytes.data(), bytes.size());
            return true;
        }
    }
    return consumeSse(bytes);
}

bool UpstreamExchange::readInto(char *to, qint64 size)
{
    if (m_reply->read(to, size) == size)
        return true;
    fail(BackendError::Kind::Unreachable, QStringLiteral("%1: read error").arg(m_where));
    return false;
}

bool UpstreamExchange::consumeSse(QByteArrayView bytes)
{
    QList<SseParser::Item> items = m_sse.feed(bytes);
    if (m_sse.hasError()) {
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: %2").arg(m_where, m_sse.errorString()));
        return false;
    }
    if (items.isEmpty())
        return true;
    // An event is activity (the first one ends the first-event deadline); a keep-alive comment
    // is activity only once streaming: it must not pass for the first event.
    const bool anyEvent = std::any_of(items.cbegin(), items.cend(), [](const SseParser::Item &i) {
        return i.kind == SseParser::Item::Kind::Event;
    });
    if (anyEvent || m_phase == Phase::Streaming)
        noteActivity();
    m_pending = std::move(items);
    m_pendingNext = 0;
    return dispatchPending();
}

bool UpstreamExchange::dispatchPending()
{
    const QPointer<UpstreamExchange> guard(this);
    while (m_pendingNext < m_pending.size()) {
        if (m_paused)
            return false;
        // A reference into m_pending: nothing frees it while the signal is delivered (abort()
        // leaves it alone; only the next read replaces it).
        const SseParser::Item &item = m_pending.at(m_pendingNext++);
        if (item.kind != SseParser::Item::Kind::Event)
            continue;
        emit sseEvent(item);
        if (!guard || !isActive())
            return false;
    }
    m_pending.clear();
    m_pendingNext = 0;
    return !m_paused;
}

void UpstreamExchange::complete()
{
    const QNetworkReply::NetworkError error = m_reply->error();
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 0) {
        // No HTTP answer at all: the connection failed.
        fail(error == QNetworkReply::TimeoutError ? BackendError::Kind::Timeout
                                                  : BackendError::Kind::Unreachable,
             QStringLiteral("%1: %2").arg(m_where, networkErrorText(error)));
        return;
    }
    if (m_status < 200 || m_status > 299) {
        const QByteArray body = std::exchange(m_body, QByteArray());
        finish();
        emit httpError(m_status, body);
        return;
    }
    switch (m_mode) {
    case BodyMode::Json: {
        const QByteArray body = std::exchange(m_body, QByteArray());
        finish();
        emit jsonReceived(body);
        return;
    }
    case BodyMode::Unknown:
        fail(BackendError::Kind::Unreachable, QStringLiteral("%1: empty answer").arg(m_where));
        return;
    case BodyMode::Sse:
    case BodyMode::Error:
        break;
    }
    const QString cut = error == QNetworkReply::NoError ? QString() : networkErrorText(error);
    finish();
    emit streamEnded(cut);
}

void UpstreamExchange::finish()
{
    m_phase = Phase::Done;
    closeReply();
}

void UpstreamExchange::fail(BackendError::Kind kind, const QString &diagnostic)
{
    if (!isActive())
        return;
    finish();
    emit failed(kind, scrub(diagnostic, m_request.secret));
}

} // namespace passerelle
