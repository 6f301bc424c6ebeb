#include "providers/OpenAiCompletionsBackend.h"

#include "Logging.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

namespace passerelle {

namespace {

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

} // namespace

OpenAiCompletionsBackend::OpenAiCompletionsBackend(const BackendRequest &request,
                                                   const ProviderConfig &provider,
                                                   UpstreamPool *pool, QObject *parent)
    : BackendRun(parent), m_request(request), m_provider(provider), m_exchange(pool, this)
{
    connect(&m_exchange, &UpstreamExchange::sseEvent, this, &OpenAiCompletionsBackend::onEvent);
    connect(&m_exchange, &UpstreamExchange::jsonReceived, this,
            &OpenAiCompletionsBackend::handleCompleteJson);
    connect(&m_exchange, &UpstreamExchange::httpError, this,
            &OpenAiCompletionsBackend::onHttpError);
    connect(&m_exchange, &UpstreamExchange::streamEnded, this,
            &OpenAiCompletionsBackend::onStreamEnded);
    connect(&m_exchange, &UpstreamExchange::failed, this,
            [this](BackendError::Kind kind, const QString &diagnostic) { fail(kind, diagnostic); });
}

// A run deleted mid-flight still closes its upstream connection: m_exchange does on destruction.
OpenAiCompletionsBackend::~OpenAiCompletionsBackend() = default;

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
        QJsonObject message {{QStringLiteral("role"), turn.role},
                             {QStringLiteral("content"), turn.content}};
        // A stored response's turns keep their tool calls and results, so a continued
        // conversation goes on where its tool round left off.
        if (!turn.toolCalls.isEmpty()) {
            message.insert(QStringLiteral("tool_calls"), turn.toolCalls);
            if (turn.content.isEmpty())
                message.insert(QStringLiteral("content"), QJsonValue::Null);
        }
        if (!turn.toolCallId.isEmpty())
            message.insert(QStringLiteral("tool_call_id"), turn.toolCallId);
        messages.append(message);
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

void OpenAiCompletionsBackend::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    UpstreamRequest upstream;
    upstream.url = endpointUrl(m_provider.baseUrl);
    const QString scheme = upstream.url.scheme();
    if (!upstream.url.isValid() || upstream.url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        // start() returns before any signal, as the interface promises.
        QTimer::singleShot(0, this, [this] {
            fail(BackendError::Kind::Internal,
                 QStringLiteral("provider '%1' has no valid http(s) baseUrl").arg(m_provider.name));
        });
        return;
    }
    upstream.body = QJsonDocument(requestBody(m_request)).toJson(QJsonDocument::Compact);
    if (!m_provider.apiKey.isEmpty())
        upstream.headers.append({"Authorization", "Bearer " + m_provider.apiKey.toUtf8()});
    for (auto it = m_provider.headers.cbegin(); it != m_provider.headers.cend(); ++it)
        upstream.headers.append({it.key().toUtf8(), it.value().toUtf8()});
    upstream.secret = m_provider.apiKey;
    upstream.connectTimeoutMs = m_provider.connectTimeoutMs;
    upstream.firstEventTimeoutMs = m_provider.timeoutMs;
    upstream.idleTimeoutMs = m_provider.idleTimeoutMs;
    m_exchange.start(std::move(upstream));
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "POST" << m_exchange.where()
                                  << "model" << upstreamModel(m_request.modelRef);
}

void OpenAiCompletionsBackend::abort()
{
    if (m_done)
        return;
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "aborted after"
                                  << m_clock.elapsed() << "ms";
    m_done = true;
    m_exchange.abort();
}

void OpenAiCompletionsBackend::setPaused(bool paused)
{
    m_exchange.setPaused(paused);
}

void OpenAiCompletionsBackend::onEvent(const SseParser::Item &event)
{
    const QByteArray data = event.data.trimmed();
    if (data == "[DONE]") {
        succeed();
        return;
    }
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (event.event == QLatin1String("error")) {
        const QJsonValue error = doc.object().value(QLatin1String("error"));
        failFromErrorObject(error.isObject() ? error.toObject() : doc.object(), 0);
        return;
    }
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(BackendError::Kind::Unreachable,
             QStringLiteral("%1: malformed stream chunk (%2)")
                 .arg(m_exchange.where(), parseError.errorString()));
        return;
    }
    handleChunk(doc.object());
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
    for (const auto &c : choices) { // n is never above 1, but pick index 0 if it is
        if (c.toObject().value(QLatin1String("index")).toInt(-1) == 0) {
            choice = c.toObject();
            break;
        }
    }
    if (!relayParts(choice.value(QLatin1String("delta")).toObject(), false))
        return;
    const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
    if (finish.isString() && !finish.toString().isEmpty()) {
        m_finishReason = normalisedFinishReason(finish.toString());
        noteStopSequence(choice);
    }
}

