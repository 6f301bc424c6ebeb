// bench_upstream: the fast fake OpenAI-compatible upstream of bench/run.sh. One thread, epoll,
// HTTP/1.1 keep-alive; answers every POST at once from a prepared buffer, so that the baseline
// ("the upstream hit directly") measures the loopback and the client, not this server.
//   POST .../chat/completions with "stream":true -> an SSE stream (chunked): the role chunk,
//        <chunks> content chunks, the finish chunk and [DONE]
//   any other POST                               -> one JSON chat completion
//   GET /health                                  -> 200
// The path may start with /u/<chunks>/<mode>/ (default 5 chunks, mode b): mode b sends the whole
// answer in one write, mode e writes each SSE event on its own (a model streaming as fast as the
// socket goes). Prints "listening on http://127.0.0.1:<port>". Usage: bench_upstream [port]

#include "BenchNet.h"

#include <csignal>
#include <map>
#include <unordered_map>
#include <vector>

namespace {

struct Conn
{
    std::string in;
    std::string out; // what the socket did not take yet
};

std::string chunked(const std::string &payload)
{
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", payload.size());
    return size + payload + "\r\n";
}

std::string event(const std::string &delta, const char *finish)
{
    return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
           "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
}

// Each answer is built once per chunk count and kept.
template<typename T, typename Make> const T &cached(std::map<int, T> &cache, int chunks, Make make)
{
    auto it = cache.find(chunks);
    if (it == cache.end())
        it = cache.emplace(chunks, make()).first;
    return it->second;
}

// The SSE answer as a list of HTTP chunks (the head first, the terminating chunk last).
const std::vector<std::string> &streamParts(int chunks)
{
    static std::map<int, std::vector<std::string>> cache;
    return cached(cache, chunks, [chunks] {
        std::vector<std::string> parts;
        parts.push_back("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: "
                        "no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
        parts.push_back(chunked(event("{\"role\":\"assistant\"}", "null")));
        for (int i = 0; i < chunks; ++i)
            parts.push_back(
                chunked(event("{\"content\":\"word" + std::to_string(i) + " \"}", "null")));
        parts.push_back(chunked(event("{}", "\"stop\"")));
        parts.push_back(chunked("data: [DONE]\n\n"));
        parts.push_back("0\r\n\r\n");
        return parts;
    });
}

const std::string &streamWhole(int chunks)
{
    static std::map<int, std::string> cache;
    return cached(cache, chunks, [chunks] {
        std::string all;
        for (const std::string &p : streamParts(chunks))
            all += p;
        return all;
    });
}

const std::string &jsonAnswer(int chunks)
{
    static std::map<int, std::string> cache;
    return cached(cache, chunks, [chunks] {
        std::string text;
        for (int i = 0; i < chunks; ++i)
            text += "word" + std::to_string(i) + " ";
        const std::string body
            = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
              "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
              "\"assistant\",\"content\":\""
            + text
            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
              "\"completion_tokens\":"
            + std::to_string(chunks) + ",\"total_tokens\":" + std::to_string(chunks + 1) + "}}";
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + std::to_string(body.size()) + "\r\n\r\n" + body;
    });
}

class Server
{
public:
    explicit Server(int port)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        int bound = 0;
        m_listen = bench::listenLoopback(port, &bound);
        bench::watch(m_epoll, m_listen, EPOLLIN);
        std::printf("listening on http://127.0.0.1:%d\n", bound);
        std::fflush(stdout);
    }

    void run()
    {
        std::vector<epoll_event> events(1024);
        for (;;) {
            const int n = epoll_wait(m_epoll, events.data(), int(events.size()), -1);
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == m_listen)
                    acceptAll();
                else if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                    readFrom(fd);
                else if (events[i].events & EPOLLOUT)
                    flush(fd);
            }
        }
    }

private:
    void acceptAll()
    {
        for (;;) {
            const int fd = accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                return;
            bench::noDelay(fd);
            m_conns[fd];
            bench::watch(m_epoll, fd, EPOLLIN);
        }
    }

    void drop(int fd)
    {
        close(fd);
        m_conns.erase(fd);
    }

    void readFrom(int fd)
    {
        Conn &c = m_conns[fd];
        char buf[65536];
        for (;;) {
            const ssize_t got = read(fd, buf, sizeof buf);
            if (got > 0) {
                c.in.append(buf, size_t(got));
                continue;
            }
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                drop(fd);
                return;
            }
            break;
        }
        bool close = false;
        while (!close) {
            const size_t headEnd = c.in.find("\r\n\r\n");
            if (headEnd == std::string::npos)
                break;
            const std::string head = c.in.substr(0, headEnd + 2);
            const size_t length = size_t(
                std::strtoull(bench::headerValue(head, "content-length").c_str(), nullptr, 10));
            if (c.in.size() < headEnd + 4 + length)
                break;
            const std::string body = c.in.substr(headEnd + 4, length);
            c.in.erase(0, headEnd + 4 + length);
            close = strncasecmp(bench::headerValue(head, "connection").c_str(), "close", 5) == 0;
            answer(fd, c, head, body);
        }
        if (!send(fd, c) || (close && c.out.empty()))
            drop(fd);
    }

    void answer(int fd, Conn &c, const std::string &head, const std::string &body)
    {
        if (head.compare(0, 4, "GET ") == 0) {
            c.out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     "15\r\n\r\n{\"status\":\"ok\"}";
            return;
        }
        int chunks = 5;
        char mode = 'b';
        const size_t pathStart = head.find(' ') + 1;
        if (head.compare(pathStart, 3, "/u/") == 0) {
            char *end = nullptr;
            chunks = int(std::strtol(head.c_str() + pathStart + 3, &end, 10));
            if (end && *end == '/')
                mode = end[1];
        }
        const bool stream = body.find("\"stream\":true") != std::string::npos
            || body.find("\"stream\": true") != std::string::npos;
        if (!stream) {
            c.out += jsonAnswer(chunks);
        } else if (mode == 'e') {
            for (const std::string &part : streamParts(chunks)) {
                c.out += part;
                if (!send(fd, c))
                    return;
            }
        } else {
            c.out += streamWhole(chunks);
        }
    }

    // Writes what is pending; false when the connection broke.
    bool send(int fd, Conn &c)
    {
        while (!c.out.empty()) {
            const ssize_t put = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
            if (put < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    return false;
                bench::watch(m_epoll, fd, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
                return true;
            }
            c.out.erase(0, size_t(put));
        }
        return true;
    }

    void flush(int fd)
    {
        Conn &c = m_conns[fd];
        if (!send(fd, c)) {
            drop(fd);
            return;
        }
        if (c.out.empty())
            bench::watch(m_epoll, fd, EPOLLIN, EPOLL_CTL_MOD);
    }

    int m_epoll = -1;
    int m_listen = -1;
    std::unordered_map<int, Conn> m_conns;
};

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    Server server(argc > 1 ? std::atoi(argv[1]) : 0);
    server.run();
}
