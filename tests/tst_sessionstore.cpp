// SessionStore: history order and limits, newest-first session listing, one transaction per turn,
// and a file-backed database that keeps its data across a reopen.

#include "store/SessionStore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using passerelle::ChatTurn;
using passerelle::SessionStore;

namespace {

QStringList render(const QList<ChatTurn> &turns)
{
    QStringList out;
    for (const ChatTurn &t : turns)
        out << t.role + QStringLiteral(": ") + t.content;
    return out;
}

} // namespace

class TestSessionStore final : public QObject
{
    Q_OBJECT

private slots:
    void history_data();
    void history();
    void sessionsNewestFirst();
    void turnIsAtomic();
    void reopenFindsTheData();
    void emptyReplyIsStored();
    void twoStoresAreIndependent();
    void defaultPathIsInAppData();
};

void TestSessionStore::history_data()
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

void TestSessionStore::history()
{
    QFETCH(int, turns);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);

    SessionStore store;
    QString error;
    QVERIFY2(store.open(QStringLiteral(":memory:"), &error), qPrintable(error));
    QVERIFY(store.isOpen());
    for (int i = 1; i <= turns; ++i) {
        QVERIFY(store.appendTurn(QStringLiteral("agent:main:openai-user:ann"),
                                 QStringLiteral("main"), QStringLiteral("q%1").arg(i),
                                 QStringLiteral("a%1").arg(i)));
        // Another session interleaved: must never leak into this one.
        QVERIFY(store.appendTurn(QStringLiteral("agent:main:openai-user:bob"),
                                 QStringLiteral("main"), QStringLiteral("other"),
                                 QStringLiteral("other")));
    }
    QCOMPARE(render(store.history(QStringLiteral("agent:main:openai-user:ann"), limit)), expected);
    QCOMPARE(store.history(QStringLiteral("agent:main:openai-user:nobody"), 10).size(), 0);

    // What a model is sent opens with a user turn: a leading assistant message is dropped.
    QStringList context = expected;
    while (!context.isEmpty() && !context.first().startsWith(QLatin1String("user: ")))
        context.removeFirst();
    QCOMPARE(render(store.modelContext(QStringLiteral("agent:main:openai-user:ann"), limit)),
             context);
}

void TestSessionStore::sessionsNewestFirst()
{
    SessionStore store;
    QVERIFY(store.open(QStringLiteral(":memory:"), nullptr));
    QVERIFY(store.appendTurn(QStringLiteral("s1"), QStringLiteral("main"), QStringLiteral("a"),
                             QStringLiteral("b")));
    QVERIFY(store.appendTurn(QStringLiteral("s2"), QStringLiteral("ops"), QStringLiteral("a"),
                             QStringLiteral("b")));
    QVERIFY(store.appendTurn(QStringLiteral("s3"), QStringLiteral("main"), QStringLiteral("a"),
                             QStringLiteral("b")));
    QVERIFY(store.appendTurn(QStringLiteral("s1"), QStringLiteral("main"), QStringLiteral("c"),
                             QStringLiteral("d")));

    const QList<passerelle::SessionInfo> sessions = store.sessions();
    QStringList keys;
    for (const auto &s : sessions)
        keys << s.key;
    QCOMPARE(keys,
             (QStringList {QStringLiteral("s1"), QStringLiteral("s3"), QStringLiteral("s2")}));
    QCOMPARE(sessions.at(0).turns, 2);
    QCOMPARE(sessions.at(1).turns, 1);
    QCOMPARE(sessions.at(2).agentId, QStringLiteral("ops"));
    QVERIFY(sessions.at(0).updatedAt.isValid());
    QVERIFY(qAbs(sessions.at(0).updatedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(store.sessions(2).size(), 2);
}

void TestSessionStore::turnIsAtomic()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sessions.sqlite"));
    SessionStore store;
    QVERIFY(store.open(path, nullptr));
    QVERIFY(store.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q1"),
                             QStringLiteral("a1")));

    // A second connection makes the assistant insert fail: the user message written just
    // before it, in the same transaction, must go too.
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("saboteur"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TRIGGER fail_reply BEFORE INSERT ON messages WHEN NEW.content = 'FAIL'"
            " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("saboteur"));

    QVERIFY(!store.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q2"),
                              QStringLiteral("FAIL")));
    QVERIFY(!store.appendTurn(QStringLiteral("new"), QStringLiteral("main"), QStringLiteral("q"),
                              QStringLiteral("FAIL")));
    QCOMPARE(render(store.history(QStringLiteral("s"), 10)),
             (QStringList {QStringLiteral("user: q1"), QStringLiteral("assistant: a1")}));
    QCOMPARE(store.sessions().size(), 1); // the failed new session left no row either
    // The store still works after a rolled-back turn.
    QVERIFY(store.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q3"),
                             QStringLiteral("a3")));
    QCOMPARE(store.history(QStringLiteral("s"), 10).size(), 4);
}

void TestSessionStore::reopenFindsTheData()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nested/dir/sessions.sqlite"));
    {
        SessionStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QVERIFY(store.appendTurn(
            QStringLiteral("agent:main:openai-user:ann"), QStringLiteral("main"),
            QStringLiteral("Bonjour, je m'appelle Ann"), QStringLiteral("Enchanté, Ann")));
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

    SessionStore reopened;
    QVERIFY(reopened.open(path, nullptr));
    QCOMPARE(render(reopened.history(QStringLiteral("agent:main:openai-user:ann"), 40)),
             (QStringList {QStringLiteral("user: Bonjour, je m'appelle Ann"),
                           QStringLiteral("assistant: Enchanté, Ann")}));
    QCOMPARE(reopened.sessions().value(0).key, QStringLiteral("agent:main:openai-user:ann"));
}

void TestSessionStore::emptyReplyIsStored()
{
    SessionStore store;
    QVERIFY(store.open(QStringLiteral(":memory:"), nullptr));
    QVERIFY(store.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                             QString()));
    QCOMPARE(render(store.history(QStringLiteral("s"), 10)),
             (QStringList {QStringLiteral("user: q"), QStringLiteral("assistant: ")}));
}

void TestSessionStore::twoStoresAreIndependent()
{
    SessionStore a;
    SessionStore b;
    QVERIFY(a.open(QStringLiteral(":memory:"), nullptr));
    QVERIFY(b.open(QStringLiteral(":memory:"), nullptr));
    QVERIFY(a.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                         QStringLiteral("a")));
    QCOMPARE(a.history(QStringLiteral("s"), 10).size(), 2);
    QCOMPARE(b.history(QStringLiteral("s"), 10).size(), 0);

    SessionStore closed;
    QVERIFY(!closed.isOpen());
    QVERIFY(!closed.appendTurn(QStringLiteral("s"), QStringLiteral("main"), QStringLiteral("q"),
                               QStringLiteral("a")));
    QVERIFY(closed.history(QStringLiteral("s"), 10).isEmpty());
}

void TestSessionStore::defaultPathIsInAppData()
{
    QCoreApplication::setApplicationName(QStringLiteral("passerelle-test"));
    const QString path = SessionStore::defaultPath();
    QVERIFY(path.endsWith(QStringLiteral("/sessions.sqlite")));
    QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QVERIFY(QFileInfo(path).absoluteDir().exists());
}

QTEST_GUILESS_MAIN(TestSessionStore)
#include "tst_sessionstore.moc"