void OpenAiCompletionsBackend::noteStopSequence(const QJsonObject &choice)
{
    // The OpenAI wire format does not say which stop sequence matched; vLLM adds it as the
    // choice's `stop_reason` (a string, or a token id). Only one of the request's own is taken.
    const QJsonValue which = choice.value(QLatin1String("stop_reason"));
    if (which.isString() && m_request.stop.contains(which.toString()))
        setStopSequence(which.toString());
}

bool OpenAiCompletionsBackend::relayParts(const QJsonObject &part, bool complete)
{
    const QPointer<OpenAiCompletionsBackend> guard(this);
    const QString content = part.value(QLatin1String("content")).toString();
    if (!content.isEmpty()) {
        markOutput();
        emit contentDelta(content);
        if (!guard || m_done)
            return false;
    }
    const QJsonArray toolCalls = part.value(QLatin1String("tool_calls")).toArray();
    if (!toolCalls.isEmpty()) {
        emitToolCallDeltas(toolCalls, complete);
        if (!guard || m_done)
            return false;
    }
    // The legacy single function_call of older servers counts as tool call 0.
    const QJsonObject functionCall = part.value(QLatin1String("function_call")).toObject();
    if (!functionCall.isEmpty()) {
        emitToolCallDeltas(QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                                    {QStringLiteral("function"), functionCall}}},
                           complete);
        if (!guard || m_done)
            return false;
    }
    return true;
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
        if (!guard || m_done)
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
                 .arg(m_exchange.where(), parseError.errorString()));
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
             QStringLiteral("%1: answer without choices").arg(m_exchange.where()));
        return;
    }
    const QJsonObject choice = choices.first().toObject();
    if (!relayParts(choice.value(QLatin1String("message")).toObject(), true))
        return;
    const QString finish = choice.value(QLatin1String("finish_reason")).toString();
    if (!finish.isEmpty()) {
        m_finishReason = normalisedFinishReason(finish);
        noteStopSequence(choice);
    }
    succeed();
}

void OpenAiCompletionsBackend::onHttpError(int status, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue errorValue = doc.object().value(QLatin1String("error"));
    QJsonObject errorObject;
    if (errorValue.isObject())
        errorObject = errorValue.toObject();
    else if (errorValue.isString())
        errorObject.insert(QStringLiteral("message"), errorValue);
    else if (doc.object().value(QLatin1String("message")).isString())
        errorObject = doc.object(); // {"message": ...} without the envelope
    else
        errorObject.insert(QStringLiteral("message"), QString::fromUtf8(body.left(500)));
    failFromErrorObject(errorObject, status);
}

void OpenAiCompletionsBackend::onStreamEnded(const QString &cut)
{
    // The stream ended without [DONE]: complete if the model said why it stopped.
    if (!m_finishReason.isEmpty()) {
        succeed();
        return;
    }
    fail(BackendError::Kind::Unreachable,
         cut.isEmpty() ? QStringLiteral("%1: stream ended without [DONE] or finish_reason")
                             .arg(m_exchange.where())
                       : QStringLiteral("%1: stream cut before it finished (%2)")
                             .arg(m_exchange.where(), cut));
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
             .arg(m_exchange.where())
             .arg(status == 0 ? QStringLiteral("200, error in stream") : QString::number(status),
                  message.isEmpty() ? QString() : QStringLiteral(": ") + message));
}

void OpenAiCompletionsBackend::succeed()
{
    if (m_done)
        return;
    QString reason = m_finishReason.isEmpty() ? QStringLiteral("stop") : m_finishReason;
    // Some servers (older Ollama) report "stop" after tool calls; the client needs tool_calls.
    if (reason == QLatin1String("stop") && m_nextToolIndex > 0)
        reason = QStringLiteral("tool_calls");
    m_done = true;
    m_exchange.abort(); // closes the connection if the upstream has not yet
    qCDebug(lcUpstream).noquote() << "run" << m_request.runId << "finished" << reason << "in"
                                  << m_clock.elapsed() << "ms";
    emit finished(reason, m_usage);
}

void OpenAiCompletionsBackend::fail(BackendError::Kind kind, const QString &diagnostic,
                                    const QString &code)
{
    if (m_done)
        return;
    m_done = true;
    m_exchange.abort();
    BackendError error;
    error.kind = kind;
    error.message = UpstreamExchange::scrub(diagnostic, m_provider.apiKey);
    error.code = UpstreamExchange::scrub(code, m_provider.apiKey);
    error.upstreamStatus = m_exchange.httpStatus();
    qCWarning(lcUpstream).noquote()
        << "run" << m_request.runId << "model" << m_request.modelRef << "failed:" << error.message;
    emit failed(error);
}

} // namespace passerelle
