// bench_load: the stream load generator of bench/run.sh. One thread, epoll, so that 10,000
// concurrent streams cost the client side little. Modes:
//   bench_load streams --port P --path /v1/chat/completions --body FILE [--header "K: V"]...
//              --conns N [--total M] [--timeout S]
//       keeps N requests in flight (M in all, one per connection) and prints one line of
//       key=value: ok, failed (by cause), wall time, and p50/p99 of the time to the response head,
//       to the first content delta and to `data: [DONE]`, in ms from the connect.
//   bench_load start-time --port P [--timeout S] -- command args...
//       starts the command, polls GET /health until a 200, prints start_ms, stops it (SIGTERM).
//   bench_load free-port
//       prints a loopback port that is free now.

#include "BenchNet.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

namespace {

struct Args
{
    int port = 0;
    std::string path = "/v1/chat/completions";
    std::string body;
    std::vector<std::string> headers;
    int conns = 1;
    int total = 0;
    double timeoutS = 60;
    std::vector<char *> command;
};

Args parse(int argc, char **argv)
{
    Args a;
    for (int i = 2; i < argc; ++i) {
        const std::string k = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", k.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (k == "--port")
            a.port = std::stoi(next());
        else if (k == "--path")
            a.path = next();
        else if (k == "--body") {
            std::ifstream f(next());
            std::stringstream s;
            s << f.rdbuf();
            a.body = s.str();
        } else if (k == "--header")
            a.headers.push_back(next());
        else if (k == "--conns")
            a.conns = std::stoi(next());
        else if (k == "--total")
            a.total = std::stoi(next());
        else if (k == "--timeout")
            a.timeoutS = std::stod(next());
        else if (k == "--") {
            for (++i; i < argc; ++i)
                a.command.push_back(argv[i]);
            a.command.push_back(nullptr);
        } else {
            std::fprintf(stderr, "unknown option %s\n", k.c_str());
            std::exit(2);
        }
    }
    if (a.total <= 0)
        a.total = a.conns;
    return a;
}

double percentile(std::vector<int64_t> v, double p)
{
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    const size_t at = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return double(v[at]) / 1000.0;
}

class Streams
{
public:
    explicit Streams(const Args &args) : m_args(args)
    {
        m_request = "POST " + args.path
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(args.port)
            + "\r\nContent-Type: application/json\r\nAccept: "
              "text/event-stream\r\n";
        for (const std::string &h : args.headers)
            m_request += h + "\r\n";
        m_request += "Content-Length: " + std::to_string(args.body.size()) + "\r\n\r\n" + args.body;
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
    }

    int run()
    {
        const int64_t start = bench::nowUs();
        const int64_t deadline = start + int64_t(m_args.timeoutS * 1e6);
        while (m_started < m_args.total && int(m_live.size()) < m_args.conns)
            open();
        std::vector<epoll_event> events(4096);
        int64_t lastEnd = start;
        while (!m_live.empty()) {
            const int64_t left = deadline - bench::nowUs();
            if (left <= 0)
                break;
            const int n = epoll_wait(m_epoll, events.data(), int(events.size()),
                                     int(std::min<int64_t>(left / 1000 + 1, 1000)));
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (m_live.count(fd) == 0)
                    continue;
                if (events[i].events & EPOLLOUT)
                    writeRequest(fd);
                else
                    readFrom(fd);
                if (m_live.count(fd) == 0)
                    lastEnd = bench::nowUs();
            }
            while (m_started < m_args.total && int(m_live.size()) < m_args.conns)
                open();
        }
        m_failures["timeout"] += int(m_live.size()) + (m_args.total - m_started);
        std::printf("ok=%zu", m_done.size());
        int failed = 0;
        for (const auto &[why, n] : m_failures)
            failed += n;
        std::printf(" failed=%d", failed);
        for (const auto &[why, n] : m_failures)
            if (n > 0)
                std::printf(" fail_%s=%d", why.c_str(), n);
        std::printf(" wall_s=%.2f", double(lastEnd - start) / 1e6);
        std::printf(" head_p50=%.2f head_p99=%.2f first_p50=%.2f first_p99=%.2f done_p50=%.2f "
                    "done_p99=%.2f\n",
                    percentile(m_head, 0.5), percentile(m_head, 0.99), percentile(m_first, 0.5),
                    percentile(m_first, 0.99), percentile(m_done, 0.5), percentile(m_done, 0.99));
        return 0;
    }

private:
    struct Stream
    {
        int64_t begin = 0;
        int64_t head = -1;
        int64_t first = -1;
        size_t written = 0;
        std::string in; // the response head until it is complete, then a short tail
        bool headDone = false;
    };

