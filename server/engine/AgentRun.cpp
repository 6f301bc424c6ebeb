#include "engine/AgentRun.h"

#include "Logging.h"
#include "engine/AdmittedRun.h"
#include "engine/PromptBuilder.h"
#include "engine/RunEngine.h"
#include "providers/BackendRouter.h"
#include "providers/ModelChainRun.h"
#include "store/SessionStore.h"

#include <QDateTime>
#include <QPointer>

namespace passerelle {

QString AgentRun::clientGoneText()
{
    return QStringLiteral("client closed the connection");
}

AgentRun::AgentRun(RunEngine *engine, RunRequest request, RunObserver *observer)
    : QObject(engine), m_engine(engine), m_request(std::move(request)), m_observer(observer)
{
    m_clock.start();
}

AgentRun::~AgentRun()
{
    if (m_phase != Phase::Done)
        abort();
}

void AgentRun::begin(const AgentConfig &agent)
{
    m_record = m_request.record;
    RequestLog *log = m_engine->log();
    if (m_record.id == 0 && log) // a surface that made no row of its own yet
        m_record.id = log->nextId();
    if (!m_record.startedAt.isValid())
        m_record.startedAt = QDateTime::currentDateTimeUtc();
    m_record.agentId = m_request.agentId;
    m_record.sessionKey = m_request.sessionKey;
    m_record.principal = m_request.caller.principal;
    if (log)
        log->record(m_record);

    BackendRequest &b = m_backendRequest;
    b.runId = m_request.runId;
    b.agentId = m_request.agentId;
    b.systemPrompt
        = BackendRequest::composeSystemPrompt(agent.systemPrompt, m_request.extraSystemPrompt);
    b.prompt = m_request.prompt;
    b.clientMessages = m_request.messages;
    b.maxTokens = m_request.maxTokens;
    b.stop = m_request.stop;
    b.passthrough = m_request.sampling;
    m_chain = agent.modelChain();

    if (!m_request.previousResponseId.isEmpty()) {
        loadChain();
        return;
    }
    if (m_request.stableSession && m_engine->store()) {
        loadTranscript();
        return;
    }
    startBackend({});
}

void AgentRun::loadTranscript()
{
    m_phase = Phase::LoadingHistory;
    m_engine->store()->modelContext(
        m_request.sessionKey, m_engine->config().sessionHistoryMessages, this,
        [this](const StoreResult<QList<ChatTurn>> &history) {
            const QString what
                = QStringLiteral("history of %1 not loaded:").arg(m_request.sessionKey);
            if (!history.ok && m_engine->store()->isShared())
                return failForStore(what, history.error);
            if (!history.ok)
                qCWarning(lcSessions).noquote()
                    << "run" << m_request.runId << what << history.error;
            startBackend(history.value);
        });
}

void AgentRun::loadChain()
{
    SessionStore *store = m_engine->store();
    const QString &id = m_request.previousResponseId;
    if (!store) {
        refuse(ApiError::previousResponseNotFound(id));
        return;
    }
    m_phase = Phase::LoadingHistory;
    const ResponseScope scope {m_request.caller.principal, m_request.agentId, {}};
    store->responseChain(
        id, scope, m_engine->config().sessionHistoryMessages, this,
        [this](const StoreResult<ResponseChain> &chain) {
            if (m_phase == Phase::Done)
                return;
            if (!chain.ok)
                return failForStore(
                    QStringLiteral("response %1 not loaded:").arg(m_request.previousResponseId),
                    chain.error);
            if (!chain.value.found) {
                refuse(ApiError::previousResponseNotFound(m_request.previousResponseId));
                return;
            }
            // A session-key header names the conversation itself (SPEC 11 "Sessions"): its
            // transcript is the history. Otherwise the run continues the response's session.
            if (m_request.stableSession && m_engine->store()) {
                loadTranscript();
                return;
            }
            m_request.sessionKey = chain.value.sessionKey;
            m_record.sessionKey = chain.value.sessionKey;
            if (RequestLog *log = m_engine->log())
                log->record(m_record);
            startBackend(chain.value.turns);
        });
}

void AgentRun::refuse(const ApiError &error)
{
    if (m_phase == Phase::Done)
        return;
    RunFailure failure;
    failure.kind = BackendError::Kind::BadRequest;
    failure.error = error;
    if (m_observer)
        m_observer->runFailed(failure);
    end(RunOutcome::Error, error.status, error.message, error.body());
}

void AgentRun::failForStore(const QString &what, const QString &why)
{
    if (m_phase == Phase::Done)
        return;
    qCWarning(lcSessions).noquote() << "run" << m_request.runId << what << why;
    RunFailure failure;
    failure.kind = BackendError::Kind::Internal;
    failure.error = ApiError::storeUnavailable();
    if (m_observer)
        m_observer->runFailed(failure);
    end(RunOutcome::Error,
        m_request.statusSentFirst && m_reportedReady ? 200 : failure.error.status,
        failure.error.message, {});
}

void AgentRun::startBackend(const QList<ChatTurn> &history)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Running;
    m_backendRequest.history = history;
    m_reportedReady = true;
    if (m_observer) {
        m_observer->runReady();
        if (m_phase != Phase::Running)
            return; // aborted from inside
    }

