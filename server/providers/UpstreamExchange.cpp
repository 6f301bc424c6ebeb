#include "providers/UpstreamExchange.h"

#include "Logging.h"

#include "providers/UpstreamPool.h"

#include <QTcpSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

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

QString closedText()
{
    return QStringLiteral("connection closed by the upstream");
}

QString socketErrorText(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("host not found");
    case QAbstractSocket::RemoteHostClosedError:
        return closedText();
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("network timeout");
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return QStringLiteral("TLS handshake failed");
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::TemporaryError:
        return QStringLiteral("network unavailable");
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
    case QAbstractSocket::ProxyProtocolError:
        return QStringLiteral("proxy error");
    default:
        return QStringLiteral("network error %1").arg(int(error));
    }
}

// Header names the exchange writes itself (framing, routing): a configured header never
// replaces them.
bool isReservedHeader(QByteArrayView lowerName)
{
    return lowerName == "host" || lowerName == "content-length" || lowerName == "connection"
        || lowerName == "transfer-encoding" || lowerName == "expect";
}

bool isValidHeader(QByteArrayView name, QByteArrayView value)
{
    return !name.isEmpty() && !name.contains(':') && !name.contains('\r') && !name.contains('\n')
        && !value.contains('\r') && !value.contains('\n');
}

} // namespace

UpstreamExchange::UpstreamExchange(UpstreamPool *pool, QObject *parent)
    : QObject(parent), m_pool(pool)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamExchange::onTimeout);
}

UpstreamExchange::~UpstreamExchange()
{
    // An exchange deleted mid-flight still closes its upstream connection.
    closeSocket(reusable());
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
    const QString scheme = m_request.url.scheme();
    QString problem;
    if (!m_pool)
        problem = QStringLiteral("no upstream connection pool");
    else if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        problem = QStringLiteral("%1: unsupported scheme").arg(m_where);
#if !QT_CONFIG(ssl)
    else if (scheme == QLatin1String("https"))
        problem = QStringLiteral("%1: TLS is not available").arg(m_where);
#endif
    else if (m_request.url.host().isEmpty())
        problem = QStringLiteral("%1: no host").arg(m_where);
    if (!problem.isEmpty()) {
        m_phase = Phase::Connecting;
        QTimer::singleShot(0, this, [this, problem] {
            fail(m_pool ? BackendError::Kind::Unreachable : BackendError::Kind::Internal, problem);
        });
        return;
    }

    // The head: our defaults, then the configured headers (a later one of the same name
    // replaces an earlier one, names compared case-insensitively), then the framing.
    QList<QPair<QByteArray, QByteArray>> headers {
        {"Content-Type", "application/json"},
        {"User-Agent", "Passerelle/" PASSERELLE_VERSION},
        {"Accept", "text/event-stream, application/json"},
        // Compressed SSE would be held back by a decompressor; ask for the bytes as they are.
        {"Accept-Encoding", "identity"},
    };
    for (const auto &[rawName, value] : std::as_const(m_request.headers)) {
        const QByteArray name = rawName.trimmed();
        const QByteArray lower = name.toLower();
        if (!isValidHeader(name, value) || isReservedHeader(lower)) {
            qCWarning(lcUpstream).noquote() << "skipping an invalid header for" << m_where;
            continue;
        }
        bool replaced = false;
        for (auto &header : headers) {
            if (header.first.toLower() == lower) {
                header.second = value;
                replaced = true;
            }
        }
        if (!replaced)
            headers.append({name, value});
    }
    const QUrl &url = m_request.url;
    const bool tls = scheme == QLatin1String("https");
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1 && url.port() != (tls ? 443 : 80))
        host += ':' + QByteArray::number(url.port());
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    const QByteArray body = std::exchange(m_request.body, QByteArray());
    m_wire.reserve(256 + body.size());
    m_wire += "POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : std::as_const(headers))
        m_wire += name + ": " + value + "\r\n";
    m_wire += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    m_wire += body;

    enterPhase(Phase::Connecting);
    m_inStart = true; // a socket error reported inside start() is handled from the event loop
    connectSocket();
    m_inStart = false;
}

