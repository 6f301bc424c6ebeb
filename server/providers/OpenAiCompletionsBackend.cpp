#include "providers/OpenAiCompletionsBackend.h"

#include "Logging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace passerelle {

namespace {

constexpr qsizetype MaxJsonBodyBytes = 32 * 1024 * 1024;
constexpr qsizetype MaxErrorBodyBytes = 1024 * 1024;
constexpr qsizetype MaxDiagnosticChars = 2000;

// Client fields relayed upstream as they are (the route validated them). `stop` and the token
// limit are typed fields of BackendRequest; `model`, `messages`, `stream` are ours to set.
const char *const PassthroughKeys[] = {
    "temperature",     "top_p", "frequency_penalty", "presence_penalty",    "seed",
    "response_format", "tools", "tool_choice",       "parallel_tool_calls",
};

QString roleOf(const QJsonValue &message)
{
    return message.toObject().value(QLatin1String("role")).toString().toLower();
}

// SPEC section 4: the current turn is the last user/tool entry (function counts as tool), else the
// last entry; anything after it is dropped.
qsizetype currentTurnIndex(const QJsonArray &messages)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QString role = roleOf(messages.at(i));
        if (role == QLatin1String("user") || role == QLatin1String("tool")
            || role == QLatin1String("function"))
            return i;
    }
    return messages.size() - 1;
}

bool needsStructuredTurn(const BackendRequest &request)
{
    if (!request.passthrough.value(QLatin1String("tools")).toArray().isEmpty())
        return true;
    const qsizetype current = currentTurnIndex(request.clientMessages);
    if (current < 0)
        return false;
    const QString role = roleOf(request.clientMessages.at(current));
    return role == QLatin1String("tool") || role == QLatin1String("function");
}

QJsonObject relayedMessage(const QJsonObject &message)
{
    const QString role = message.value(QLatin1String("role")).toString().toLower();
    const QJsonValue content = message.value(QLatin1String("content"));
    QJsonObject out;
    if (role == QLatin1String("user")) {
        out.insert(QStringLiteral("role"), QStringLiteral("user"));
        out.insert(QStringLiteral("content"),
                   content.isUndefined() || content.isNull()
                       ? QJsonValue(QString(QLatin1String("")))
                       : content);
    } else if (role == QLatin1String("assistant")) {
        out.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        const QJsonArray toolCalls = message.value(QLatin1String("tool_calls")).toArray();
        if (!toolCalls.isEmpty()) {
            out.insert(QStringLiteral("content"), content.isUndefined() ? QJsonValue() : content);
            out.insert(QStringLiteral("tool_calls"), toolCalls);
        } else {
            out.insert(QStringLiteral("content"),
                       content.isUndefined() || content.isNull()
                           ? QJsonValue(QString(QLatin1String("")))
                           : content);
        }
    } else if (role == QLatin1String("tool") || role == QLatin1String("function")) {
        out.insert(QStringLiteral("role"), QStringLiteral("tool"));
        const QJsonValue id = message.value(QLatin1String("tool_call_id"));
        if (id.isString())
            out.insert(QStringLiteral("tool_call_id"), id);
        const QJsonValue name = message.value(QLatin1String("name"));
        if (name.isString())
            out.insert(QStringLiteral("name"), name);
        out.insert(QStringLiteral("content"),
                   content.isUndefined() || content.isNull()
                       ? QJsonValue(QString(QLatin1String("")))
                       : content);
    }
    return out; // empty for system/developer (already in the system prompt) and unknown roles
}

QString normalisedFinishReason(const QString &upstream)
{
    if (upstream == QLatin1String("length") || upstream == QLatin1String("tool_calls"))
        return upstream;
    if (upstream == QLatin1String("function_call"))
        return QStringLiteral("tool_calls");
    return QStringLiteral("stop"); // stop, content_filter, eos and other dialects
}

QString jsonScalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
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

} // namespace

OpenAiCompletionsBackend::OpenAiCompletionsBackend(const BackendRequest &request,
                                                   const ProviderConfig &provider,
                                                   QNetworkAccessManager *network, QObject *parent)
    : BackendRun(parent), m_request(request), m_provider(provider), m_network(network)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OpenAiCompletionsBackend::onTimeout);
}

