#pragma once

// What must outlive a run (SPEC.md section 7): the transcripts of stable sessions, and later the
// stored responses (section 11), usage buckets (section 12) and shared limiter state (section 13).
// An asynchronous interface: every call returns at once and its result is delivered later, on the
// thread that made the call (the server thread), as a call of `done` made through `context`. When
// `context` is destroyed first, the result is dropped (the work itself still completes: a turn
// handed over is written). Implementations keep every disk or network wait off the caller's
// thread (SqliteSessionStore: a thread of its own). Lives on the server thread.

#include "providers/Backend.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

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

    // Where the embedded store keeps its file by default (AppDataLocation/sessions.sqlite, the
    // directory created); the panel shows that directory as the app's data directory.
    static QString defaultPath();

    virtual State state() const = 0;
    bool isAvailable() const { return state() == State::Available; }
    // For the panel, logs and metrics: "sqlite", "postgres", ... and where it is (no secret).
    virtual QString kind() const = 0;
    virtual QString location() const = 0;

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
    // appendTurn() for a run that goes on either way: `then` runs (while `context` lives) once the
    // turn is durable or could not be stored, which is logged.
    void appendTurnThen(const StoredTurn &turn, QObject *context, std::function<void()> then);
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

signals:
    void stateChanged(passerelle::SessionStore::State state);

protected:
    // modelContext() from history(), for every implementation: drops what comes before the first
    // user message.
    static QList<ChatTurn> fromFirstUserTurn(QList<ChatTurn> turns);
};

} // namespace passerelle

Q_DECLARE_METATYPE(passerelle::TokenUsageSummary)
Q_DECLARE_METATYPE(QList<passerelle::TokenUsageSummary>)
