#include "http/DescriptorLimit.h"

#include <limits>

#include <sys/resource.h>

namespace passerelle {

qint64 DescriptorLimit::current()
{
    struct rlimit limit
    {
    };
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<int>::max()
                                           : qint64(limit.rlim_cur);
}

qint64 DescriptorLimit::raise()
{
    struct rlimit limit
    {
    };
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    return current();
}

int DescriptorLimit::connectionCap(qint64 limit)
{
    const qint64 cap = qMin<qint64>(limit, std::numeric_limits<int>::max()) - kReserved;
    return int(qMax<qint64>(kMinimumCap, cap));
}

} // namespace passerelle