OpenAiCompletionsBackend::~OpenAiCompletionsBackend()
{
    // A run deleted mid-flight still closes its upstream connection.
    closeReply();
}

QUrl OpenAiCompletionsBackend::endpointUrl(const QString &baseUrl)
{
    QString base = baseUrl.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QStringLiteral("/chat/completions"));
}

QString OpenAiCompletionsBackend::upstreamModel(const QString &modelRef)
{
    const qsizetype slash = modelRef.indexOf(QLatin1Char('/'));
    return slash < 0 ? modelRef : modelRef.mid(slash + 1);
}

BackendError::Kind OpenAiCompletionsBackend::kindForStatus(int status)
{
    switch (status) {
    case 400:
        return BackendError::Kind::BadRequest;
    case 401:
        return BackendError::Kind::Unauthorized;
    case 403:
        return BackendError::Kind::Forbidden;
    case 429:
        return BackendError::Kind::RateLimited;
    case 503:
        return BackendError::Kind::Overloaded;
    default:
        return status >= 500 && status <= 599 ? BackendError::Kind::Unreachable
                                              : BackendError::Kind::Internal;
    }
}

QJsonArray OpenAiCompletionsBackend::upstreamMessages(const BackendRequest &request)
{
    QJsonArray messages;
    if (!request.systemPrompt.isEmpty()) {
        messages.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("system")},
                                     {QStringLiteral("content"), request.systemPrompt}});
    }
    for (const ChatTurn &turn : request.history) {
        messages.append(QJsonObject {{QStringLiteral("role"), turn.role},
                                     {QStringLiteral("content"), turn.content}});
    }

    if (!needsStructuredTurn(request)) {
        messages.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                     {QStringLiteral("content"), request.prompt}});
        return messages;
    }

    const QJsonArray &client = request.clientMessages;
    const qsizetype end = currentTurnIndex(client);
    qsizetype begin = 0;
    if (!request.history.isEmpty()) {
        for (qsizetype i = end; i >= 0; --i) {
            if (roleOf(client.at(i)) == QLatin1String("user")) {
                begin = i;
                break;
            }
        }
    }
    for (qsizetype i = begin; i <= end; ++i) {
        const QJsonObject relayed = relayedMessage(client.at(i).toObject());
        if (!relayed.isEmpty())
            messages.append(relayed);
    }
    return messages;
}

QJsonObject OpenAiCompletionsBackend::requestBody(const BackendRequest &request)
{
    QJsonObject body;
    body.insert(QStringLiteral("model"), upstreamModel(request.modelRef));
    body.insert(QStringLiteral("messages"), upstreamMessages(request));
    body.insert(QStringLiteral("stream"), true);
    body.insert(QStringLiteral("stream_options"),
                QJsonObject {{QStringLiteral("include_usage"), true}});
    for (const char *key : PassthroughKeys) {
        const QString name = QString::fromLatin1(key);
        const QJsonValue value = request.passthrough.value(name);
        if (!value.isUndefined())
            body.insert(name, value);
    }
    if (!request.stop.isEmpty())
        body.insert(QStringLiteral("stop"), QJsonArray::fromStringList(request.stop));
    // Only `max_tokens`: every OpenAI-compatible server reads it (llama-server, Ollama, vLLM, LM
    // Studio, OpenAI's chat models), while `max_completion_tokens` is newer and not universal;
    // sending both would state one limit twice, which strict validators reject.
    if (request.maxTokens)
        body.insert(QStringLiteral("max_tokens"), *request.maxTokens);
    return body;
}

