#include "stats/ProcessStats.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace passerelle {

namespace {

QByteArray readSmallFile(const char *path)
{
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll(); // proc files report size 0: read until the end
}

} // namespace

ProcessStats ProcessStats::read()
{
    ProcessStats s;
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
        s.cpuSeconds = double(usage.ru_utime.tv_sec) + double(usage.ru_utime.tv_usec) / 1e6
            + double(usage.ru_stime.tv_sec) + double(usage.ru_stime.tv_usec) / 1e6;
    }
#ifdef Q_OS_LINUX
    const long pageSize = sysconf(_SC_PAGESIZE);
    const long ticks = sysconf(_SC_CLK_TCK);
    const QList<QByteArray> statm = readSmallFile("/proc/self/statm").split(' ');
    if (statm.size() > 1 && pageSize > 0)
        s.residentBytes = statm.at(1).toLongLong() * pageSize;
    s.openFds = int(QDir(QStringLiteral("/proc/self/fd"))
                        .entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)
                        .size());
    // starttime (field 22) counts clock ticks since boot; the command name (field 2) may hold
    // spaces, so fields are counted after its closing parenthesis.
    const QByteArray stat = readSmallFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    qint64 bootTime = -1;
    for (const QByteArray &line : readSmallFile("/proc/stat").split('\n')) {
        if (line.startsWith("btime "))
            bootTime = line.mid(6).trimmed().toLongLong();
    }
    if (close > 0 && fields.size() > 19 && ticks > 0 && bootTime > 0)
        s.startTimeSeconds = double(bootTime) + fields.at(19).toDouble() / double(ticks);
#endif
    return s;
}

} // namespace passerelle
