// The SessionStore contract, run against each implementation (SqliteSessionStore on files and
// PostgresSessionStore on a real PostgreSQL server the test starts, support/PostgresServer):
// history order and limits, modelContext opening at a user turn,
// one atomic transaction per turn, sessions newest first, data kept across a reopen and across the
// store's destruction, results on the caller's thread and never from inside the call, dropped
// callbacks, calls made while opening, and an unusable store; stored responses: the round trip,
// the scope, chains and branches with their bound, deletion, the maxStored bound, a reopen; usage
// per token in daily buckets (added up, summarised, atomic, kept across a reopen). Then what only
// SQLite promises (its journal, its schema migrations), and what only PostgreSQL does (migrations
// under a lock by stores starting at once, recovery when the server comes back, the shared
// failed-auth state, no password anywhere).

#include "store/PostgresSessionStore.h"
#include "store/SchemaSteps.h"
#include "store/SqliteSessionStore.h"
#include "store/SqliteSessionWorker.h"
#include "support/PostgresServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

using passerelle::ChatTurn;
using passerelle::Lockout;
using passerelle::PostgresSessionStore;
using passerelle::RateLimitConfig;
using passerelle::ResponseChain;
using passerelle::ResponseScope;
using passerelle::SessionInfo;
using passerelle::SessionStore;
using passerelle::SqliteSessionStore;
using passerelle::StoreConfig;
using passerelle::StoredResponse;
using passerelle::StoredTurn;
using passerelle::StoreResult;
using passerelle::TokenUsageDay;
using passerelle::TokenUsageSummary;
using passerelle::UsageCounts;
using passerelle::test::PostgresServer;