    void open()
    {
        ++m_started;
        const int fd = bench::connectLoopback(m_args.port);
        if (fd < 0) {
            ++m_failures["socket"];
            return;
        }
        Stream &s = m_live[fd];
        s.begin = bench::nowUs();
        bench::watch(m_epoll, fd, EPOLLOUT);
    }

    void finish(int fd, const char *failure)
    {
        if (failure)
            ++m_failures[failure];
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        m_live.erase(fd);
    }

    void writeRequest(int fd)
    {
        Stream &s = m_live[fd];
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0)
            return finish(fd, "connect");
        while (s.written < m_request.size()) {
            const ssize_t put = ::send(fd, m_request.data() + s.written,
                                       m_request.size() - s.written, MSG_NOSIGNAL);
            if (put < 0) {
                if (errno == EAGAIN)
                    return;
                return finish(fd, "write");
            }
            s.written += size_t(put);
        }
        bench::watch(m_epoll, fd, EPOLLIN, EPOLL_CTL_MOD);
    }

    void readFrom(int fd)
    {
        Stream &s = m_live[fd];
        char buf[65536];
        for (;;) {
            const ssize_t got = read(fd, buf, sizeof buf);
            if (got == 0)
                return finish(fd, s.headDone ? "cut" : "closed");
            if (got < 0) {
                if (errno == EAGAIN)
                    return;
                return finish(fd, "reset");
            }
            const int64_t now = bench::nowUs();
            // Keep a tail so that a marker split between two reads is still seen.
            const size_t keep = s.headDone ? std::min<size_t>(s.in.size(), 24) : s.in.size();
            std::string text = s.in.substr(s.in.size() - keep);
            text.append(buf, size_t(got));
            size_t from = 0;
            if (!s.headDone) {
                const size_t end = text.find("\r\n\r\n");
                if (end == std::string::npos) {
                    s.in = text;
                    continue;
                }
                s.headDone = true;
                s.head = now - s.begin;
                if (text.compare(0, 12, "HTTP/1.1 200") != 0) {
                    const std::string code = text.size() > 12 ? text.substr(9, 3) : "bad";
                    return finish(fd, ("http_" + code).c_str());
                }
                from = end + 4;
            }
            if (s.first < 0) {
                size_t at = text.find("\"content\":\"", from);
                while (at != std::string::npos && at + 11 < text.size() && text[at + 11] == '"')
                    at = text.find("\"content\":\"", at + 1);
                if (at != std::string::npos && at + 11 < text.size())
                    s.first = now - s.begin;
            }
            if (text.find("data: [DONE]", from) != std::string::npos) {
                m_head.push_back(s.head);
                m_first.push_back(s.first < 0 ? now - s.begin : s.first);
                m_done.push_back(now - s.begin);
                return finish(fd, nullptr);
            }
            s.in = text.substr(text.size() - std::min<size_t>(text.size(), 24));
        }
    }

    const Args &m_args;
    std::string m_request;
    int m_epoll = -1;
    int m_started = 0;
    std::unordered_map<int, Stream> m_live;
    std::map<std::string, int> m_failures;
    std::vector<int64_t> m_head, m_first, m_done;
};

// One GET /health; true on a 200.
bool healthy(int port)
{
    const int fd = bench::connectLoopback(port);
    if (fd < 0)
        return false;
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    bool ok = false;
    sockaddr_in a = bench::loopback(port);
    timeval tv {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 || errno == EISCONN) {
        const std::string req = "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port)
            + "\r\nConnection: close\r\n\r\n";
        char buf[64] = {};
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())
            && read(fd, buf, sizeof buf - 1) >= 12)
            ok = std::strncmp(buf, "HTTP/1.1 200", 12) == 0;
    }
    close(fd);
    return ok;
}

int startTime(const Args &args)
{
    const int64_t start = bench::nowUs();
    const pid_t child = fork();
    if (child == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(args.command[0], args.command.data());
        _exit(127);
    }
    const int64_t deadline = start + int64_t(args.timeoutS * 1e6);
    bool up = false;
    while (!up && bench::nowUs() < deadline) {
        up = healthy(args.port);
        if (!up)
            usleep(1000);
    }
    const int64_t took = bench::nowUs() - start;
    kill(child, SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
    if (!up) {
        std::printf("start_ms=-1\n");
        return 1;
    }
    std::printf("start_ms=%.1f\n", double(took) / 1000.0);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "free-port") {
        int port = 0;
        close(bench::listenLoopback(0, &port));
        std::printf("%d\n", port);
        return 0;
    }
    const Args args = parse(argc, argv);
    if (mode == "streams")
        return Streams(args).run();
    if (mode == "start-time" && !args.command.empty())
        return startTime(args);
    std::fprintf(stderr, "usage: bench_load streams|start-time|free-port ...\n");
    return 2;
}
