#pragma once

// Plain POSIX helpers shared by the benchmark tools (bench_upstream, bench_load): a monotonic
// clock, non-blocking loopback sockets and an epoll set. No Qt, so that the load side of a
// benchmark costs as little as possible and never shares an event loop design with the gateway.
// Single-threaded.

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bench {

inline int64_t nowUs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

[[noreturn]] inline void die(const char *what)
{
    std::fprintf(stderr, "%s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

inline void noDelay(int fd)
{
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

inline sockaddr_in loopback(int port)
{
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A listening socket on 127.0.0.1:port (0 picks one); *bound gets the port.
inline int listenLoopback(int port, int *bound)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopback(port);
    if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
        die("bind");
    if (listen(fd, 4096) != 0)
        die("listen");
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    *bound = ntohs(a.sin_port);
    return fd;
}

// A non-blocking connect to 127.0.0.1:port, in progress; -1 when no socket could be made.
inline int connectLoopback(int port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    noDelay(fd);
    sockaddr_in a = loopback(port);
    if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

inline void watch(int epoll, int fd, uint32_t events, int op = EPOLL_CTL_ADD)
{
    epoll_event ev {};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll, op, fd, &ev);
}

// Case-insensitive search of a header's value in a request or response head ("" if absent).
inline std::string headerValue(const std::string &head, const char *name)
{
    const size_t n = std::strlen(name);
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
        const size_t line = pos + 2;
        const size_t end = head.find("\r\n", line);
        if (end == std::string::npos)
            break;
        if (end - line > n && head[line + n] == ':' && strncasecmp(&head[line], name, n) == 0) {
            size_t v = line + n + 1;
            while (v < end && head[v] == ' ')
                ++v;
            return head.substr(v, end - v);
        }
        pos = end;
    }
    return {};
}

} // namespace bench