void UpstreamExchange::connectSocket()
{
    m_socket = m_pool->take(m_request.url, &m_reused);
    m_received = false;
    m_peerClosed = false;
    m_extraBytes = false;
    m_response = HttpResponseParser();
    // Bounds what the socket reads ahead of us, so that a pause stops reading from the kernel.
    m_socket->setReadBufferSize(ReadBufferBytes);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        m_received = true;
        if (!m_paused)
            drain();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_phase == Phase::Connecting && m_socket && m_socket->bytesToWrite() == 0)
            enterPhase(Phase::WaitingFirstEvent);
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_peerClosed = true;
        if (!m_paused)
            drain();
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UpstreamExchange::onSocketError);
    if (m_reused) {
        sendRequest();
        return;
    }
#if QT_CONFIG(ssl)
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
        connect(tls, &QSslSocket::encrypted, this, &UpstreamExchange::sendRequest);
    else
#endif
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamExchange::sendRequest);
    UpstreamPool::open(m_socket, m_request.url);
}

void UpstreamExchange::sendRequest()
{
    if (!m_socket || !isActive())
        return;
    if (!m_reused) // a pooled connection has it already
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(m_wire);
    m_socket->flush(); // the whole request in one write, now
    if (m_phase == Phase::Connecting && m_socket->bytesToWrite() == 0)
        enterPhase(Phase::WaitingFirstEvent);
}

void UpstreamExchange::onSocketError()
{
    if (!m_socket || !isActive())
        return;
    if (m_inStart) {
        QMetaObject::invokeMethod(this, &UpstreamExchange::onSocketError, Qt::QueuedConnection);
        return;
    }
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        m_peerClosed = true; // disconnected() follows, or came already: drain() decides
        if (!m_paused)
            drain();
        return;
    }
    if (m_response.headComplete() && !m_paused) {
        m_peerClosed = true;
        drain(); // what was read is reported, then the cut
        return;
    }
    if (m_response.headComplete()) {
        m_peerClosed = true;
        return;
    }
    if (!m_received && retryOnFreshConnection())
        return;
    fail(error == QAbstractSocket::SocketTimeoutError ? BackendError::Kind::Timeout
                                                      : BackendError::Kind::Unreachable,
         QStringLiteral("%1: %2").arg(m_where, socketErrorText(error)));
}

bool UpstreamExchange::retryOnFreshConnection()
{
    // A pooled connection the upstream closed while it sat idle: the request never reached it.
    if (!m_reused || m_retried)
        return false;
    m_retried = true;
    closeSocket(false);
    connectSocket();
    return true;
}

void UpstreamExchange::abort()
{
    m_phase = Phase::Done;
    closeSocket(reusable());
}

