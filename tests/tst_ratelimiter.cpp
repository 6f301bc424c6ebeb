// AuthRateLimiter driven by a fake clock: the Nth failure locks, Retry-After arithmetic, window
// expiry, success resets, loopback exemption, IPv4-mapped addresses, the memory bound, clear()
// and lockouts() (SPEC section 5).

#include "auth/AuthRateLimiter.h"

#include <QTest>

using namespace passerelle;

class TestRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void locksAtNthFailure_data();
    void locksAtNthFailure();
    void retryAfterArithmetic();
    void retryAfterSeconds_data();
    void retryAfterSeconds();
    void windowExpiry();
    void countRestartsAfterLockout();
    void successResets();
    void successDoesNotLiftLockout();
    void isExempt_data();
    void isExempt();
    void exemptLoopbackNeverLocks();
    void loopbackCountsWhenNotExempt();
    void ipv4MappedIsSameClient();
    void ipsAreIndependent();
    void disabled_data();
    void disabled();
    void evictionBound();
    void pruneExpiredWhenFull();
    void clear();
    void lockouts();
    void defaultClock();

private:
    AuthRateLimiter makeLimiter(int maxAttempts, qint64 windowMs = 60000, qint64 lockoutMs = 300000,
                                bool exemptLoopback = true);
    qint64 m_now = 0;
};

namespace {
QHostAddress ip(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}
} // namespace

AuthRateLimiter TestRateLimiter::makeLimiter(int maxAttempts, qint64 windowMs, qint64 lockoutMs,
                                             bool exemptLoopback)
{
    AuthRateLimiter limiter([this] { return m_now; });
    RateLimitConfig config;
    config.maxAttempts = maxAttempts;
    config.windowMs = windowMs;
    config.lockoutMs = lockoutMs;
    config.exemptLoopback = exemptLoopback;
    limiter.setConfig(config);
    return limiter;
}

void TestRateLimiter::init()
{
    m_now = 1000000;
}

void TestRateLimiter::locksAtNthFailure_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::newRow("1") << 1;
    QTest::newRow("3") << 3;
    QTest::newRow("10 (default)") << 10;
}

void TestRateLimiter::locksAtNthFailure()
{
    QFETCH(int, maxAttempts);
    AuthRateLimiter limiter = makeLimiter(maxAttempts);
    const QHostAddress client = ip("203.0.113.7");
    for (int i = 1; i < maxAttempts; ++i) {
        QVERIFY2(!limiter.recordFailure(client), qPrintable(QString::number(i)));
        QCOMPARE(limiter.lockedForMs(client), 0);
        m_now += 10;
    }
    QVERIFY(limiter.recordFailure(client));
    QCOMPARE(limiter.lockedForMs(client), 300000);
    // Further failures while locked neither extend the lockout nor report a new one.
    QVERIFY(!limiter.recordFailure(client));
    QCOMPARE(limiter.lockedForMs(client), 300000);
}

void TestRateLimiter::retryAfterArithmetic()
{
    AuthRateLimiter limiter = makeLimiter(3, 60000, 300000);
    const QHostAddress client = ip("198.51.100.1");
    limiter.recordFailure(client);
    limiter.recordFailure(client);
    QVERIFY(limiter.recordFailure(client));

    m_now += 1500;
    QCOMPARE(limiter.lockedForMs(client), 298500);
    QCOMPARE(AuthRateLimiter::retryAfterSeconds(limiter.lockedForMs(client)), 299);

    m_now += 298499;
    QCOMPARE(limiter.lockedForMs(client), 1);
    QCOMPARE(AuthRateLimiter::retryAfterSeconds(limiter.lockedForMs(client)), 1);

    m_now += 1;
    QCOMPARE(limiter.lockedForMs(client), 0);
}

void TestRateLimiter::retryAfterSeconds_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("1 ms") << qint64(1) << qint64(1);
    QTest::newRow("999 ms") << qint64(999) << qint64(1);
    QTest::newRow("1000 ms") << qint64(1000) << qint64(1);
    QTest::newRow("1001 ms") << qint64(1001) << qint64(2);
    QTest::newRow("full default lockout") << qint64(300000) << qint64(300);
}

void TestRateLimiter::retryAfterSeconds()
{
    QFETCH(qint64, ms);
    QFETCH(qint64, seconds);
    QCOMPARE(AuthRateLimiter::retryAfterSeconds(ms), seconds);
}

void TestRateLimiter::windowExpiry()
{
    AuthRateLimiter limiter = makeLimiter(3, 60000);
    const QHostAddress client = ip("192.0.2.10");
    const qint64 start = m_now;
    QVERIFY(!limiter.recordFailure(client)); // t = 0
    m_now = start + 30000;
    QVERIFY(!limiter.recordFailure(client)); // t = 30 s
    m_now = start + 60000;
    QVERIFY(!limiter.recordFailure(client)); // t = 60 s: the first one just left the window
    QCOMPARE(limiter.lockedForMs(client), 0);
    m_now = start + 60001;
    QVERIFY(limiter.recordFailure(client)); // 30 s, 60 s, 60.001 s: three inside the window
    QCOMPARE(limiter.lockedForMs(client), 300000);
}