namespace {

constexpr int kWaitMs = 10000;

// How the contract makes the stores of one implementation.
struct StoreFixture
{
    QString name;
    // A new store on `location`; it starts opening at once.
    std::function<std::unique_ptr<SessionStore>(const QString &location)> create;
    // A store nobody else sees, gone with the store (SQLite: ":memory:").
    QString scratchLocation;
    // An empty store that outlives its SessionStore object, until `dir` goes.
    std::function<QString(const QTemporaryDir &dir)> durableLocation;
    // A store that cannot be opened.
    std::function<QString(const QTemporaryDir &dir)> unusableLocation;
    // From outside the store under test: makes every later write of a message whose content is
    // 'FAIL' fail, so a turn fails between its two messages.
    std::function<bool(const QString &location)> failMessagesNamedFail;
};

StoreFixture sqliteFixture()
{
    StoreFixture f;
    f.name = QStringLiteral("sqlite");
    f.create = [](const QString &location) -> std::unique_ptr<SessionStore> {
        return std::make_unique<SqliteSessionStore>(location);
    };
    f.scratchLocation = QStringLiteral(":memory:");
    f.durableLocation = [](const QTemporaryDir &dir) {
        return dir.filePath(QStringLiteral("nested/dir/sessions.sqlite"));
    };
    f.unusableLocation = [](const QTemporaryDir &dir) {
        // Its directory would have to be made inside a plain file.
        QFile file(dir.filePath(QStringLiteral("plain-file")));
        if (!file.open(QIODevice::WriteOnly))
            return QString();
        return dir.filePath(QStringLiteral("plain-file/sessions.sqlite"));
    };
    f.failMessagesNamedFail = [](const QString &location) {
        bool ok = false;
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("saboteur"));
            db.setDatabaseName(location);
            if (db.open()) {
                QSqlQuery q(db);
                ok = q.exec(QStringLiteral(
                    "CREATE TRIGGER fail_reply BEFORE INSERT ON messages WHEN NEW.content = 'FAIL'"
                    " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("saboteur"));
        return ok;
    };
    return f;
}

// PostgreSQL: a location is a database of the test's server; each scratch store gets a new one.
PostgresServer *s_postgres = nullptr;
int s_databases = 0;

QString newDatabase(const QString &prefix)
{
    const QString name = QStringLiteral("%1_%2").arg(prefix).arg(++s_databases);
    QString error;
    if (!s_postgres->createDatabase(name, &error))
        qWarning("cannot create database %s: %s", qPrintable(name), qPrintable(error));
    return name;
}

StoreConfig postgresConfig(const QString &database)
{
    if (database == QLatin1String("unreachable")) {
        // A port nothing listens on: the server "is down".
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        StoreConfig c = s_postgres->storeConfig(QStringLiteral("passerelle"));
        c.port = probe.serverPort();
        return c;
    }
    return s_postgres->storeConfig(database);
}

std::unique_ptr<PostgresSessionStore> postgresStore(const QString &database)
{
    return std::make_unique<PostgresSessionStore>(postgresConfig(database),
                                                  PostgresServer::password());
}

StoreFixture postgresFixture()
{
    StoreFixture f;
    f.name = QStringLiteral("postgres");
    f.create = [](const QString &location) -> std::unique_ptr<SessionStore> {
        return postgresStore(location == QLatin1String("scratch") ? newDatabase(location)
                                                                  : location);
    };
    f.scratchLocation = QStringLiteral("scratch");
    f.durableLocation
        = [](const QTemporaryDir &) { return newDatabase(QStringLiteral("durable")); };
    f.unusableLocation = [](const QTemporaryDir &) { return QStringLiteral("unreachable"); };
    f.failMessagesNamedFail = [](const QString &location) {
        return s_postgres->sql(
            location,
            QStringLiteral("CREATE FUNCTION fail_reply() RETURNS trigger LANGUAGE plpgsql AS $$"
                           " BEGIN IF NEW.content = 'FAIL' THEN RAISE EXCEPTION 'injected failure';"
                           " END IF; RETURN NEW; END $$;"
                           " CREATE TRIGGER fail_reply BEFORE INSERT ON messages FOR EACH ROW"
                           " EXECUTE FUNCTION fail_reply()"));
    };
    return f;
}

QStringList render(const QList<ChatTurn> &turns)
{
    QStringList out;
    for (const ChatTurn &t : turns)
        out << t.role + QStringLiteral(": ") + t.content;
    return out;
}

QStringList keysOf(const QList<SessionInfo> &sessions)
{
    QStringList keys;
    for (const SessionInfo &s : sessions)
        keys << s.key;
    return keys;
}

// Waits for the answer to one call, made with a context that lives until then.
template<typename T>
StoreResult<T>
await(const std::function<void(QObject *context, SessionStore::Callback<T> done)> &call)
{
    QObject context;
    std::optional<StoreResult<T>> result;
    call(&context, [&result](const StoreResult<T> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs))
        return {false, {}, QStringLiteral("no answer within %1 ms").arg(kWaitMs)};
    return *result;
}

StoreResult<QList<ChatTurn>> askHistory(SessionStore &store, const QString &key, int limit)
{
    return await<QList<ChatTurn>>(
        [&](QObject *context, SessionStore::Callback<QList<ChatTurn>> done) {
            store.history(key, limit, context, std::move(done));
        });
}

StoreResult<QList<ChatTurn>> askModelContext(SessionStore &store, const QString &key, int limit)
{
    return await<QList<ChatTurn>>(
        [&](QObject *context, SessionStore::Callback<QList<ChatTurn>> done) {
            store.modelContext(key, limit, context, std::move(done));
        });
}

StoreResult<bool> askAppend(SessionStore &store, const QString &key, const QString &agentId,
                            const QString &userText, const QString &assistantText)
{
    return await<bool>([&](QObject *context, SessionStore::Callback<bool> done) {
        store.appendTurn({key, agentId, userText, assistantText}, context, std::move(done));
    });
}

StoreResult<QList<SessionInfo>> askSessions(SessionStore &store, int limit = 200)
{
    return await<QList<SessionInfo>>(
        [&](QObject *context, SessionStore::Callback<QList<SessionInfo>> done) {
            store.sessions(limit, context, std::move(done));
        });
}

StoredResponse storedResponse(const QString &id, const QString &parent, const QString &user,
                              const QString &reply,
                              const QString &principal = QStringLiteral("gateway"),
                              const QString &agent = QStringLiteral("main"))
{
    StoredResponse r;
    r.id = id;
    r.parentId = parent;
    r.sessionKey = QStringLiteral("agent:main:openresponses:") + (parent.isEmpty() ? id : parent);
    r.agentId = agent;
    r.principal = principal;
    r.createdAt = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    r.turns
        = {ChatTurn {QStringLiteral("user"), user}, ChatTurn {QStringLiteral("assistant"), reply}};
    r.input = "[{\"role\":\"user\",\"content\":\"" + user.toUtf8() + "\"}]";
    r.body = "{\"id\":\"" + id.toUtf8() + "\",\"object\":\"response\"}";
    r.usage = {3, 4, true};
    return r;
}

StoreResult<bool> askStore(SessionStore &store, const StoredResponse &response, int maxStored = 100)
{
    return await<bool>([&](QObject *context, SessionStore::Callback<bool> done) {
        store.storeResponse(response, maxStored, context, std::move(done));
    });
}

StoreResult<std::optional<StoredResponse>> askResponse(SessionStore &store, const QString &id,
                                                       const ResponseScope &scope)
{
    return await<std::optional<StoredResponse>>(
        [&](QObject *context, SessionStore::Callback<std::optional<StoredResponse>> done) {
            store.response(id, scope, context, std::move(done));
        });
}

StoreResult<ResponseChain> askChain(SessionStore &store, const QString &id,
                                    const ResponseScope &scope, int limit = 40)
{
    return await<ResponseChain>([&](QObject *context, SessionStore::Callback<ResponseChain> done) {
        store.responseChain(id, scope, limit, context, std::move(done));
    });
}

StoreResult<bool> askDelete(SessionStore &store, const QString &id, const ResponseScope &scope)
{
    return await<bool>([&](QObject *context, SessionStore::Callback<bool> done) {
        store.deleteResponse(id, scope, context, std::move(done));
    });
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

const ResponseScope kGateway {QStringLiteral("gateway"), QStringLiteral("main"), {}};

StoreResult<bool> askAddUsage(SessionStore &store, const QList<TokenUsageDay> &deltas)
{
    return await<bool>([&](QObject *context, SessionStore::Callback<bool> done) {
        store.addUsage(deltas, context, std::move(done));
    });
}

StoreResult<QList<TokenUsageDay>> askUsageDays(SessionStore &store, const QDate &from,
                                               const QDate &to)
{
    return await<QList<TokenUsageDay>>(
        [&](QObject *context, SessionStore::Callback<QList<TokenUsageDay>> done) {
            store.usageDays(from, to, context, std::move(done));
        });
}

StoreResult<QList<TokenUsageSummary>> askUsageSummary(SessionStore &store, const QDate &today)
{
    return await<QList<TokenUsageSummary>>(
        [&](QObject *context, SessionStore::Callback<QList<TokenUsageSummary>> done) {
            store.usageSummary(today, context, std::move(done));
        });
}

// "token day r/p/c/e" per bucket, in the order given.
QStringList render(const QList<TokenUsageDay> &days)
{
    QStringList out;
    for (const TokenUsageDay &d : days)
        out << QStringLiteral("%1 %2 %3/%4/%5/%6")
                   .arg(d.token, d.day.toString(Qt::ISODate))
                   .arg(d.counts.requests)
                   .arg(d.counts.promptTokens)
                   .arg(d.counts.completionTokens)
                   .arg(d.counts.errors);
    return out;
}

QString render(const UsageCounts &c)
{
    return QStringLiteral("%1/%2/%3/%4")
        .arg(c.requests)
        .arg(c.promptTokens)
        .arg(c.completionTokens)
        .arg(c.errors);
}

const QDate kToday(2026, 3, 10);

} // namespace

class SessionStoreContract final : public QObject
{
    Q_OBJECT

public:
    explicit SessionStoreContract(StoreFixture fixture) : m_fixture(std::move(fixture)) { }

private slots:
    void initTestCase() { qInfo("the SessionStore contract, %s", qPrintable(m_fixture.name)); }
    void history_data();
    void history();
    void sessionsNewestFirst();
    void turnIsAtomic();
    void reopenFindsTheData();
    void emptyReplyIsStored();
    void twoStoresAreIndependent();
    void resultsArriveOnTheCallersThread();
    void deadContextDropsTheResult();
    void callsWhileOpeningAreServedAfterTheOpen();
    void destructionCompletesHandedOverWrites();
    void unusableStoreAnswersNotOk();
    void storedResponseRoundTrip();
    void responseScope_data();
    void responseScope();
    void chainsFollowParentsAndBranchesStayApart();
    void chainKeepsToolTurns();
    void chainIsBounded();
    void deleteWithinScope();
    void maxStoredDropsTheOldest();
    void responsesSurviveAReopen();
    void unusableStoreRefusesResponses();
    void usageAddsUpInDailyBuckets();
    void usageSummaryTodayWeekAndTotal();
    void usageSurvivesAReopen();
    void usageBatchIsAtomic();

private:
    std::unique_ptr<SessionStore> scratch() const
    {
        return m_fixture.create(m_fixture.scratchLocation);
    }

    StoreFixture m_fixture;
};

void SessionStoreContract::history_data()
{
    QTest::addColumn<int>("turns");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("no turns") << 0 << 10 << QStringList {};
    QTest::newRow("one turn") << 1 << 10
                              << QStringList {QStringLiteral("user: q1"),
                                              QStringLiteral("assistant: a1")};
    QTest::newRow("all within limit")
        << 2 << 4
        << QStringList {QStringLiteral("user: q1"), QStringLiteral("assistant: a1"),
                        QStringLiteral("user: q2"), QStringLiteral("assistant: a2")};
    QTest::newRow("limit keeps the newest, oldest first")
        << 3 << 3
        << QStringList {QStringLiteral("assistant: a2"), QStringLiteral("user: q3"),
                        QStringLiteral("assistant: a3")};
    QTest::newRow("limit one") << 3 << 1 << QStringList {QStringLiteral("assistant: a3")};
    QTest::newRow("limit zero") << 3 << 0 << QStringList {};
}

void SessionStoreContract::history()
{
    QFETCH(int, turns);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);

    const auto store = scratch();
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Available, kWaitMs);
    QVERIFY(store->isAvailable());
    const QString ann = QStringLiteral("agent:main:openai-user:ann");
    for (int i = 1; i <= turns; ++i) {
        const auto written = askAppend(*store, ann, QStringLiteral("main"),
                                       QStringLiteral("q%1").arg(i), QStringLiteral("a%1").arg(i));
        QVERIFY2(written.ok, qPrintable(written.error));
        // Another session interleaved: must never leak into this one.
        QVERIFY(askAppend(*store, QStringLiteral("agent:main:openai-user:bob"),
                          QStringLiteral("main"), QStringLiteral("other"), QStringLiteral("other"))
                    .ok);
    }
    const auto got = askHistory(*store, ann, limit);
    QVERIFY2(got.ok, qPrintable(got.error));
    QCOMPARE(render(got.value), expected);
    const auto nobody = askHistory(*store, QStringLiteral("agent:main:openai-user:nobody"), 10);
    QVERIFY(nobody.ok);
    QCOMPARE(nobody.value.size(), 0);

    // What a model is sent opens with a user turn: a leading assistant message is dropped.
    QStringList context = expected;
    while (!context.isEmpty() && !context.first().startsWith(QLatin1String("user: ")))
        context.removeFirst();
    const auto model = askModelContext(*store, ann, limit);
    QVERIFY2(model.ok, qPrintable(model.error));
    QCOMPARE(render(model.value), context);
}

void SessionStoreContract::sessionsNewestFirst()
{
    const auto store = scratch();
    QVERIFY(askAppend(*store, QStringLiteral("s1"), QStringLiteral("main"), QStringLiteral("a"),
                      QStringLiteral("b"))
                .ok);
    QVERIFY(askAppend(*store, QStringLiteral("s2"), QStringLiteral("ops"), QStringLiteral("a"),
                      QStringLiteral("b"))
                .ok);
    QVERIFY(askAppend(*store, QStringLiteral("s3"), QStringLiteral("main"), QStringLiteral("a"),
                      QStringLiteral("b"))
                .ok);
    QVERIFY(askAppend(*store, QStringLiteral("s1"), QStringLiteral("main"), QStringLiteral("c"),
                      QStringLiteral("d"))
                .ok);

    const auto listed = askSessions(*store);
    QVERIFY2(listed.ok, qPrintable(listed.error));
    const QList<SessionInfo> &all = listed.value;
    QCOMPARE(keysOf(all),
             (QStringList {QStringLiteral("s1"), QStringLiteral("s3"), QStringLiteral("s2")}));
    QCOMPARE(all.at(0).turns, 2);
    QCOMPARE(all.at(1).turns, 1);
    QCOMPARE(all.at(2).agentId, QStringLiteral("ops"));
    QVERIFY(all.at(0).updatedAt.isValid());
    QVERIFY(qAbs(all.at(0).updatedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(askSessions(*store, 2).value.size(), 2);
}

void SessionStoreContract::turnIsAtomic()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.durableLocation(dir);
    const auto store = m_fixture.create(location);
    QVERIFY(askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q1"),
                      QStringLiteral("a1"))
                .ok);

    // The assistant insert fails: the user message written just before it, in the same
    // transaction, must go too.
    QVERIFY(m_fixture.failMessagesNamedFail(location));
    const auto failed = askAppend(*store, QStringLiteral("s"), QStringLiteral("main"),
                                  QStringLiteral("q2"), QStringLiteral("FAIL"));
    QVERIFY(!failed.ok);
    QVERIFY(!failed.error.isEmpty());
    QVERIFY(!askAppend(*store, QStringLiteral("new"), QStringLiteral("main"), QStringLiteral("q"),
                       QStringLiteral("FAIL"))
                 .ok);
    QCOMPARE(render(askHistory(*store, QStringLiteral("s"), 10).value),
             (QStringList {QStringLiteral("user: q1"), QStringLiteral("assistant: a1")}));
    QCOMPARE(askSessions(*store).value.size(), 1); // the failed new session left no row either
    // The store still works after a rolled-back turn.
    QVERIFY(askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q3"),
                      QStringLiteral("a3"))
                .ok);
    QCOMPARE(askHistory(*store, QStringLiteral("s"), 10).value.size(), 4);
}