bool UpstreamExchange::reusable() const
{
    // A run usually ends on the stream's last event, inside the read that also brought the end
    // of the answer: the connection is clean and goes back to the pool.
    return m_response.keepAlive() && !m_extraBytes;
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

void UpstreamExchange::closeSocket(bool keep)
{
    m_timer.stop();
    if (!m_socket)
        return;
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    disconnect(socket, nullptr, this, nullptr);
    if (keep && m_pool) {
        m_pool->release(m_request.url, socket);
        return;
    }
    socket->abort(); // closes the upstream connection now
    socket->deleteLater();
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

void UpstreamExchange::onHead()
{
    if (m_phase == Phase::Connecting)
        enterPhase(Phase::WaitingFirstEvent);
    m_status = m_response.status();
    if (m_status < 200 || m_status > 299) {
        m_mode = BodyMode::Error;
        return;
    }
    const QByteArray type = m_response.header("content-type").toLower();
    if (type.contains("text/event-stream"))
        m_mode = BodyMode::Sse;
    else if (type.contains("json"))
        m_mode = BodyMode::Json;
    else
        m_mode = BodyMode::Unknown;
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
    while (m_socket && m_socket->bytesAvailable() > 0
           && m_response.state() != HttpResponseParser::State::Complete) {
        if (!consume())
            return;
    }
    if (!m_socket)
        return;
    if (m_response.state() != HttpResponseParser::State::Complete) {
        if (!m_peerClosed)
            return; // more to come
        if (!m_received && m_response.state() == HttpResponseParser::State::Head
            && retryOnFreshConnection())
            return;
        m_response.endOfInput();
    }
    if (m_response.state() == HttpResponseParser::State::Error && !m_response.headComplete()) {
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: %2").arg(m_where, m_response.errorString()));
        return;
    }
    complete();
}

bool UpstreamExchange::consume()
{
    char *slice = readSlice();
    const qint64 size = m_socket->read(slice, ReadSliceBytes);
    if (size <= 0) {
        fail(BackendError::Kind::Unreachable, QStringLiteral("%1: read error").arg(m_where));
        return false;
    }
    const bool hadHead = m_response.headComplete();
    // The body bytes of this read, unframed: the SSE parser copies out what it keeps.
    thread_local QByteArray body;
    body.resize(0); // keeps its capacity
    const qsizetype used = m_response.feed(QByteArrayView(slice, size), &body);
    if (used < size)
        m_extraBytes = true; // bytes past the answer: the connection is not reused
    if (!hadHead && m_response.headComplete())
        onHead();
    if (m_response.state() == HttpResponseParser::State::Error) {
        // A broken answer: what came before it is reported, then the failure.
        if (!body.isEmpty() && !consumeBody(body))
            return false;
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: %2").arg(m_where, m_response.errorString()));
        return false;
    }
    if (body.isEmpty())
        return true;
    return consumeBody(body);
}

bool UpstreamExchange::consumeBody(QByteArrayView bytes)
{
    switch (m_mode) {
    case BodyMode::Json:
        noteActivity();
        if (m_body.size() + bytes.size() > MaxJsonBodyBytes) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: answer larger than %2 bytes")
                     .arg(m_where)
                     .arg(MaxJsonBodyBytes));
            return false;
        }
        m_body.append(bytes.data(), bytes.size());
        return true;
    case BodyMode::Error: {
        noteActivity();
        // Read on to the end, keep only the bound.
        const qsizetype keep = qMin<qsizetype>(bytes.size(), MaxErrorBodyBytes - m_body.size());
        if (keep > 0)
            m_body.append(bytes.data(), keep);
        return true;
    }
    case BodyMode::Unknown:
        // No usable Content-Type: a JSON answer opens with '{', a stream with a field or comment.
        m_mode = bytes.trimmed().startsWith('{') ? BodyMode::Json : BodyMode::Sse;
        if (m_mode == BodyMode::Json) {
            noteActivity();
            m_body.append(bytes.data(), bytes.size());
            return true;
        }
        break;
    case BodyMode::Sse:
        break;
    }
    return consumeSse(bytes);
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
    // The answer is over: whole (Complete) or cut after its head (Error).
    const bool whole = m_response.state() == HttpResponseParser::State::Complete;
    const bool keep = whole && reusable();
    if (m_status < 200 || m_status > 299) {
        const QByteArray body = std::exchange(m_body, QByteArray());
        finish(keep);
        emit httpError(m_status, body);
        return;
    }
    switch (m_mode) {
    case BodyMode::Json: {
        if (!whole) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: %2").arg(m_where, closedText()));
            return;
        }
        const QByteArray body = std::exchange(m_body, QByteArray());
        finish(keep);
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
    const QString cut = whole ? QString() : m_response.errorString();
    finish(keep);
    emit streamEnded(cut);
}

void UpstreamExchange::finish(bool keepConnection)
{
    m_phase = Phase::Done;
    closeSocket(keepConnection);
}

void UpstreamExchange::fail(BackendError::Kind kind, const QString &diagnostic)
{
    if (!isActive())
        return;
    finish(false);
    emit failed(kind, scrub(diagnostic, m_request.secret));
}

} // namespace passerelle