QString OpenAiCompletionsBackend::where() const
{
    return m_url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

QString OpenAiCompletionsBackend::scrub(QString text) const
{
    if (!m_provider.apiKey.isEmpty())
        text.replace(m_provider.apiKey, QStringLiteral("***"));
    if (text.size() > MaxDiagnosticChars)
        text = text.left(MaxDiagnosticChars) + QStringLiteral("...");
    return text;
}

void OpenAiCompletionsBackend::start()
{
    if (m_phase != Phase::Idle)
        return;
    m_clock.start();
    m_url = endpointUrl(m_provider.baseUrl);
    const QString scheme = m_url.scheme();
    if (!m_url.isValid() || m_url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        m_phase = Phase::Connecting;
        // start() returns before any signal, as the interface promises.
        QTimer::singleShot(0, this, [this] {
            fail(BackendError::Kind::Internal,
                 QStringLiteral("provider '%1' has no valid http(s) baseUrl").arg(m_provider.name));
        });
        return;
    }
    if (!m_network) {
        m_phase = Phase::Connecting;
        QTimer::singleShot(0, this, [this] {
            fail(BackendError::Kind::Internal, QStringLiteral("no network access manager"));
        });
        return;
    }

    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("Passerelle/" PASSERELLE_VERSION));
    request.setRawHeader("Accept", "text/event-stream, application/json");
    // Compressed SSE would be held back by the decompressor; ask for the bytes as they are.
    request.setRawHeader("Accept-Encoding", "identity");
    if (!m_provider.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_provider.apiKey.toUtf8());
    for (auto it = m_provider.headers.cbegin(); it != m_provider.headers.cend(); ++it) {
        const QByteArray name = it.key().trimmed().toUtf8();
        const QByteArray value = it.value().toUtf8();
        if (name.isEmpty() || name.contains(':') || name.contains('\r') || name.contains('\n')
            || value.contains('\r') || value.contains('\n')) {
            qCWarning(lcUpstream) << "skipping an invalid header name in provider"
                                  << m_provider.name;
            continue;
        }
        request.setRawHeader(name, value);
    }
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    const QByteArray body = QJsonDocument(requestBody(m_request)).toJson(QJsonDocument::Compact);
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "POST" << where() << "model"
                                  << upstreamModel(m_request.modelRef);

    enterPhase(Phase::Connecting);
    m_reply = m_network->post(request, body);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        if (m_phase == Phase::Connecting)
            enterPhase(Phase::WaitingFirstEvent);
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this,
            &OpenAiCompletionsBackend::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &OpenAiCompletionsBackend::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &OpenAiCompletionsBackend::onFinished);
}

void OpenAiCompletionsBackend::abort()
{
    if (m_phase == Phase::Done)
        return;
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "aborted after"
                                  << m_clock.elapsed() << "ms";
    m_phase = Phase::Done;
    closeReply();
}

void OpenAiCompletionsBackend::closeReply()
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

void OpenAiCompletionsBackend::enterPhase(Phase phase)
{
    m_phase = phase;
    int ms = 0;
    switch (phase) {
    case Phase::Connecting:
        ms = m_provider.connectTimeoutMs;
        break;
    case Phase::WaitingFirstEvent:
        ms = m_provider.timeoutMs;
        break;
    case Phase::Streaming:
        ms = m_provider.idleTimeoutMs;
        break;
    case Phase::Idle:
    case Phase::Done:
        break;
    }
    if (ms > 0)
        m_timer.start(ms);
    else
        m_timer.stop();
}

void OpenAiCompletionsBackend::noteActivity()
{
    if (m_phase == Phase::Connecting || m_phase == Phase::WaitingFirstEvent
        || m_phase == Phase::Streaming)
        enterPhase(Phase::Streaming); // (re)starts the idle deadline
}

void OpenAiCompletionsBackend::onTimeout()
{
    switch (m_phase) {
    case Phase::Connecting:
        fail(BackendError::Kind::Timeout,
             QStringLiteral("no connection to %1 within %2 ms")
                 .arg(where())
                 .arg(m_provider.connectTimeoutMs));
        break;
    case Phase::WaitingFirstEvent:
        fail(BackendError::Kind::Timeout,
             QStringLiteral("no answer from %1 within %2 ms")
                 .arg(where())
                 .arg(m_provider.timeoutMs));
        break;
    case Phase::Streaming:
        fail(BackendError::Kind::Timeout,
             QStringLiteral("%1 silent for %2 ms").arg(where()).arg(m_provider.idleTimeoutMs));
        break;
    case Phase::Idle:
    case Phase::Done:
        break;
    }
}

