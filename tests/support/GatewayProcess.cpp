#include "support/GatewayProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QRegularExpression>

#include <csignal>

namespace passerelle::test {

QString GatewayProcess::binary()
{
#ifdef PASSERELLE_BINARY
    return QStringLiteral(PASSERELLE_BINARY);
#else
    return QStringLiteral("passerelle");
#endif
}

QProcessEnvironment GatewayProcess::isolatedEnvironment(const QString &home)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("HOME"), home);
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral("config")));
    e.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home).filePath(QStringLiteral("data")));
    e.remove(QStringLiteral("OPENCLAW_CONFIG_PATH"));
    e.remove(QStringLiteral("OPENCLAW_GATEWAY_TOKEN"));
    e.remove(QStringLiteral("OPENCLAW_GATEWAY_PASSWORD"));
    e.remove(QStringLiteral("OPENCLAW_GATEWAY_PORT"));
    e.remove(QStringLiteral("DISPLAY"));
    return e;
}

quint16 GatewayProcess::start(QProcess &process, const QStringList &args,
                              const QProcessEnvironment &environment, QString *output,
                              int timeoutMs)
{
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(binary(), QStringList {QStringLiteral("--headless")} + args);
    if (!process.waitForStarted(5000))
        return 0;
    static const QRegularExpression re(
        QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QString text;
    quint16 port = 0;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        text += QString::fromUtf8(process.readAll());
        const auto m = re.match(text);
        if (m.hasMatch()) {
            port = quint16(m.captured(1).toUInt());
            break;
        }
        if (process.state() != QProcess::Running)
            break;
    }
    if (output)
        *output = text;
    return port;
}

int GatewayProcess::stop(QProcess &process)
{
    ::kill(pid_t(process.processId()), SIGTERM);
    if (!process.waitForFinished(10000))
        return -1;
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
}

} // namespace passerelle::test