void TestRateLimiter::countRestartsAfterLockout()
{
    AuthRateLimiter limiter = makeLimiter(2, 600000, 1000);
    const QHostAddress client = ip("192.0.2.11");
    limiter.recordFailure(client);
    QVERIFY(limiter.recordFailure(client));
    m_now += 1000;
    QCOMPARE(limiter.lockedForMs(client), 0);
    QVERIFY(!limiter.recordFailure(client)); // the failures before the lockout no longer count
    QVERIFY(limiter.recordFailure(client));
}

void TestRateLimiter::successResets()
{
    AuthRateLimiter limiter = makeLimiter(3);
    const QHostAddress client = ip("192.0.2.20");
    limiter.recordFailure(client);
    limiter.recordFailure(client);
    limiter.recordSuccess(client);
    QVERIFY(!limiter.recordFailure(client));
    QVERIFY(!limiter.recordFailure(client));
    QVERIFY(limiter.recordFailure(client));
}

void TestRateLimiter::successDoesNotLiftLockout()
{
    AuthRateLimiter limiter = makeLimiter(1);
    const QHostAddress client = ip("192.0.2.21");
    QVERIFY(limiter.recordFailure(client));
    limiter.recordSuccess(client);
    QCOMPARE(limiter.lockedForMs(client), 300000);
}

void TestRateLimiter::isExempt_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("exemptLoopback");
    QTest::addColumn<bool>("exempt");

    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true << true;
    QTest::newRow("127.5.6.7") << QStringLiteral("127.5.6.7") << true << true;
    QTest::newRow("::1") << QStringLiteral("::1") << true << true;
    QTest::newRow("::ffff:127.0.0.1") << QStringLiteral("::ffff:127.0.0.1") << true << true;
    QTest::newRow("LAN address") << QStringLiteral("192.168.1.2") << true << false;
    QTest::newRow("mapped LAN address") << QStringLiteral("::ffff:192.168.1.2") << true << false;
    QTest::newRow("IPv6 address") << QStringLiteral("2001:db8::1") << true << false;
    QTest::newRow("loopback, exemption off") << QStringLiteral("127.0.0.1") << false << false;
    QTest::newRow("::1, exemption off") << QStringLiteral("::1") << false << false;
}

void TestRateLimiter::isExempt()
{
    QFETCH(QString, address);
    QFETCH(bool, exemptLoopback);
    QFETCH(bool, exempt);
    AuthRateLimiter limiter = makeLimiter(3, 60000, 300000, exemptLoopback);
    QCOMPARE(limiter.isExempt(QHostAddress(address)), exempt);
}

void TestRateLimiter::exemptLoopbackNeverLocks()
{
    AuthRateLimiter limiter = makeLimiter(1);
    for (const char *address : {"127.0.0.1", "::1", "::ffff:127.0.0.1"}) {
        QVERIFY(!limiter.recordFailure(ip(address)));
        QVERIFY(!limiter.recordFailure(ip(address)));
        QCOMPARE(limiter.lockedForMs(ip(address)), 0);
    }
    QVERIFY(limiter.lockouts().isEmpty());
    QCOMPARE(limiter.trackedIps(), 0);
}

void TestRateLimiter::loopbackCountsWhenNotExempt()
{
    AuthRateLimiter limiter = makeLimiter(2, 60000, 300000, false);
    QVERIFY(!limiter.recordFailure(ip("::1")));
    QVERIFY(limiter.recordFailure(ip("::1")));
    QCOMPARE(limiter.lockedForMs(ip("::1")), 300000);
}

void TestRateLimiter::ipv4MappedIsSameClient()
{
    AuthRateLimiter limiter = makeLimiter(2);
    QVERIFY(!limiter.recordFailure(ip("::ffff:10.0.0.5")));
    QVERIFY(limiter.recordFailure(ip("10.0.0.5")));
    QCOMPARE(limiter.lockedForMs(ip("::ffff:10.0.0.5")), 300000);
    const QList<Lockout> list = limiter.lockouts();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().ip, QStringLiteral("10.0.0.5"));
}

void TestRateLimiter::ipsAreIndependent()
{
    AuthRateLimiter limiter = makeLimiter(2);
    QVERIFY(!limiter.recordFailure(ip("10.0.0.1")));
    QVERIFY(!limiter.recordFailure(ip("10.0.0.2")));
    QVERIFY(!limiter.recordFailure(ip("2001:db8::1")));
    QVERIFY(limiter.recordFailure(ip("10.0.0.1")));
    QCOMPARE(limiter.lockedForMs(ip("10.0.0.2")), 0);
    QCOMPARE(limiter.lockedForMs(ip("2001:db8::1")), 0);
}

void TestRateLimiter::disabled_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::newRow("0") << 0;
    QTest::newRow("-1") << -1;
}