void OpenAiCompletionsBackend::onMetaDataChanged()
{
    if (!m_reply || m_phase == Phase::Done)
        return;
    if (m_phase == Phase::Connecting)
        enterPhase(Phase::WaitingFirstEvent);
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

void OpenAiCompletionsBackend::onReadyRead()
{
    if (!m_reply || m_phase == Phase::Done)
        return;
    const QByteArray bytes = m_reply->readAll();
    if (bytes.isEmpty())
        return;

    if (m_mode == BodyMode::Unknown) {
        // No usable Content-Type: a JSON answer opens with '{', a stream with a field or comment.
        const QByteArray head = bytes.trimmed();
        m_mode = head.startsWith('{') ? BodyMode::Json : BodyMode::Sse;
    }

    switch (m_mode) {
    case BodyMode::Sse: {
        const QList<SseParser::Item> items = m_sse.feed(bytes);
        if (m_sse.hasError()) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: %2").arg(where(), m_sse.errorString()));
            return;
        }
        handleSseItems(items);
        break;
    }
    case BodyMode::Json:
        noteActivity();
        if (m_body.size() + bytes.size() > MaxJsonBodyBytes) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: answer larger than %2 bytes")
                     .arg(where())
                     .arg(MaxJsonBodyBytes));
            return;
        }
        m_body += bytes;
        break;
    case BodyMode::Error:
        noteActivity();
        if (m_body.size() < MaxErrorBodyBytes)
            m_body += bytes.left(MaxErrorBodyBytes - m_body.size());
        break;
    case BodyMode::Unknown:
        break;
    }
}

void OpenAiCompletionsBackend::handleSseItems(const QList<SseParser::Item> &items)
{
    const QPointer<OpenAiCompletionsBackend> guard(this);
    for (const SseParser::Item &item : items) {
        if (!guard || m_phase == Phase::Done)
            return;
        if (item.kind == SseParser::Item::Kind::Comment) {
            // Keep-alive comments prove the upstream alive while it streams; they are not the
            // first event, which the first-event deadline waits for.
            if (m_phase == Phase::Streaming)
                noteActivity();
            continue;
        }
        noteActivity();
        m_sawEvent = true;
        const QByteArray data = item.data.trimmed();
        if (data == "[DONE]") {
            succeed();
            return;
        }
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
        if (item.event == QLatin1String("error")) {
            const QJsonValue error = doc.object().value(QLatin1String("error"));
            failFromErrorObject(error.isObject() ? error.toObject() : doc.object(), 0);
            return;
        }
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            fail(BackendError::Kind::Unreachable,
                 QStringLiteral("%1: malformed stream chunk (%2)")
                     .arg(where(), parseError.errorString()));
            return;
        }
        handleChunk(doc.object());
    }
}

void OpenAiCompletionsBackend::handleChunk(const QJsonObject &chunk)
{
    const QJsonValue error = chunk.value(QLatin1String("error"));
    if (!error.isUndefined() && !error.isNull()) {
        failFromErrorObject(error.isObject()
                                ? error.toObject()
                                : QJsonObject {{QStringLiteral("message"), error.toString()}},
                            0);
        return;
    }
    const QJsonValue usage = chunk.value(QLatin1String("usage"));
    if (usage.isObject()) {
        const QJsonObject u = usage.toObject();
        m_usage.promptTokens = u.value(QLatin1String("prompt_tokens")).toInteger();
        m_usage.completionTokens = u.value(QLatin1String("completion_tokens")).toInteger();
        m_usage.known = true;
    }
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty())
        return;
    QJsonObject choice = choices.first().toObject();
    for (const QJsonValue &c : choices) { // n is never above 1, but pick index 0 if it is
        if (c.toObject().value(QLatin1String("index")).toInt(-1) == 0) {
            choice = c.toObject();
            break;
        }
    }
    const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
    const QPointer<OpenAiCompletionsBackend> guard(this);

    const QString content = delta.value(QLatin1String("content")).toString();
    if (!content.isEmpty()) {
        markOutput();
        emit contentDelta(content);
        if (!guard || m_phase == Phase::Done)
            return;
    }
    const QJsonArray toolCalls = delta.value(QLatin1String("tool_calls")).toArray();
    if (!toolCalls.isEmpty()) {
        emitToolCallDeltas(toolCalls, false);
        if (!guard || m_phase == Phase::Done)
            return;
    }
    const QJsonObject functionCall = delta.value(QLatin1String("function_call")).toObject();
    if (!functionCall.isEmpty()) {
        emitToolCallDeltas(QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                                    {QStringLiteral("function"), functionCall}}},
                           false);
        if (!guard || m_phase == Phase::Done)
            return;
    }
    const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
    if (finish.isString() && !finish.toString().isEmpty())
        m_finishReason = normalisedFinishReason(finish.toString());
}