void SessionStoreContract::reopenFindsTheData()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.durableLocation(dir);
    const QString ann = QStringLiteral("agent:main:openai-user:ann");
    {
        const auto store = m_fixture.create(location);
        const auto written = askAppend(*store, ann, QStringLiteral("main"),
                                       QStringLiteral("Bonjour, je m'appelle Ann"),
                                       QStringLiteral("Enchanté, Ann"));
        QVERIFY2(written.ok, qPrintable(written.error));
    }
    const auto reopened = m_fixture.create(location);
    QCOMPARE(render(askHistory(*reopened, ann, 40).value),
             (QStringList {QStringLiteral("user: Bonjour, je m'appelle Ann"),
                           QStringLiteral("assistant: Enchanté, Ann")}));
    QCOMPARE(keysOf(askSessions(*reopened).value), QStringList {ann});
}

void SessionStoreContract::emptyReplyIsStored()
{
    const auto store = scratch();
    QVERIFY(askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                      QString())
                .ok);
    QCOMPARE(render(askHistory(*store, QStringLiteral("s"), 10).value),
             (QStringList {QStringLiteral("user: q"), QStringLiteral("assistant: ")}));
}

void SessionStoreContract::twoStoresAreIndependent()
{
    const auto a = scratch();
    const auto b = scratch();
    QVERIFY(askAppend(*a, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                      QStringLiteral("a"))
                .ok);
    QCOMPARE(askHistory(*a, QStringLiteral("s"), 10).value.size(), 2);
    const auto other = askHistory(*b, QStringLiteral("s"), 10);
    QVERIFY(other.ok);
    QCOMPARE(other.value.size(), 0);
}

void SessionStoreContract::resultsArriveOnTheCallersThread()
{
    // On this thread, and never from inside the call itself.
    {
        const auto store = scratch();
        QObject context;
        bool returned = false;
        bool calledBeforeReturn = false;
        QThread *deliveredOn = nullptr;
        store->appendTurn(
            {QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"), QStringLiteral("a")},
            &context, [&](const StoreResult<bool> &) {
                calledBeforeReturn = !returned;
                deliveredOn = QThread::currentThread();
            });
        returned = true;
        QTRY_VERIFY_WITH_TIMEOUT(deliveredOn, kWaitMs);
        QVERIFY(!calledBeforeReturn);
        QCOMPARE(deliveredOn, QThread::currentThread());
    }
    // A store living on another thread (as on the server thread) answers there.
    QThread server;
    server.setObjectName(QStringLiteral("test-server"));
    server.start();
    auto *anchor = new QObject;
    anchor->moveToThread(&server);
    std::unique_ptr<SessionStore> store;
    std::atomic<QThread *> deliveredOn {nullptr};
    std::atomic<bool> ok {false};
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            store = m_fixture.create(m_fixture.scratchLocation);
            store->appendTurn({QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                               QStringLiteral("a")},
                              anchor, [&](const StoreResult<bool> &result) {
                                  ok = result.ok;
                                  deliveredOn = QThread::currentThread();
                              });
        },
        Qt::BlockingQueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredOn.load(), kWaitMs);
    QCOMPARE(deliveredOn.load(), &server);
    QVERIFY(ok);
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            store.reset();
            delete anchor;
        },
        Qt::BlockingQueuedConnection);
    server.quit();
    QVERIFY(server.wait(kWaitMs));
}