    // Each attempt of the chain waits for its provider's admission. The config snapshot is
    // copied (implicitly shared): a live change never alters a running chain.
    const QPointer<AgentRun> self(this);
    BackendRouter *backends = m_engine->m_backends;
    auto factory = [self, backends, request = m_backendRequest,
                    config = m_engine->config()](const QString &modelRef, QString *why) {
        BackendRequest attempt = request;
        attempt.modelRef = modelRef;
        std::unique_ptr<BackendRun> run = backends->create(attempt, config, why);
        if (!run || !self)
            return run;
        QString provider, model;
        GatewayConfig::splitModelRef(modelRef, &provider, &model);
        AdmittedRun::Hooks hooks;
        hooks.queued = [self](int ahead) {
            if (self)
                self->onQueued(ahead);
        };
        hooks.admitted = [self] {
            if (self)
                self->onAdmitted();
        };
        return std::unique_ptr<BackendRun>(std::make_unique<AdmittedRun>(
            std::move(run), self->m_engine->gateFor(provider), std::move(hooks)));
    };
    auto chain = std::make_unique<ModelChainRun>(m_chain, std::move(factory));
    connect(chain.get(), &ModelChainRun::attemptFailed, this,
            [this](const QString &modelRef, const BackendError &error, bool fallingBack) {
                m_engine->attemptFailed(m_request.agentId, modelRef, error, fallingBack);
            });
    m_backend = std::move(chain);
    connect(m_backend.get(), &BackendRun::contentDelta, this, &AgentRun::onContent);
    connect(m_backend.get(), &BackendRun::toolCallDelta, this, &AgentRun::onToolCall);
    connect(m_backend.get(), &BackendRun::finished, this, &AgentRun::onFinished);
    connect(m_backend.get(), &BackendRun::failed, this, &AgentRun::onFailed);
    if (m_paused)
        m_backend->setPaused(true);
    m_backend->start();
}

void AgentRun::onQueued(int ahead)
{
    if (m_observer && m_phase == Phase::Running)
        m_observer->runQueued(ahead);
}

void AgentRun::onAdmitted()
{
    if (m_reportedStart || m_phase != Phase::Running)
        return;
    m_reportedStart = true;
    if (m_observer)
        m_observer->runStarted();
}

void AgentRun::firstOutput()
{
    if (m_firstOutputNs < 0) {
        m_firstOutputNs = m_clock.nsecsElapsed();
        m_record.ttfbMs = m_firstOutputNs / 1000000;
    }
}

void AgentRun::onContent(const QString &text)
{
    if (m_phase != Phase::Running || text.isEmpty())
        return;
    firstOutput();
    m_text += text;
    if (m_observer)
        m_observer->runContent(text);
}

void AgentRun::onToolCall(const QJsonObject &delta)
{
    if (m_phase != Phase::Running)
        return;
    firstOutput();
    m_toolCalls.add(delta);
    if (m_observer)
        m_observer->runToolCall(delta);
}

void AgentRun::onFinished(const QString &finishReason, const Usage &usage)
{
    if (m_phase != Phase::Running)
        return;
    m_record.usage = usage;
    RunResult result;
    // Some servers say "stop" after tool calls; a client needs "tool_calls" to run them.
    result.finishReason = !m_toolCalls.isEmpty() && finishReason == QLatin1String("stop")
        ? QStringLiteral("tool_calls")
        : finishReason;
    if (result.finishReason == QLatin1String("stop"))
        result.stopSequence = m_backend->stopSequence();
    result.usage = usage;
    result.text = m_text;
    result.toolCalls = m_toolCalls.toolCalls();

    SessionStore *store = m_engine->store();
    if (!m_request.stableSession || result.isEmpty() || !store) {
        storeThenDeliver(result);
        return;
    }
    // The client hears the end only once the turn is durable: a reply it has seen is never lost
    // to a crash (tests/tst_relay kills the binary right after an answer).
    m_phase = Phase::SavingTurn;
    const StoredTurn turn {m_request.sessionKey, m_request.agentId, m_request.prompt, m_text};
    store->appendTurn(turn, this, [this, result](const StoreResult<bool> &stored) {
        if (!stored.ok)
            qCWarning(lcSessions).noquote()
                << "run" << m_request.runId << "could not store a turn of" << m_request.sessionKey
                << ":" << stored.error;
        storeThenDeliver(result);
    });
}