void OpenAiCompletionsBackend::emitToolCallDeltas(const QJsonArray &toolCalls, bool complete)
{
    const QPointer<OpenAiCompletionsBackend> guard(this);
    for (qsizetype i = 0; i < toolCalls.size(); ++i) {
        const QJsonObject call = toolCalls.at(i).toObject();
        const QString id = call.value(QLatin1String("id")).toString();
        int index = 0;
        if (call.value(QLatin1String("index")).isDouble()) {
            index = call.value(QLatin1String("index")).toInt();
        } else if (complete) {
            index = int(i);
        } else if (!id.isEmpty()) {
            // Some upstreams omit the index: a new id opens the next call.
            index = m_toolIndexById.contains(id) ? m_toolIndexById.value(id) : m_nextToolIndex;
        } else {
            index = qMax(m_lastToolIndex, 0);
        }
        if (!id.isEmpty())
            m_toolIndexById.insert(id, index);
        m_nextToolIndex = qMax(m_nextToolIndex, index + 1);
        m_lastToolIndex = index;

        QJsonObject out {{QStringLiteral("index"), index}};
        if (!id.isEmpty())
            out.insert(QStringLiteral("id"), id);
        const QString type = call.value(QLatin1String("type")).toString();
        if (!type.isEmpty())
            out.insert(QStringLiteral("type"), type);
        else if (complete)
            out.insert(QStringLiteral("type"), QStringLiteral("function"));
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        QJsonObject fn;
        if (function.value(QLatin1String("name")).isString())
            fn.insert(QStringLiteral("name"), function.value(QLatin1String("name")));
        const QJsonValue arguments = function.value(QLatin1String("arguments"));
        if (arguments.isString())
            fn.insert(QStringLiteral("arguments"), arguments);
        else if (arguments.isObject()) // some servers send the object itself
            fn.insert(QStringLiteral("arguments"),
                      QString::fromUtf8(
                          QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact)));
        else if (complete)
            fn.insert(QStringLiteral("arguments"), QString(QLatin1String("")));
        if (!fn.isEmpty())
            out.insert(QStringLiteral("function"), fn);

        markOutput();
        emit toolCallDelta(out);
        if (!guard || m_phase == Phase::Done)
            return;
    }
}

void OpenAiCompletionsBackend::handleCompleteJson(const QByteArray &body)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: malformed JSON answer (%2)")
                 .arg(where(), parseError.errorString()));
        return;
    }
    const QJsonObject root = doc.object();
    const QJsonValue error = root.value(QLatin1String("error"));
    if (!error.isUndefined() && !error.isNull()) {
        failFromErrorObject(error.isObject()
                                ? error.toObject()
                                : QJsonObject {{QStringLiteral("message"), error.toString()}},
                            0);
        return;
    }
    const QJsonValue usage = root.value(QLatin1String("usage"));
    if (usage.isObject()) {
        m_usage.promptTokens = usage[QLatin1String("prompt_tokens")].toInteger();
        m_usage.completionTokens = usage[QLatin1String("completion_tokens")].toInteger();
        m_usage.known = true;
    }
    const QJsonArray choices = root.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty()) {
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: answer without choices").arg(where()));
        return;
    }
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject message = choice.value(QLatin1String("message")).toObject();
    const QPointer<OpenAiCompletionsBackend> guard(this);
    const QString content = message.value(QLatin1String("content")).toString();
    if (!content.isEmpty()) {
        markOutput();
        emit contentDelta(content);
        if (!guard || m_phase == Phase::Done)
            return;
    }
    const QJsonArray toolCalls = message.value(QLatin1String("tool_calls")).toArray();
    if (!toolCalls.isEmpty()) {
        emitToolCallDeltas(toolCalls, true);
        if (!guard || m_phase == Phase::Done)
            return;
    }
    const QString finish = choice.value(QLatin1String("finish_reason")).toString();
    if (!finish.isEmpty())
        m_finishReason = normalisedFinishReason(finish);
    succeed();
}

