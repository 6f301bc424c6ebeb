#pragma once

// What must outlive a run (SPEC.md section 7): the transcripts of stable sessions, the stored
// responses (section 11), the usage per token in daily buckets (section 12), and, in a store
// several gateways share, the failed-auth limiter state (section 5).
// An asynchronous interface: every call returns at once and its result is delivered later, on the
// thread that made the call (the server thread), as a call of `done` made through `context`. When
// `context` is destroyed first, the result is dropped (the work itself still completes: a turn
// handed over is written). Implementations keep every disk or network wait off the caller's
// thread (SqliteSessionStore: a thread of its own). Lives on the server thread.

#include "auth/AuthRateLimiter.h"
#include "config/GatewayConfig.h"
#include "providers/Backend.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace passerelle {

struct SessionInfo
{
    QString key;
    QString agentId;
    int turns = 0;
    QDateTime updatedAt;
};

// One completed turn of a stable session: the built prompt and the assistant's reply.
struct StoredTurn
{
    QString sessionKey;
    QString agentId;
    QString userText;
    QString assistantText;
};

// What one credential did (SPEC.md section 12, usage per token): requests, the tokens the model
// backends reported for them, and how many ended in an error.
struct UsageCounts
{
    qint64 requests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 errors = 0;

    bool isZero() const { return !requests && !promptTokens && !completionTokens && !errors; }
    UsageCounts &operator+=(const UsageCounts &o);
    bool operator==(const UsageCounts &o) const;
};

// One daily bucket of one token ("main" for the gateway's own secret, else a named token's name).
// Days are UTC days.
struct TokenUsageDay
{
    QString token;
    QDate day;
    UsageCounts counts;
};

// A token's usage today, over the last 7 days (today included) and in total.
struct TokenUsageSummary
{
    QString token;
    UsageCounts today;
    UsageCounts last7Days;
    UsageCounts total;
};

// One stored response (SPEC.md section 11): what a later request naming it as its parent continues,
// and what retrieval returns. The store keeps the surface's own JSON as opaque bytes.
struct StoredResponse
{
    QString id; // "resp_..."
    QString parentId; // the response it continued (previous_response_id); "" for a first one
    QString sessionKey; // the conversation it belongs to
    QString agentId;
    QString principal; // the credential that made it (AuthResult::principal)
    QDateTime createdAt; // UTC
    QList<ChatTurn> turns; // its part of the conversation: its input's turns, then its output's
    QByteArray input; // the surface's JSON of its input items
    QByteArray body; // the surface's JSON of the response object, as retrieval returns it
    Usage usage;
};

// Who may see a stored response: the credential that made it, for one agent or for the agents a
// credential may use. A response outside the scope is answered as if it did not exist.
struct ResponseScope
{
    QString principal;
    QString agentId; // "": any agent (within `agents`)
    QStringList agents; // the agents the credential may use; empty: all

    bool covers(const StoredResponse &response) const
    {
        return response.principal == principal && (agentId.isEmpty() || response.agentId == agentId)
            && (agents.isEmpty() || agents.contains(response.agentId));
    }
};

// The conversation that ends at a stored response: the turns of its chain of parents, oldest
// first, cut to a limit so that it opens with a user turn.
struct ResponseChain
{
    bool found = false; // the response exists within the scope
    QString sessionKey; // of the response
    QList<ChatTurn> turns;
};

// The outcome of one store call: ok with a value, or not ok with a reason for logs (never a
// secret).
template<typename T> struct StoreResult
{
    bool ok = false;
    T value {};
    QString error;
};

class SessionStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionStore)