void AgentRun::storeThenDeliver(const RunResult &result)
{
    SessionStore *store = m_engine->store();
    if (!m_request.storeResponse || !store || !m_observer) {
        deliverFinished(result);
        return;
    }
    m_phase = Phase::SavingTurn;
    StoredResponse response;
    response.id = m_request.runId;
    response.parentId = m_request.previousResponseId;
    response.sessionKey = m_request.sessionKey;
    response.agentId = m_request.agentId;
    response.principal = m_request.caller.principal;
    response.createdAt = m_record.startedAt;
    response.turns = PromptBuilder::conversationTurns(m_request.messages);
    if (!result.isEmpty())
        response.turns.append(
            ChatTurn {QStringLiteral("assistant"), result.text, result.toolCalls});
    response.input = m_request.storedInput;
    response.body = m_observer->runStoredBody(result);
    response.usage = result.usage;
    // As a turn: the client hears the end once the response it may name next is durable.
    store->storeResponse(response, m_engine->config().responsesMaxStored, this,
                         [this, result, id = response.id](const StoreResult<bool> &stored) {
                             if (!stored.ok)
                                 qCWarning(lcSessions).noquote()
                                     << "run" << m_request.runId << "could not store response" << id
                                     << ":" << stored.error;
                             deliverFinished(result);
                         });
}

void AgentRun::deliverFinished(const RunResult &result)
{
    if (m_phase == Phase::Done)
        return;
    if (m_observer)
        m_observer->runFinished(result);
    end(RunOutcome::Ok, 200, {}, m_text.toUtf8());
}

void AgentRun::onFailed(const BackendError &error)
{
    if (m_phase != Phase::Running)
        return;
    RunFailure failure;
    failure.kind = error.kind;
    failure.error = ApiError::fromBackend(error);
    if (error.kind == BackendError::Kind::Busy)
        failure.retryAfterSeconds = 1;
    qCInfo(lcUpstream).noquote() << "run" << m_request.runId << "failed:" << failure.error.message
                                 << "(" << error.message << ")";
    if (m_observer)
        m_observer->runFailed(failure);
    end(error.kind == BackendError::Kind::Busy ? RunOutcome::Busy : RunOutcome::Error,
        m_request.statusSentFirst && m_reportedReady ? 200 : failure.error.status,
        failure.error.message, {});
}

void AgentRun::abort(int status, const QString &reason)
{
    if (m_phase == Phase::Done)
        return;
    m_observer = nullptr;
    if (m_backend)
        m_backend->abort();
    end(RunOutcome::Aborted, status, reason, m_text.toUtf8());
}

void AgentRun::setPaused(bool paused)
{
    m_paused = paused;
    if (m_backend)
        m_backend->setPaused(paused);
}

void AgentRun::end(RunOutcome outcome, int status, const QString &error,
                   const QByteArray &defaultBody)
{
    m_phase = Phase::Done;
    m_observer = nullptr;
    RunEnd ended;
    ended.surface = m_request.surface;
    ended.agentId = m_request.agentId;
    ended.outcome = outcome;
    ended.firstOutputNs = m_firstOutputNs;
    ended.durationNs = m_clock.nsecsElapsed();
    ended.usage = m_record.usage;
    m_engine->runEnded(ended);
    m_record.status = m_responseStatus > 0 && status != 499 ? m_responseStatus : status;
    m_record.error = error;
    m_record.durationMs = ended.durationNs / 1000000;
    if (m_record.ttfbMs < 0)
        m_record.ttfbMs = m_record.durationMs;
    m_record.responseBody
        = (m_responseBody.isNull() ? defaultBody : m_responseBody).left(RequestLog::kBodyCap);
    m_record.finished = true;
    if (RequestLog *log = m_engine->log())
        log->record(m_record);
    // The backend may still be inside its own signal emission: delete on the next turn.
    deleteLater();
}

} // namespace passerelle