void TestRateLimiter::disabled()
{
    QFETCH(int, maxAttempts);
    AuthRateLimiter limiter = makeLimiter(maxAttempts);
    for (int i = 0; i < 50; ++i)
        QVERIFY(!limiter.recordFailure(ip("10.9.9.9")));
    QCOMPARE(limiter.lockedForMs(ip("10.9.9.9")), 0);
    QCOMPARE(limiter.trackedIps(), 0);

    // Turning the limiter off live drops what it held.
    AuthRateLimiter live = makeLimiter(1);
    QVERIFY(live.recordFailure(ip("10.9.9.9")));
    RateLimitConfig off = live.config();
    off.maxAttempts = maxAttempts;
    live.setConfig(off);
    QCOMPARE(live.lockedForMs(ip("10.9.9.9")), 0);
    QCOMPARE(live.trackedIps(), 0);
}

namespace {
QHostAddress nthAddress(int n)
{
    return QHostAddress(quint32(0x0A000000u + quint32(n))); // 10.x.y.z
}
} // namespace

void TestRateLimiter::evictionBound()
{
    AuthRateLimiter limiter = makeLimiter(3, 3600000, 3600000);
    const QHostAddress locked = ip("203.0.113.99");
    limiter.recordFailure(locked);
    limiter.recordFailure(locked);
    QVERIFY(limiter.recordFailure(locked));

    // Fill the table; each address gets one failure, one millisecond apart.
    const int total = AuthRateLimiter::kMaxTrackedIps + 5;
    for (int i = 0; i < total; ++i) {
        m_now += 1;
        QVERIFY(!limiter.recordFailure(nthAddress(i)));
        QVERIFY(limiter.trackedIps() <= AuthRateLimiter::kMaxTrackedIps);
    }
    QCOMPARE(limiter.trackedIps(), AuthRateLimiter::kMaxTrackedIps);

    // The locked IP survived the flood of fresh addresses.
    QVERIFY(limiter.lockedForMs(locked) > 0);

    // The least recently seen addresses were evicted: their count starts again.
    m_now += 1;
    QVERIFY(!limiter.recordFailure(nthAddress(0)));
    QVERIFY(!limiter.recordFailure(nthAddress(0)));
    // The most recent ones were kept: two more failures reach three.
    QVERIFY(!limiter.recordFailure(nthAddress(total - 1)));
    QVERIFY(limiter.recordFailure(nthAddress(total - 1)));
}

void TestRateLimiter::pruneExpiredWhenFull()
{
    AuthRateLimiter limiter = makeLimiter(3, 1000, 5000);
    for (int i = 0; i < AuthRateLimiter::kMaxTrackedIps; ++i)
        limiter.recordFailure(nthAddress(i));
    QCOMPARE(limiter.trackedIps(), AuthRateLimiter::kMaxTrackedIps);
    m_now += 1000; // every failure is now outside the window
    limiter.recordFailure(ip("198.51.100.50"));
    QCOMPARE(limiter.trackedIps(), 1);
}

void TestRateLimiter::clear()
{
    AuthRateLimiter limiter = makeLimiter(1);
    QVERIFY(limiter.recordFailure(ip("10.0.0.5")));
    QVERIFY(limiter.recordFailure(ip("10.0.0.6")));
    limiter.clear(QStringLiteral("10.0.0.5"));
    QCOMPARE(limiter.lockedForMs(ip("10.0.0.5")), 0);
    QCOMPARE(limiter.lockedForMs(ip("10.0.0.6")), 300000);

    // The mapped spelling names the same entry.
    limiter.clear(QStringLiteral("::ffff:10.0.0.6"));
    QCOMPARE(limiter.lockedForMs(ip("10.0.0.6")), 0);
    QVERIFY(limiter.lockouts().isEmpty());
}

void TestRateLimiter::lockouts()
{
    AuthRateLimiter limiter = makeLimiter(2, 60000, 10000);
    const qint64 start = m_now;
    limiter.recordFailure(ip("10.0.0.2"));
    limiter.recordFailure(ip("10.0.0.2")); // locked until start + 10 s
    m_now = start + 4000;
    limiter.recordFailure(ip("2001:db8::7"));
    limiter.recordFailure(ip("2001:db8::7")); // locked until start + 14 s
    limiter.recordFailure(ip("10.0.0.3")); // one failure: not a lockout

    QList<Lockout> list = limiter.lockouts();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).ip, QStringLiteral("10.0.0.2"));
    QCOMPARE(list.at(0).untilMs, start + 10000);
    QCOMPARE(list.at(0).failures, 2);
    QCOMPARE(list.at(1).ip, QStringLiteral("2001:db8::7"));
    QCOMPARE(list.at(1).untilMs, start + 14000);

    m_now = start + 10000; // the first lockout is over
    list = limiter.lockouts();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().ip, QStringLiteral("2001:db8::7"));
}

void TestRateLimiter::defaultClock()
{
    AuthRateLimiter limiter;
    RateLimitConfig config;
    config.maxAttempts = 1;
    config.lockoutMs = 60000;
    limiter.setConfig(config);
    QVERIFY(limiter.recordFailure(ip("10.1.1.1")));
    const qint64 left = limiter.lockedForMs(ip("10.1.1.1"));
    QVERIFY(left > 0);
    QVERIFY(left <= 60000);
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