public:
    enum class State {
        Opening, // not usable yet; calls made now wait for the outcome
        Available, // calls are served
        Unavailable // calls fail (ok == false) until the store recovers
    };
    Q_ENUM(State)

    // Called on the caller's thread, never from inside the call that was given it, and only while
    // `context` (which lives on the caller's thread) is alive. May be empty.
    template<typename T> using Callback = std::function<void(const StoreResult<T> &result)>;

    using QObject::QObject;
    ~SessionStore() override = default;

    // The chat-message JSON of turns ({role, content, tool_calls?, tool_call_id?}) and back, for
    // stores that keep a response's turns as one document.
    static QByteArray turnsToJson(const QList<ChatTurn> &turns);
    static QList<ChatTurn> turnsFromJson(const QByteArray &json);

    // Where the embedded store keeps its file by default (AppDataLocation/sessions.sqlite, the
    // directory created); the panel shows that directory as the app's data directory.
    static QString defaultPath();

    virtual State state() const = 0;
    bool isAvailable() const { return state() == State::Available; }
    // For the panel, logs and metrics: "sqlite", "postgres", ... and where it is (no secret).
    virtual QString kind() const = 0;
    virtual QString location() const = 0;
    // Why the store is Unavailable, when it knows (no secret); "" otherwise.
    virtual QString unavailableReason() const { return {}; }
    // Several gateways share this store (PostgreSQL), each seeing the others' turns. While such a
    // store is down, a run that keeps a conversation is refused (503): answered without its
    // transcript it would fork the conversation between gateways. A gateway's own file is not:
    // such a run is answered without its transcript, and the failure logged.
    virtual bool isShared() const { return false; }

    // The last `limit` messages of the session, oldest first.
    virtual void history(const QString &key, int limit, QObject *context,
                         Callback<QList<ChatTurn>> done)
        = 0;
    // What a model is sent before the new prompt: history() cut so that it opens with a user turn
    // (chat templates expect user/assistant alternation from a user message).
    virtual void modelContext(const QString &key, int limit, QObject *context,
                              Callback<QList<ChatTurn>> done)
        = 0;
    // Appends one completed turn (user prompt + assistant reply) atomically: after a crash either
    // both messages are there or neither. `done` (may be empty) reports once it is durable.
    virtual void appendTurn(const StoredTurn &turn, QObject *context, Callback<bool> done) = 0;
    // Sessions, the most recently written first.
    virtual void sessions(int limit, QObject *context, Callback<QList<SessionInfo>> done) = 0;

    // Adds each delta to its token's bucket of its day, atomically (all or none).
    virtual void addUsage(const QList<TokenUsageDay> &deltas, QObject *context, Callback<bool> done)
        = 0;
    // The buckets of the days from `from` to `to` (inclusive), by day then token name.
    virtual void usageDays(const QDate &from, const QDate &to, QObject *context,
                           Callback<QList<TokenUsageDay>> done)
        = 0;
    // Every token with usage, by name: its day `today`, the 7 days ending with it, all days.
    virtual void usageSummary(const QDate &today, QObject *context,
                              Callback<QList<TokenUsageSummary>> done)
        = 0;
    // Stored responses (SPEC section 11). storeResponse() keeps one atomically (replacing one
    // with the same id) and then drops the oldest beyond `maxStored`; `done` reports once it is
    // durable.
    virtual void storeResponse(const StoredResponse &response, int maxStored, QObject *context,
                               Callback<bool> done)
        = 0;
    // The response with that id if the scope covers it, else nullopt.
    virtual void response(const QString &id, const ResponseScope &scope, QObject *context,
                          Callback<std::optional<StoredResponse>> done)
        = 0;
    // The conversation ending at that response (its turns after those of its parents, back to
    // the first response or to a parent no longer stored), the last `limit` turns of it, opening
    // with a user turn. Not found (or outside the scope): `found` false.
    virtual void responseChain(const QString &id, const ResponseScope &scope, int limit,
                               QObject *context, Callback<ResponseChain> done)
        = 0;
    // Removes the response if the scope covers it; the value says whether one was removed. Its
    // children stay; their chains then begin after it.
    virtual void deleteResponse(const QString &id, const ResponseScope &scope, QObject *context,
                                Callback<bool> done)
        = 0;

    // The failed-auth limiter state of gateways that share the store (SPEC section 5), beside
    // each gateway's own limiter in memory. A store of one gateway shares nothing: false, and the
    // calls below do nothing.
    virtual bool sharesAuthState() const { return false; }
    // A wrong secret from `ip`, counted for every gateway; the value is how long `ip` is locked
    // out now (0: not locked). A lockout it starts is announced to every gateway
    // (sharedLockout).
    virtual void recordAuthFailure(const QString &ip, const RateLimitConfig &limits,
                                   QObject *context, Callback<qint64> done)
    {
        Q_UNUSED(ip);
        Q_UNUSED(limits);
        Q_UNUSED(context);
        Q_UNUSED(done);
    }
    // A right secret from `ip`: its count starts again (a lockout stays).
    virtual void recordAuthSuccess(const QString &ip) { Q_UNUSED(ip); }
    // The panel lifts a lockout: on every gateway (announced as sharedLockout(ip, 0)).
    virtual void clearAuthFailures(const QString &ip) { Q_UNUSED(ip); }
    // The lockouts in force, for a gateway that (re)connects.
    virtual void sharedLockouts(QObject *context, Callback<QList<Lockout>> done)
    {
        Q_UNUSED(context);
        Q_UNUSED(done);
    }

signals:
    void stateChanged(passerelle::SessionStore::State state);
    // A gateway sharing the store locked `ip` out for `remainingMs` (0: the lockout was lifted).
    void sharedLockout(const QString &ip, qint64 remainingMs);

protected:
    // modelContext() from history(), for every implementation: drops what comes before the first
    // user message.
    static QList<ChatTurn> fromFirstUserTurn(QList<ChatTurn> turns);
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::TokenUsageSummary)
Q_DECLARE_METATYPE(QList<passerelle::TokenUsageSummary>)
