// `passerelle --headless` as a user runs it: first run writes the config and prints the token once,
// later runs do not; --port and the environment; a broken config refuses to start with line and
// column; SIGTERM stops cleanly; --version and --help.

#include "support/GatewayProcess.h"
#include "support/TestHttpClient.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace passerelle::test;

class TestHeadless : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void versionAndHelp();
    void firstRunPrintsTokenOnce();
    void portFromCommandLineAndEnvironment();
    void brokenConfigRefusesToStart();
    void tokenModeWithoutTokenRefusesToStart();
    void portInUse();

private:
    QProcessEnvironment env() const;
    bool startGateway(QProcess &p, const QStringList &args, quint16 *port,
                      QString *output = nullptr, const QProcessEnvironment &environment = {});
    static int stop(QProcess &p);

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestHeadless::init()
{
    m_home = std::make_unique<QTemporaryDir>();
}

QProcessEnvironment TestHeadless::env() const
{
    return GatewayProcess::isolatedEnvironment(m_home->path());
}

bool TestHeadless::startGateway(QProcess &p, const QStringList &args, quint16 *port,
                                QString *output, const QProcessEnvironment &environment)
{
    *port = GatewayProcess::start(p, args, environment.isEmpty() ? env() : environment, output);
    return *port != 0;
}

int TestHeadless::stop(QProcess &p)
{
    return GatewayProcess::stop(p);
}

void TestHeadless::versionAndHelp()
{
    QProcess p;
    p.start(QStringLiteral(PASSERELLE_BINARY), {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().startsWith("passerelle " PASSERELLE_VERSION));
    p.start(QStringLiteral(PASSERELLE_BINARY), {QStringLiteral("--help")});
    QVERIFY(p.waitForFinished());
    const QByteArray help = p.readAllStandardOutput();
    QVERIFY(help.contains("--headless"));
    QVERIFY(help.contains("--config <path>"));
    QVERIFY(help.contains("--port <n>"));
}

void TestHeadless::firstRunPrintsTokenOnce()
{
    QProcess p;
    quint16 port = 0;
    QString out;
    QVERIFY2(startGateway(p, {QStringLiteral("--port"), QStringLiteral("0")}, &port, &out),
             qPrintable(out));
    const QString path = m_home->filePath(QStringLiteral("config/passerelle/passerelle.json"));
    QVERIFY2(QFile::exists(path), qPrintable(out));
    QCOMPARE(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    const QString token = doc.value(QStringLiteral("gateway"))
                              .toObject()
                              .value(QStringLiteral("auth"))
                              .toObject()
                              .value(QStringLiteral("token"))
                              .toString();
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{48}$")).match(token).hasMatch());
    QVERIFY2(out.contains(token), qPrintable(out));
    // The fresh install answers at once.
    const HttpResponse r = TestHttpClient(port).post(
        "/v1/chat/completions",
        R"({"model":"openclaw","messages":[{"role":"user","content":"hi"}]})", token.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(stop(p), 0);

    QProcess again;
    QVERIFY(startGateway(again, {QStringLiteral("--port"), QStringLiteral("0")}, &port, &out));
    QVERIFY2(!out.contains(token), "the token is printed only on the first run");
    QCOMPARE(stop(again), 0);
}

void TestHeadless::portFromCommandLineAndEnvironment()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 free = probe.serverPort();
    probe.close();
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("OPENCLAW_GATEWAY_PORT"), QString::number(free));
    e.insert(QStringLiteral("OPENCLAW_GATEWAY_TOKEN"), QStringLiteral("from-env-token"));
    QProcess p;
    quint16 port = 0;
    QString out;
    QVERIFY2(startGateway(p, {}, &port, &out, e), qPrintable(out));
    QCOMPARE(port, free);
    QCOMPARE(stop(p), 0);
    // --port beats the environment.
    QProcess q;
    QVERIFY(startGateway(q, {QStringLiteral("--port"), QStringLiteral("0")}, &port, &out, e));
    QVERIFY(port != free);
    QCOMPARE(stop(q), 0);
}

void TestHeadless::brokenConfigRefusesToStart()
{
    const QString path = m_home->filePath(QStringLiteral("broken.json5"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\n  gateway: {\n    port: 18789,,\n  }\n}\n");
    f.close();
    QProcess p;
    p.setProcessEnvironment(env());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(PASSERELLE_BINARY),
            {QStringLiteral("--headless"), QStringLiteral("--config"), path});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    const QString out = QString::fromUtf8(p.readAll());
    QVERIFY2(out.contains(QStringLiteral("line 3, column")), qPrintable(out));
}

void TestHeadless::tokenModeWithoutTokenRefusesToStart()
{
    const QString path = m_home->filePath(QStringLiteral("notoken.json5"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ gateway: { auth: { mode: 'token' } } }");
    f.close();
    QProcess p;
    p.setProcessEnvironment(env());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(PASSERELLE_BINARY),
            {QStringLiteral("--headless"), QStringLiteral("--config"), path});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    const QString out = QString::fromUtf8(p.readAll());
    QVERIFY2(out.contains(QStringLiteral("gateway.auth.token")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("OPENCLAW_GATEWAY_TOKEN")), qPrintable(out));
}

void TestHeadless::portInUse()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    QProcess p;
    p.setProcessEnvironment(env());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(PASSERELLE_BINARY),
            {QStringLiteral("--headless"), QStringLiteral("--port"),
             QString::number(blocker.serverPort())});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 3);
    const QString out = QString::fromUtf8(p.readAll());
    QVERIFY2(
        out.contains(QStringLiteral("Cannot listen on 127.0.0.1:%1").arg(blocker.serverPort())),
        qPrintable(out));
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