void OpenAiCompletionsBackend::onFinished()
{
    if (!m_reply || m_phase == Phase::Done)
        return;
    if (m_reply->bytesAvailable() > 0) {
        onReadyRead();
        if (m_phase == Phase::Done)
            return;
    }
    const QNetworkReply::NetworkError error = m_reply->error();
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (m_status == 0) {
        // No HTTP answer at all: the connection failed.
        fail(error == QNetworkReply::TimeoutError ? BackendError::Kind::Timeout
                                                  : BackendError::Kind::Unreachable,
             QStringLiteral("%1: %2").arg(where(), networkErrorText(error)));
        return;
    }
    if (m_status < 200 || m_status > 299) {
        const QJsonDocument doc = QJsonDocument::fromJson(m_body);
        const QJsonValue errorValue = doc.object().value(QLatin1String("error"));
        QJsonObject errorObject;
        if (errorValue.isObject())
            errorObject = errorValue.toObject();
        else if (errorValue.isString())
            errorObject.insert(QStringLiteral("message"), errorValue);
        else if (doc.object().value(QLatin1String("message")).isString())
            errorObject = doc.object(); // {"message": ...} without the envelope
        else
            errorObject.insert(QStringLiteral("message"), QString::fromUtf8(m_body.left(500)));
        failFromErrorObject(errorObject, m_status);
        return;
    }

    switch (m_mode) {
    case BodyMode::Json:
        handleCompleteJson(m_body);
        return;
    case BodyMode::Unknown:
        fail(BackendError::Kind::Unreachable, QStringLiteral("%1: empty answer").arg(where()));
        return;
    case BodyMode::Sse:
    case BodyMode::Error:
        break;
    }
    // The stream ended without [DONE]: complete if the model said why it stopped.
    if (!m_finishReason.isEmpty()) {
        succeed();
        return;
    }
    fail(BackendError::Kind::Unreachable,
         error != QNetworkReply::NoError
             ? QStringLiteral("%1: stream cut before it finished (%2)")
                   .arg(where(), networkErrorText(error))
             : QStringLiteral("%1: stream ended without [DONE] or finish_reason").arg(where()));
}

void OpenAiCompletionsBackend::failFromErrorObject(const QJsonObject &error, int status)
{
    const QString message = error.value(QLatin1String("message")).toString();
    const QString code = jsonScalarText(error.value(QLatin1String("code")));
    int effectiveStatus = status;
    if (effectiveStatus == 0) {
        // An error inside a 200 stream: some servers put the HTTP-like status in code or status.
        const int numeric = error.value(QLatin1String("code")).isDouble()
            ? error.value(QLatin1String("code")).toInt()
            : error.value(QLatin1String("status")).toInt();
        effectiveStatus = numeric >= 400 && numeric <= 599 ? numeric : 502;
    }
    const BackendError::Kind kind = kindForStatus(effectiveStatus);
    if (kind == BackendError::Kind::BadRequest) {
        fail(kind, message.isEmpty() ? QStringLiteral("upstream rejected the request") : message,
             code);
        return;
    }
    fail(kind,
         QStringLiteral("%1: HTTP %2%3")
             .arg(where())
             .arg(status == 0 ? QStringLiteral("200, error in stream") : QString::number(status),
                  message.isEmpty() ? QString() : QStringLiteral(": ") + message));
}

void OpenAiCompletionsBackend::succeed()
{
    if (m_phase == Phase::Done)
        return;
    QString reason = m_finishReason.isEmpty() ? QStringLiteral("stop") : m_finishReason;
    // Some servers (older Ollama) report "stop" after tool calls; the client needs tool_calls.
    if (reason == QLatin1String("stop") && m_nextToolIndex > 0)
        reason = QStringLiteral("tool_calls");
    m_phase = Phase::Done;
    closeReply();
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "finished" << reason << "in"
                                  << m_clock.elapsed() << "ms";
    emit finished(reason, m_usage);
}

void OpenAiCompletionsBackend::fail(BackendError::Kind kind, const QString &diagnostic,
                                    const QString &code)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    closeReply();
    BackendError error;
    error.kind = kind;
    error.message = scrub(diagnostic);
    error.code = scrub(code);
    error.upstreamStatus = m_status;
    qCWarning(lcUpstream).noquote()
        << "run" << m_request.runId << "model" << m_request.modelRef << "failed:" << error.message;
    emit failed(error);
}

} // namespace passerelle