void SessionStoreContract::deadContextDropsTheResult()
{
    const auto store = scratch();
    bool called = false;
    auto *context = new QObject;
    // Were they called, these would touch a deleted object (ASan would say so).
    store->appendTurn(
        {QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"), QStringLiteral("a")},
        context, [&called, context](const StoreResult<bool> &) {
            called = true;
            context->setObjectName(QStringLiteral("answered"));
        });
    store->sessions(10, context, [&called, context](const StoreResult<QList<SessionInfo>> &) {
        called = true;
        context->setObjectName(QStringLiteral("answered"));
    });
    delete context;

    // The work itself still completes: the turn handed over is written.
    QTRY_COMPARE_WITH_TIMEOUT(
        render(askHistory(*store, QStringLiteral("s"), 10).value),
        (QStringList {QStringLiteral("user: q"), QStringLiteral("assistant: a")}), kWaitMs);
    QVERIFY(askSessions(*store).ok); // one more round trip after the dropped ones
    QVERIFY(!called);
}

void SessionStoreContract::callsWhileOpeningAreServedAfterTheOpen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto store = m_fixture.create(m_fixture.durableLocation(dir));
    QCOMPARE(store->state(), SessionStore::State::Opening);
    QVERIFY(!store->isAvailable());
    QSignalSpy stateChanged(store.get(), &SessionStore::stateChanged);
    QStringList events;
    connect(store.get(), &SessionStore::stateChanged, this, [&](SessionStore::State state) {
        events << QStringLiteral("state %1").arg(int(state));
    });
    const auto seen = [&](const QString &what, bool ok) {
        events << QStringLiteral("%1 ok=%2 available=%3")
                      .arg(what)
                      .arg(int(ok))
                      .arg(int(store->isAvailable()));
    };
    QObject context;
    store->appendTurn(
        {QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"), QStringLiteral("a")},
        &context, [&](const StoreResult<bool> &r) { seen(QStringLiteral("appendTurn"), r.ok); });
    store->history(QStringLiteral("s"), 10, &context, [&](const StoreResult<QList<ChatTurn>> &r) {
        seen(QStringLiteral("history"), r.ok);
    });
    store->sessions(10, &context, [&](const StoreResult<QList<SessionInfo>> &r) {
        seen(QStringLiteral("sessions"), r.ok);
    });
    QCOMPARE(store->state(), SessionStore::State::Opening); // nothing answered from inside a call
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 4, kWaitMs);

    QCOMPARE(stateChanged.count(), 1);
    QCOMPARE(stateChanged.at(0).at(0).value<SessionStore::State>(), SessionStore::State::Available);
    QCOMPARE(events.first(), QStringLiteral("state %1").arg(int(SessionStore::State::Available)));
    QStringList answers = events.mid(1);
    answers.sort(); // the contract does not order answers to different calls
    QCOMPARE(answers,
             (QStringList {QStringLiteral("appendTurn ok=1 available=1"),
                           QStringLiteral("history ok=1 available=1"),
                           QStringLiteral("sessions ok=1 available=1")}));
    QCOMPARE(askHistory(*store, QStringLiteral("s"), 10).value.size(), 2);
}

void SessionStoreContract::destructionCompletesHandedOverWrites()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.durableLocation(dir);
    const QString ann = QStringLiteral("agent:main:openai-user:ann");
    constexpr int kTurns = 50;
    QObject context; // outlives the store: its answers still must not come
    bool called = false;
    {
        const auto store = m_fixture.create(location);
        for (int i = 0; i < kTurns; ++i) {
            SessionStore::Callback<bool> done;
            if (i % 2)
                done = [&called](const StoreResult<bool> &) { called = true; };
            store->appendTurn({ann, QStringLiteral("main"), QStringLiteral("q%1").arg(i),
                               QStringLiteral("a%1").arg(i)},
                              &context, done);
        }
        // Destroyed at once: no answer has come, the open itself may not be done.
    }
    QCoreApplication::processEvents();
    QVERIFY(!called);

    const auto reopened = m_fixture.create(location);
    const auto all = askHistory(*reopened, ann, 4 * kTurns);
    QVERIFY2(all.ok, qPrintable(all.error));
    QCOMPARE(all.value.size(), 2 * kTurns);
    const QStringList rendered = render(all.value);
    for (int i = 0; i < kTurns; ++i) {
        QVERIFY2(rendered.contains(QStringLiteral("user: q%1").arg(i)),
                 qPrintable(QString::number(i)));
        QVERIFY2(rendered.contains(QStringLiteral("assistant: a%1").arg(i)),
                 qPrintable(QString::number(i)));
    }
    QCOMPARE(askSessions(*reopened).value.value(0).turns, kTurns);
}

void SessionStoreContract::unusableStoreAnswersNotOk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.unusableLocation(dir);
    QVERIFY(!location.isEmpty());
    const auto store = m_fixture.create(location);
    QSignalSpy stateChanged(store.get(), &SessionStore::stateChanged);
    QObject context;
    std::optional<StoreResult<bool>> early; // asked while opening
    bool returned = false;
    bool calledBeforeReturn = false;
    store->appendTurn(
        {QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"), QStringLiteral("a")},
        &context, [&](const StoreResult<bool> &r) {
            calledBeforeReturn = !returned;
            early = r;
        });
    returned = true;
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Unavailable, kWaitMs);
    QCOMPARE(stateChanged.count(), 1);
    QCOMPARE(stateChanged.at(0).at(0).value<SessionStore::State>(),
             SessionStore::State::Unavailable);
    QVERIFY(!store->isAvailable());
    QTRY_VERIFY_WITH_TIMEOUT(early.has_value(), kWaitMs);
    QVERIFY(!calledBeforeReturn);
    QVERIFY(!early->ok);
    QVERIFY(!early->error.isEmpty());

    // Every call answers, not ok, with a reason; none from inside the call.
    const auto h = askHistory(*store, QStringLiteral("s"), 10);
    QVERIFY(!h.ok);
    QVERIFY(!h.error.isEmpty());
    QVERIFY(h.value.isEmpty());
    const auto m = askModelContext(*store, QStringLiteral("s"), 10);
    QVERIFY(!m.ok);
    QVERIFY(!m.error.isEmpty());
    const auto a = askAppend(*store, QStringLiteral("s"), QStringLiteral("main"),
                             QStringLiteral("q"), QStringLiteral("a"));
    QVERIFY(!a.ok);
    QVERIFY(!a.error.isEmpty());
    const auto s = askSessions(*store);
    QVERIFY(!s.ok);
    QVERIFY(!s.error.isEmpty());
    QVERIFY(s.value.isEmpty());
    QCOMPARE(stateChanged.count(), 1);
}

void SessionStoreContract::storedResponseRoundTrip()
{
    const auto store = scratch();
    const StoredResponse made
        = storedResponse(QStringLiteral("resp_a"), QString(), QStringLiteral("Bonjour, Ann"),
                         QStringLiteral("Salut"));
    const auto written = askStore(*store, made);
    QVERIFY2(written.ok, qPrintable(written.error));
    const auto got = askResponse(*store, QStringLiteral("resp_a"), kGateway);
    QVERIFY2(got.ok, qPrintable(got.error));
    QVERIFY(got.value.has_value());
    const StoredResponse &r = *got.value;
    QCOMPARE(r.id, made.id);
    QCOMPARE(r.parentId, QString());
    QCOMPARE(r.sessionKey, made.sessionKey);
    QCOMPARE(r.agentId, made.agentId);
    QCOMPARE(r.principal, made.principal);
    QCOMPARE(r.createdAt, made.createdAt);
    QCOMPARE(r.turns, made.turns);
    QCOMPARE(r.input, made.input);
    QCOMPARE(r.body, made.body);
    QCOMPARE(r.usage.promptTokens, 3);
    QCOMPARE(r.usage.completionTokens, 4);
    QVERIFY(r.usage.known);
    const auto none = askResponse(*store, QStringLiteral("resp_missing"), kGateway);
    QVERIFY(none.ok);
    QVERIFY(!none.value.has_value());
    // The same id again replaces it.
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("resp_a"), QString(), QStringLiteral("q"),
                                    QStringLiteral("second")))
                .ok);
    QCOMPARE(askResponse(*store, QStringLiteral("resp_a"), kGateway).value->turns.last().content,
             QStringLiteral("second"));
}

