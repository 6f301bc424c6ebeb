#pragma once

// The standard process metrics of Prometheus clients, read when /metrics is scraped: resident
// memory, open file descriptors, CPU seconds (user + system) and the start time. Linux reads
// /proc/self; elsewhere what getrusage tells (the rest stays unknown, -1). Any thread.

#include <QtGlobal>

namespace passerelle {

struct ProcessStats
{
    qint64 residentBytes = -1;
    int openFds = -1;
    double cpuSeconds = -1;
    double startTimeSeconds = -1; // since the Unix epoch

    static ProcessStats read();
};

} // namespace passerelle
