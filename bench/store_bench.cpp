// What a turn costs through the PostgreSQL store against the SQLite one, measured in one run on
// one machine: (1) the store alone, a turn's two calls in sequence (history, then appendTurn),
// (2) a whole stateful chat turn through a real gateway over loopback (echo agent), stateless
// turns beside them for reference, (3) what a failed authentication costs in the shared
// limiter (one passerelle_auth_failure() round trip). PostgreSQL 15 is started by
// tests/support/pg-server.sh in a temporary directory, as the tests start it.
// Usage: store_bench [turns]   (default 300)

#include "GatewayController.h"
#include "config/ConfigStore.h"
#include "store/PostgresSessionStore.h"
#include "store/SqliteSessionStore.h"
#include "support/PostgresServer.h"
#include "support/TestHttpClient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace passerelle;
using passerelle::test::PostgresServer;
using passerelle::test::TestHttpClient;

namespace {

struct Figures
{
    double p50 = 0, p90 = 0, p99 = 0, mean = 0;
};

Figures figures(std::vector<double> us)
{
    Figures f;
    if (us.empty())
        return f;
    std::sort(us.begin(), us.end());
    const auto at = [&](double q) { return us[std::size_t(q * double(us.size() - 1))]; };
    f.p50 = at(0.5);
    f.p90 = at(0.9);
    f.p99 = at(0.99);
    for (double v : us)
        f.mean += v;
    f.mean /= double(us.size());
    return f;
}

void print(const char *what, const Figures &f)
{
    std::printf("%-44s p50 %8.0f us  p90 %8.0f us  p99 %8.0f us  mean %8.0f us\n", what, f.p50,
                f.p90, f.p99, f.mean);
}

template<typename T>
std::optional<StoreResult<T>>
wait(const std::function<void(QObject *, SessionStore::Callback<T>)> &call)
{
    // An event loop that ends with the answer: no polling interval in the figure.
    QObject context;
    QEventLoop loop;
    std::optional<StoreResult<T>> result;
    call(&context, [&](const StoreResult<T> &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    return result;
}

Figures storeTurns(SessionStore &store, int turns)
{
    if (!QTest::qWaitFor([&] { return store.isAvailable(); }, 30000)) {
        std::printf("%s store not available\n", qPrintable(store.kind()));
        return {};
    }
    std::vector<double> us;
    QElapsedTimer clock;
    for (int i = 0; i < turns; ++i) {
        const QString key = QStringLiteral("agent:main:openai-user:bench%1").arg(i % 20);
        clock.start();
        wait<QList<ChatTurn>>([&](QObject *c, SessionStore::Callback<QList<ChatTurn>> done) {
            store.modelContext(key, 40, c, std::move(done));
        });
        wait<bool>([&](QObject *c, SessionStore::Callback<bool> done) {
            store.appendTurn({key, QStringLiteral("main"), QStringLiteral("question %1").arg(i),
                              QStringLiteral("answer %1 with a few more words").arg(i)},
                             c, std::move(done));
        });
        us.push_back(double(clock.nsecsElapsed()) / 1000.0);
    }
    return figures(us);
}

// A gateway on port 0 with `rootExtra` in its config, its SQLite file (if any) at `sqlitePath`.
struct Gateway
{
    QTemporaryDir dir;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<GatewayController> controller;

    bool start(const QByteArray &rootExtra, const QString &sqlitePath)
    {
        const QString path = dir.filePath(QStringLiteral("passerelle.json"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("{ gateway: { port: 0, auth: { mode: 'token', token: 'bench-token' },"
                " http: { endpoints: { chatCompletions: { enabled: true } } } }, "
                + rootExtra + " }");
        f.close();
        config = std::make_unique<ConfigStore>();
        QString error;
        if (!config->load(path, ConfigOverrides {}, &error))
            return false;
        controller = std::make_unique<GatewayController>(config.get());
        controller->start(sqlitePath);
        if (!controller->waitUntilListening())
            return false;
        return QTest::qWaitFor(
            [&] { return controller->status().storeState == SessionStore::State::Available; },
            30000);
    }
};

Figures gatewayTurns(quint16 port, int turns, bool stateful)
{
    std::vector<double> us;
    QElapsedTimer clock;
    for (int i = 0; i < turns; ++i) {
        const QByteArray user
            = stateful ? ",\"user\":\"bench" + QByteArray::number(i % 20) + "\"" : QByteArray();
        const QByteArray body = "{\"model\":\"openclaw\"" + user
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"question " + QByteArray::number(i)
            + "\"}]}";
        clock.start();
        const auto r = TestHttpClient(port).post("/v1/chat/completions", body, "bench-token");
        us.push_back(double(clock.nsecsElapsed()) / 1000.0);
        if (r.status != 200) {
            std::printf("turn %d: status %d %s\n", i, r.status, r.body.constData());
            break;
        }
    }
    return figures(us);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int turns = argc > 1 ? std::max(10, atoi(argv[1])) : 300;
    PostgresServer postgres;
    QString error;
    if (!postgres.start(&error)) {
        std::printf("cannot start PostgreSQL: %s\n", qPrintable(error));
        return 1;
    }
    for (const char *db : {"bench_store", "bench_gateway"})
        postgres.createDatabase(QString::fromLatin1(db));
    QTemporaryDir dir;
    std::printf("%d turns each, sequential, on this machine (loopback)\n\n", turns);

    {
        SqliteSessionStore sqlite(dir.filePath(QStringLiteral("bench.sqlite")));
        print("store turn (history + appendTurn), SQLite", storeTurns(sqlite, turns));
        PostgresSessionStore pg(postgres.storeConfig(QStringLiteral("bench_store"), 4),
                                PostgresServer::password());
        print("store turn (history + appendTurn), PostgreSQL", storeTurns(pg, turns));

        std::vector<double> us;
        QElapsedTimer clock;
        const RateLimitConfig limits(1000000, 60000, 300000, false);
        for (int i = 0; i < turns; ++i) {
            clock.start();
            wait<qint64>([&](QObject *c, SessionStore::Callback<qint64> done) {
                pg.recordAuthFailure(QStringLiteral("198.51.100.%1").arg(i % 200), limits, c,
                                     std::move(done));
            });
            us.push_back(double(clock.nsecsElapsed()) / 1000.0);
        }
        print("failed authentication, shared (PostgreSQL)", figures(us));
    }
    std::printf("\n");
    {
        Gateway sqlite;
        if (!sqlite.start({}, dir.filePath(QStringLiteral("gateway.sqlite")))) {
            std::printf("the SQLite gateway did not start\n");
            return 1;
        }
        const quint16 port = sqlite.controller->status().port;
        gatewayTurns(port, 20, true); // warm-up
        print("gateway stateless turn, SQLite store", gatewayTurns(port, turns, false));
        print("gateway stateful turn, SQLite store", gatewayTurns(port, turns, true));
    }
    {
        const StoreConfig c = postgres.storeConfig(QStringLiteral("bench_gateway"));
        const QByteArray store
            = "passerelle: { store: { kind: 'postgres', host: '127.0.0.1', port: "
            + QByteArray::number(c.port)
            + ", database: 'bench_gateway', user: 'passerelle',"
              " passwordEnv: '"
            + PostgresServer::passwordEnv().toLatin1() + "', sslmode: 'disable' } }";
        Gateway pg;
        if (!pg.start(store, {})) {
            std::printf("the PostgreSQL gateway did not start\n");
            return 1;
        }
        const quint16 port = pg.controller->status().port;
        gatewayTurns(port, 20, true);
        print("gateway stateless turn, PostgreSQL store", gatewayTurns(port, turns, false));
        print("gateway stateful turn, PostgreSQL store", gatewayTurns(port, turns, true));
    }
    return 0;
}