void SessionStoreContract::responseScope_data()
{
    QTest::addColumn<QString>("principal");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QStringList>("agents");
    QTest::addColumn<bool>("visible");
    QTest::newRow("its credential and agent")
        << QStringLiteral("gateway") << QStringLiteral("main") << QStringList() << true;
    QTest::newRow("its credential, any agent")
        << QStringLiteral("gateway") << QStringLiteral("") << QStringList() << true;
    QTest::newRow("another credential")
        << QStringLiteral("laptop") << QStringLiteral("main") << QStringList() << false;
    QTest::newRow("another agent")
        << QStringLiteral("gateway") << QStringLiteral("ops") << QStringList() << false;
    QTest::newRow("agents it may use")
        << QStringLiteral("gateway") << QStringLiteral("") << strings({"ops", "main"}) << true;
    QTest::newRow("agents it may not use")
        << QStringLiteral("gateway") << QStringLiteral("") << strings({"ops"}) << false;
}

void SessionStoreContract::responseScope()
{
    QFETCH(QString, principal);
    QFETCH(QString, agent);
    QFETCH(QStringList, agents);
    QFETCH(bool, visible);
    const auto store = scratch();
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("resp_s"), QString(), QStringLiteral("q"),
                                    QStringLiteral("a")))
                .ok);
    const ResponseScope scope {principal, agent, agents};
    QCOMPARE(askResponse(*store, QStringLiteral("resp_s"), scope).value.has_value(), visible);
    QCOMPARE(askChain(*store, QStringLiteral("resp_s"), scope).value.found, visible);
    const auto removed = askDelete(*store, QStringLiteral("resp_s"), scope);
    QVERIFY(removed.ok);
    QCOMPARE(removed.value, visible);
    // Removed only when it was in scope.
    QCOMPARE(askResponse(*store, QStringLiteral("resp_s"), kGateway).value.has_value(), !visible);
}

void SessionStoreContract::chainsFollowParentsAndBranchesStayApart()
{
    const auto store = scratch();
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("r1"), {}, QStringLiteral("q1"),
                                    QStringLiteral("a1")))
                .ok);
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("r2"), QStringLiteral("r1"),
                                    QStringLiteral("q2"), QStringLiteral("a2")))
                .ok);
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("r3"), QStringLiteral("r1"),
                                    QStringLiteral("q3"), QStringLiteral("a3")))
                .ok);
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("r4"), QStringLiteral("r2"),
                                    QStringLiteral("q4"), QStringLiteral("a4")))
                .ok);

    const auto two = askChain(*store, QStringLiteral("r4"), kGateway);
    QVERIFY2(two.ok, qPrintable(two.error));
    QVERIFY(two.value.found);
    QCOMPARE(two.value.sessionKey, QStringLiteral("agent:main:openresponses:r2"));
    QCOMPARE(render(two.value.turns),
             (strings({"user: q1", "assistant: a1", "user: q2", "assistant: a2", "user: q4",
                       "assistant: a4"})));
    const auto branch = askChain(*store, QStringLiteral("r3"), kGateway);
    QCOMPARE(render(branch.value.turns),
             (strings({"user: q1", "assistant: a1", "user: q3", "assistant: a3"})));
    const auto root = askChain(*store, QStringLiteral("r1"), kGateway);
    QCOMPARE(render(root.value.turns), (strings({"user: q1", "assistant: a1"})));
    const auto unknown = askChain(*store, QStringLiteral("r9"), kGateway);
    QVERIFY(unknown.ok);
    QVERIFY(!unknown.value.found);
    QVERIFY(unknown.value.turns.isEmpty());
}

void SessionStoreContract::chainKeepsToolTurns()
{
    const auto store = scratch();
    StoredResponse call = storedResponse(QStringLiteral("t1"), {}, QStringLiteral("weather?"), {});
    const QJsonArray calls {
        QJsonObject {{QStringLiteral("id"), QStringLiteral("call_1")},
                     {QStringLiteral("type"), QStringLiteral("function")},
                     {QStringLiteral("function"),
                      QJsonObject {{QStringLiteral("name"), QStringLiteral("w")},
                                   {QStringLiteral("arguments"), QStringLiteral("{}")}}}}};
    call.turns = {ChatTurn {QStringLiteral("user"), QStringLiteral("weather?")},
                  ChatTurn {QStringLiteral("assistant"), QString(), calls}};
    StoredResponse answer = storedResponse(QStringLiteral("t2"), QStringLiteral("t1"), {}, {});
    answer.turns
        = {ChatTurn {QStringLiteral("tool"), QStringLiteral("sunny"), {}, QStringLiteral("call_1")},
           ChatTurn {QStringLiteral("assistant"), QStringLiteral("It is sunny.")}};
    QVERIFY(askStore(*store, call).ok);
    QVERIFY(askStore(*store, answer).ok);
    const auto chain = askChain(*store, QStringLiteral("t2"), kGateway);
    QCOMPARE(chain.value.turns, call.turns + answer.turns);
}

void SessionStoreContract::chainIsBounded()
{
    const auto store = scratch();
    QString parent;
    for (int i = 1; i <= 5; ++i) {
        const QString id = QStringLiteral("b%1").arg(i);
        QVERIFY(askStore(*store,
                         storedResponse(id, parent, QStringLiteral("q%1").arg(i),
                                        QStringLiteral("a%1").arg(i)))
                    .ok);
        parent = id;
    }
    // The last `limit` turns, opening with a user turn.
    QCOMPARE(render(askChain(*store, QStringLiteral("b5"), kGateway, 4).value.turns),
             (strings({"user: q4", "assistant: a4", "user: q5", "assistant: a5"})));
    QCOMPARE(render(askChain(*store, QStringLiteral("b5"), kGateway, 3).value.turns),
             (strings({"user: q5", "assistant: a5"})));
    const auto none = askChain(*store, QStringLiteral("b5"), kGateway, 0);
    QVERIFY(none.value.found);
    QVERIFY(none.value.turns.isEmpty());
}

void SessionStoreContract::deleteWithinScope()
{
    const auto store = scratch();
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("d1"), {}, QStringLiteral("q1"),
                                    QStringLiteral("a1")))
                .ok);
    QVERIFY(askStore(*store,
                     storedResponse(QStringLiteral("d2"), QStringLiteral("d1"),
                                    QStringLiteral("q2"), QStringLiteral("a2")))
                .ok);
    const auto removed = askDelete(*store, QStringLiteral("d1"), kGateway);
    QVERIFY2(removed.ok, qPrintable(removed.error));
    QVERIFY(removed.value);
    QVERIFY(!askResponse(*store, QStringLiteral("d1"), kGateway).value.has_value());
    QVERIFY(!askDelete(*store, QStringLiteral("d1"), kGateway).value); // already gone
    // Its child stays; its chain now begins after it.
    const auto chain = askChain(*store, QStringLiteral("d2"), kGateway);
    QVERIFY(chain.value.found);
    QCOMPARE(render(chain.value.turns), (strings({"user: q2", "assistant: a2"})));
}

void SessionStoreContract::maxStoredDropsTheOldest()
{
    const auto store = scratch();
    for (int i = 1; i <= 5; ++i)
        QVERIFY(askStore(*store,
                         storedResponse(QStringLiteral("m%1").arg(i), {}, QStringLiteral("q"),
                                        QStringLiteral("a")),
                         3)
                    .ok);
    QStringList kept;
    for (int i = 1; i <= 5; ++i) {
        if (askResponse(*store, QStringLiteral("m%1").arg(i), kGateway).value.has_value())
            kept << QStringLiteral("m%1").arg(i);
    }
    QCOMPARE(kept, (strings({"m3", "m4", "m5"})));
    // Transcripts are not responses: untouched by the bound.
    QVERIFY(askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                      QStringLiteral("a"))
                .ok);
    QVERIFY(
        askStore(*store,
                 storedResponse(QStringLiteral("m6"), {}, QStringLiteral("q"), QStringLiteral("a")),
                 1)
            .ok);
    QCOMPARE(askHistory(*store, QStringLiteral("s"), 10).value.size(), 2);
    QVERIFY(!askResponse(*store, QStringLiteral("m5"), kGateway).value.has_value());
    QVERIFY(askResponse(*store, QStringLiteral("m6"), kGateway).value.has_value());
}

void SessionStoreContract::responsesSurviveAReopen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.durableLocation(dir);
    {
        const auto store = m_fixture.create(location);
        QVERIFY(askStore(*store,
                         storedResponse(QStringLiteral("k1"), {}, QStringLiteral("q1"),
                                        QStringLiteral("a1")))
                    .ok);
        QVERIFY(askStore(*store,
                         storedResponse(QStringLiteral("k2"), QStringLiteral("k1"),
                                        QStringLiteral("q2"), QStringLiteral("a2")))
                    .ok);
    }
    const auto reopened = m_fixture.create(location);
    QCOMPARE(render(askChain(*reopened, QStringLiteral("k2"), kGateway).value.turns),
             (strings({"user: q1", "assistant: a1", "user: q2", "assistant: a2"})));
}

void SessionStoreContract::unusableStoreRefusesResponses()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto store = m_fixture.create(m_fixture.unusableLocation(dir));
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Unavailable, kWaitMs);
    const auto s = askStore(
        *store, storedResponse(QStringLiteral("u"), {}, QStringLiteral("q"), QStringLiteral("a")));
    QVERIFY(!s.ok);
    QVERIFY(!s.error.isEmpty());
    const auto r = askResponse(*store, QStringLiteral("u"), kGateway);
    QVERIFY(!r.ok);
    QVERIFY(!r.value.has_value());
    const auto c = askChain(*store, QStringLiteral("u"), kGateway);
    QVERIFY(!c.ok);
    QVERIFY(!c.value.found);
    const auto d = askDelete(*store, QStringLiteral("u"), kGateway);
    QVERIFY(!d.ok);
    QVERIFY(!d.error.isEmpty());
}

void SessionStoreContract::usageAddsUpInDailyBuckets()
{
    const auto store = scratch();
    const UsageCounts one {1, 10, 20, 0};
    QVERIFY(askAddUsage(*store,
                        {{QStringLiteral("main"), kToday, one},
                         {QStringLiteral("ci"), kToday, {2, 5, 6, 1}}})
                .ok);
    QVERIFY(askAddUsage(*store,
                        {{QStringLiteral("main"), kToday, one},
                         {QStringLiteral("main"), kToday.addDays(-1), {3, 0, 0, 3}}})
                .ok);
    QVERIFY(askAddUsage(*store, {}).ok); // nothing to add is fine
    const auto days = askUsageDays(*store, kToday.addDays(-1), kToday);
    QVERIFY2(days.ok, qPrintable(days.error));
    QCOMPARE(render(days.value),
             (QStringList {QStringLiteral("main 2026-03-09 3/0/0/3"),
                           QStringLiteral("ci 2026-03-10 2/5/6/1"),
                           QStringLiteral("main 2026-03-10 2/20/40/0")}));
    QCOMPARE(render(askUsageDays(*store, kToday, kToday).value).size(), 2);
    QVERIFY(askUsageDays(*store, kToday.addDays(1), kToday.addDays(9)).value.isEmpty());
    // A bucket needs a token and a day.
    QVERIFY(!askAddUsage(*store, {{QString(), kToday, one}}).ok);
    QVERIFY(!askAddUsage(*store, {{QStringLiteral("main"), QDate(), one}}).ok);
}

void SessionStoreContract::usageSummaryTodayWeekAndTotal()
{
    const auto store = scratch();
    QVERIFY(askAddUsage(*store,
                        {{QStringLiteral("main"), kToday, {1, 1, 1, 0}},
                         {QStringLiteral("main"), kToday.addDays(-6), {2, 2, 2, 1}},
                         {QStringLiteral("main"), kToday.addDays(-7), {4, 4, 4, 0}},
                         {QStringLiteral("main"), kToday.addDays(-400), {8, 8, 8, 8}},
                         {QStringLiteral("ci"), kToday.addDays(-3), {5, 0, 0, 0}}})
                .ok);
    const auto summary = askUsageSummary(*store, kToday);
    QVERIFY2(summary.ok, qPrintable(summary.error));
    QCOMPARE(summary.value.size(), 2);
    const TokenUsageSummary &ci = summary.value.at(0); // by name
    const TokenUsageSummary &main = summary.value.at(1);
    QCOMPARE(ci.token, QStringLiteral("ci"));
    QCOMPARE(render(ci.today), QStringLiteral("0/0/0/0"));
    QCOMPARE(render(ci.last7Days), QStringLiteral("5/0/0/0"));
    QCOMPARE(main.token, QStringLiteral("main"));
    QCOMPARE(render(main.today), QStringLiteral("1/1/1/0"));
    QCOMPARE(render(main.last7Days), QStringLiteral("3/3/3/1")); // today and the 6 days before
    QCOMPARE(render(main.total), QStringLiteral("15/15/15/9"));
    QVERIFY(askUsageSummary(*scratch(), kToday).value.isEmpty());
}

void SessionStoreContract::usageSurvivesAReopen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString location = m_fixture.durableLocation(dir);
    {
        const auto store = m_fixture.create(location);
        QVERIFY(askAddUsage(*store, {{QStringLiteral("main"), kToday, {1, 2, 3, 0}}}).ok);
        // Handed over, not waited for: the destruction completes it.
        store->addUsage({{QStringLiteral("main"), kToday, {1, 2, 3, 1}}}, nullptr, {});
    }
    const auto reopened = m_fixture.create(location);
    QVERIFY(askAddUsage(*reopened, {{QStringLiteral("main"), kToday.addDays(1), {1, 0, 0, 0}}}).ok);
    QCOMPARE(render(askUsageDays(*reopened, kToday, kToday.addDays(1)).value),
             (QStringList {QStringLiteral("main 2026-03-10 2/4/6/1"),
                           QStringLiteral("main 2026-03-11 1/0/0/0")}));
    // The sessions of the same store are untouched by the usage.
    QVERIFY(askSessions(*reopened).ok);
}

void SessionStoreContract::usageBatchIsAtomic()
{
    const auto store = scratch();
    // The second delta is refused: the first must not be added either.
    QVERIFY(!askAddUsage(*store,
                         {{QStringLiteral("main"), kToday, {1, 0, 0, 0}},
                          {QString(), kToday, {1, 0, 0, 0}}})
                 .ok);
    QVERIFY(askUsageDays(*store, kToday, kToday).value.isEmpty());
    QVERIFY(askAddUsage(*store, {{QStringLiteral("main"), kToday, {1, 0, 0, 0}}}).ok);
}

// What only the SQLite store promises: its file's journal mode, where it lives by default, and how
// it describes itself.
class SqliteSessionStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void writesAheadLog();
    void describesItself();
    void defaultPathIsInAppData();
    void migratesAVersionOneDatabase();
    void refusesANewerSchema();
};

void SqliteSessionStoreTest::writesAheadLog()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    {
        SqliteSessionStore store(path);
        QVERIFY(askAppend(store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                          QStringLiteral("a"))
                    .ok);
    }
    QVERIFY(QFile::exists(path));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
}

void SqliteSessionStoreTest::describesItself()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    SqliteSessionStore store(path);
    QCOMPARE(store.kind(), QStringLiteral("sqlite"));
    QCOMPARE(store.location(), path);
}

void SqliteSessionStoreTest::defaultPathIsInAppData()
{
    QCoreApplication::setApplicationName(QStringLiteral("passerelle-test"));
    const QString path = SessionStore::defaultPath();
    QVERIFY(path.endsWith(QStringLiteral("/sessions.sqlite")));
    QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QVERIFY(QFileInfo(path).absoluteDir().exists());
}

void SqliteSessionStoreTest::migratesAVersionOneDatabase()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    // A database as the first release wrote it: transcripts only, user_version 1.
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE sessions (key TEXT PRIMARY KEY NOT NULL,"
                                      " agent_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
                                      " updated_at INTEGER NOT NULL)")));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE messages (id INTEGER PRIMARY KEY,"
                                      " session_key TEXT NOT NULL REFERENCES sessions(key),"
                                      " role TEXT NOT NULL, content TEXT NOT NULL,"
                                      " created_at INTEGER NOT NULL)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO sessions VALUES('old', 'main', 1, 1)")));
        QVERIFY(q.exec(
            QStringLiteral("INSERT INTO messages(session_key, role, content, created_at)"
                           " VALUES('old', 'user', 'kept', 1), ('old', 'assistant', 'yes', 1)")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));
    {
        SqliteSessionStore store(path);
        QCOMPARE(render(askHistory(store, QStringLiteral("old"), 10).value),
                 (strings({"user: kept", "assistant: yes"})));
        QVERIFY(askStore(store,
                         storedResponse(QStringLiteral("new"), {}, QStringLiteral("q"),
                                        QStringLiteral("a")))
                    .ok);
    }
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe2"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), passerelle::SqliteSessionWorker::schemaVersion());
        QVERIFY(q.value(0).toInt() >= 2);
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe2"));
    // Opening again applies nothing twice.
    SqliteSessionStore again(path);
    QVERIFY(askResponse(again, QStringLiteral("new"), kGateway).value.has_value());
    // Step 3, the usage buckets, on top of the stored responses; step 4 (the shared limiter) has
    // nothing for SQLite but its version.
    QCOMPARE(passerelle::SqliteSessionWorker::schemaVersion(), 4);
    QVERIFY(askAddUsage(again, {{QStringLiteral("main"), kToday, {1, 0, 0, 0}}}).ok);
    QCOMPARE(render(askUsageDays(again, kToday, kToday).value),
             (QStringList {QStringLiteral("main 2026-03-10 1/0/0/0")}));
}

void SqliteSessionStoreTest::refusesANewerSchema()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("future"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 999")));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("future"));
    SqliteSessionStore store(path);
    QTRY_COMPARE_WITH_TIMEOUT(store.state(), SessionStore::State::Unavailable, kWaitMs);
    const auto h = askHistory(store, QStringLiteral("s"), 10);
    QVERIFY(!h.ok);
    QVERIFY(h.error.contains(QStringLiteral("schema version 999")));
}

// What only the PostgreSQL store promises: several gateways on one database.
class PostgresSessionStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void describesItselfWithoutThePassword();
    void storesStartingAtOnceMigrateOnce();
    void refusesANewerSchema();
    void wrongPasswordIsUnavailableAndNeverShown();
    void failedAuthenticationsAreShared();
    void twoStoresSeeOneConversation();
    void recoversWhenTheServerComesBack(); // last: stops and restarts the server
};

void PostgresSessionStoreTest::describesItselfWithoutThePassword()
{
    const auto store = postgresStore(newDatabase(QStringLiteral("describe")));
    QCOMPARE(store->kind(), QStringLiteral("postgres"));
    QCOMPARE(store->location(),
             QStringLiteral("postgres://passerelle@127.0.0.1:%1/describe_%2")
                 .arg(s_postgres->port())
                 .arg(s_databases));
    QVERIFY(!store->location().contains(PostgresServer::password()));
    QVERIFY(store->sharesAuthState());
}

void PostgresSessionStoreTest::storesStartingAtOnceMigrateOnce()
{
    const QString db = newDatabase(QStringLiteral("race"));
    std::vector<std::unique_ptr<PostgresSessionStore>> stores;
    for (int i = 0; i < 4; ++i)
        stores.push_back(postgresStore(db)); // 4 stores x 2 lanes race for the empty schema
    for (const auto &store : stores)
        QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Available, kWaitMs);
    QString rows;
    QVERIFY(s_postgres->sql(db, QStringLiteral("SELECT version FROM passerelle_schema ORDER BY 1"),
                            &rows));
    QStringList expected;
    for (const auto &step : passerelle::SchemaSteps::all())
        expected << QString::number(step.version);
    QCOMPARE(rows.split(u'\n'), expected);
    // Each works on the same tables.
    QVERIFY(askAppend(*stores.front(), QStringLiteral("s"), QStringLiteral("main"),
                      QStringLiteral("q"), QStringLiteral("a"))
                .ok);
    QCOMPARE(askHistory(*stores.back(), QStringLiteral("s"), 10).value.size(), 2);
}

void PostgresSessionStoreTest::refusesANewerSchema()
{
    const QString db = newDatabase(QStringLiteral("future"));
    QVERIFY(s_postgres->sql(db,
                            QStringLiteral("CREATE TABLE passerelle_schema (version INTEGER"
                                           " PRIMARY KEY, what TEXT NOT NULL, applied_at"
                                           " TIMESTAMPTZ NOT NULL DEFAULT now());"
                                           " INSERT INTO passerelle_schema VALUES (999, 'x')")));
    const auto store = postgresStore(db);
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Unavailable, kWaitMs);
    const auto h = askHistory(*store, QStringLiteral("s"), 10);
    QVERIFY(!h.ok);
    QVERIFY2(h.error.contains(QStringLiteral("schema version 999")), qPrintable(h.error));
    QVERIFY(store->unavailableReason().contains(QStringLiteral("schema version 999")));
}

void PostgresSessionStoreTest::wrongPasswordIsUnavailableAndNeverShown()
{
    const QString wrong = QStringLiteral("not-the-password-d41d8c");
    PostgresSessionStore store(s_postgres->storeConfig(newDatabase(QStringLiteral("pw"))), wrong);
    QTRY_COMPARE_WITH_TIMEOUT(store.state(), SessionStore::State::Unavailable, kWaitMs);
    const auto h = askHistory(store, QStringLiteral("s"), 10);
    QVERIFY(!h.ok);
    QVERIFY2(h.error.contains(QStringLiteral("password authentication failed")),
             qPrintable(h.error));
    QVERIFY(!h.error.contains(wrong));
    QVERIFY(!store.unavailableReason().contains(wrong));
    QVERIFY(!store.location().contains(wrong));
}

void PostgresSessionStoreTest::failedAuthenticationsAreShared()
{
    const QString db = newDatabase(QStringLiteral("auth"));
    const auto a = postgresStore(db);
    const auto b = postgresStore(db);
    QTRY_COMPARE_WITH_TIMEOUT(b->state(), SessionStore::State::Available, kWaitMs);
    QSignalSpy announced(b.get(), &SessionStore::sharedLockout);
    const RateLimitConfig limits(4, 60000, 300000, false);
    const QString ip = QStringLiteral("203.0.113.9");
    const auto fail = [&](SessionStore &store) {
        return await<qint64>([&](QObject *context, SessionStore::Callback<qint64> done) {
            store.recordAuthFailure(ip, limits, context, std::move(done));
        });
    };
    // Four failures spread over two gateways lock the address out, as four on one would.
    QCOMPARE(fail(*a).value, 0);
    QCOMPARE(fail(*b).value, 0);
    QCOMPARE(fail(*a).value, 0);
    const auto fourth = fail(*b);
    QVERIFY2(fourth.ok, qPrintable(fourth.error));
    QCOMPARE(fourth.value, 300000);
    // Every gateway hears of it, and finds it when it asks.
    QTRY_VERIFY_WITH_TIMEOUT(!announced.isEmpty(), kWaitMs);
    QCOMPARE(announced.first().at(0).toString(), ip);
    QVERIFY(announced.first().at(1).toLongLong() > 290000);
    const auto listed
        = await<QList<Lockout>>([&](QObject *context, SessionStore::Callback<QList<Lockout>> done) {
              a->sharedLockouts(context, std::move(done));
          });
    QCOMPARE(listed.value.size(), 1);
    QCOMPARE(listed.value.first().ip, ip);
    QVERIFY(listed.value.first().remainingMs > 290000);
    // A further failure while locked: still locked, no new count.
    const auto more = fail(*a);
    QVERIFY(more.value > 290000 && more.value <= 300000);
    // A success does not lift a lockout; the panel's clear does, on every gateway.
    a->recordAuthSuccess(ip);
    QVERIFY(fail(*b).value > 0);
    announced.clear();
    a->clearAuthFailures(ip);
    QTRY_VERIFY_WITH_TIMEOUT(!announced.isEmpty() && announced.last().at(1).toLongLong() == 0,
                             kWaitMs);
    QCOMPARE(fail(*b).value, 0); // counting starts again
    // A success resets the count.
    QCOMPARE(fail(*a).value, 0);
    QCOMPARE(fail(*a).value, 0);
    b->recordAuthSuccess(ip);
    // B's auth calls run in order: once its lockout list is back, the success is in.
    QVERIFY(
        await<QList<Lockout>>([&](QObject *context, SessionStore::Callback<QList<Lockout>> done) {
            b->sharedLockouts(context, std::move(done));
        }).ok);
    QCOMPARE(fail(*a).value, 0);
    QCOMPARE(fail(*a).value, 0);
    QCOMPARE(fail(*a).value, 0);
    QCOMPARE(fail(*a).value, 300000);
}

void PostgresSessionStoreTest::twoStoresSeeOneConversation()
{
    const QString db = newDatabase(QStringLiteral("shared"));
    const auto a = postgresStore(db);
    const auto b = postgresStore(db);
    const QString ann = QStringLiteral("agent:main:openai-user:ann");
    for (int i = 1; i <= 3; ++i) {
        SessionStore &writer = i % 2 ? *a : *b;
        QVERIFY(askAppend(writer, ann, QStringLiteral("main"), QStringLiteral("q%1").arg(i),
                          QStringLiteral("a%1").arg(i))
                    .ok);
    }
    QCOMPARE(render(askHistory(*b, ann, 10).value),
             (strings({"user: q1", "assistant: a1", "user: q2", "assistant: a2", "user: q3",
                       "assistant: a3"})));
    QVERIFY(askStore(*a,
                     storedResponse(QStringLiteral("x1"), {}, QStringLiteral("q1"),
                                    QStringLiteral("a1")))
                .ok);
    QVERIFY(askStore(*b,
                     storedResponse(QStringLiteral("x2"), QStringLiteral("x1"),
                                    QStringLiteral("q2"), QStringLiteral("a2")))
                .ok);
    QCOMPARE(render(askChain(*a, QStringLiteral("x2"), kGateway).value.turns),
             (strings({"user: q1", "assistant: a1", "user: q2", "assistant: a2"})));
}

void PostgresSessionStoreTest::recoversWhenTheServerComesBack()
{
    const auto store = postgresStore(newDatabase(QStringLiteral("restart")));
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Available, kWaitMs);
    QVERIFY(askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q1"),
                      QStringLiteral("a1"))
                .ok);
    QSignalSpy changes(store.get(), &SessionStore::stateChanged);
    QString error;
    QVERIFY2(s_postgres->stop(&error), qPrintable(error));
    // Noticed without a call (the ping), and every call fails meanwhile, with a reason.
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Unavailable, kWaitMs);
    QVERIFY(!store->unavailableReason().isEmpty());
    const auto down = askHistory(*store, QStringLiteral("s"), 10);
    QVERIFY(!down.ok);
    QVERIFY(!down.error.isEmpty());
    QVERIFY(!askAppend(*store, QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q2"),
                       QStringLiteral("a2"))
                 .ok);
    QVERIFY2(s_postgres->start(&error), qPrintable(error));
    // Back without a restart of the store; the data written before is there.
    QTRY_COMPARE_WITH_TIMEOUT(store->state(), SessionStore::State::Available, kWaitMs);
    const auto again = askAppend(*store, QStringLiteral("s"), QStringLiteral("main"),
                                 QStringLiteral("q3"), QStringLiteral("a3"));
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(render(askHistory(*store, QStringLiteral("s"), 10).value),
             (strings({"user: q1", "assistant: a1", "user: q3", "assistant: a3"})));
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.at(0).at(0).value<SessionStore::State>(), SessionStore::State::Unavailable);
    QCOMPARE(changes.at(1).at(0).value<SessionStore::State>(), SessionStore::State::Available);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int status = 0;
    {
        SessionStoreContract contract(sqliteFixture());
        status |= QTest::qExec(&contract, argc, argv);
    }
    {
        SqliteSessionStoreTest sqlite;
        status |= QTest::qExec(&sqlite, argc, argv);
    }
    // The same contract on a real PostgreSQL server; no server, no pass.
    PostgresServer postgres;
    QString error;
    if (!postgres.start(&error)) {
        qCritical("FAIL: the PostgreSQL half of the store contract needs a PostgreSQL server: %s",
                  qPrintable(error));
        return 1;
    }
    s_postgres = &postgres;
    {
        SessionStoreContract contract(postgresFixture());
        status |= QTest::qExec(&contract, argc, argv);
    }
    {
        PostgresSessionStoreTest pg;
        status |= QTest::qExec(&pg, argc, argv);
    }
    return status;
}

#include "tst_sessionstore.moc"
