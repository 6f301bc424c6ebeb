// libFuzzer harness of HttpRequestParser (the bytes of a client connection, heads and bodies),
// driven as HttpConnection drives it: every event taken as it comes, a head with a
// Transfer-Encoding or a body over 1 MiB refused as the front end's 411/413 would, an upgrade
// handing the bytes after its head over. Fed whole and fed in fuzzer-chosen pieces it must report
// the same heads, bodies, refusals and unparsed bytes, and never crash, hang or read out of bounds.
// Fuzzing thread.

#include "FuzzSplit.h"
#include "http/HttpRequestParser.h"

#include <cstdlib>

using passerelle::HttpRequestParser;
using passerelle::RequestHead;

namespace {

constexpr qint64 kMaxBody = 1024 * 1024;

struct Run
{
    QList<QByteArray> events; // in order: heads, bodies, refusals
    bool upgrade = false; // the last head was an upgrade's
    QByteArray upgraded; // the bytes after it (all of them, whatever the cuts)
    bool stopped = false;
    bool requestStarted = false;
    bool readingBody = false;
    qsizetype unparsed = 0;
};

QByteArray describe(const RequestHead &head)
{
    QByteArray out = "head " + head.method + ' ' + head.target + ' ' + head.version;
    for (const auto &h : head.headers)
        out += '|' + h.first + ':' + h.second;
    out += " cl=" + QByteArray::number(head.contentLength) + " ch=" + char('0' + head.chunked)
        + " ex=" + char('0' + head.expectContinue) + " up=" + char('0' + head.upgrade)
        + " close=" + char('0' + head.wantsClose());
    return out;
}

// What the parser promises about a head it reports.
void checkHead(const RequestHead &head)
{
    if (head.method.isEmpty() || head.target.isEmpty()
        || (head.version != "HTTP/1.1" && head.version != "HTTP/1.0"))
        std::abort();
    for (const auto &h : head.headers) {
        if (h.first.isEmpty() || h.first != h.first.toLower())
            std::abort();
        if (h.second != h.second.trimmed())
            std::abort(); // values are trimmed, and no control character but a tab is in one
    }
    if (head.contentLength < -1)
        std::abort();
}

// Takes the events the bytes appended so far make; false once the connection is done.
bool drain(HttpRequestParser &parser, Run &run)
{
    while (true) {
        switch (parser.next()) {
        case HttpRequestParser::Event::NeedMore:
            return true;
        case HttpRequestParser::Event::Head: {
            const RequestHead &head = parser.head();
            checkHead(head);
            run.events.append(describe(head));
            if (head.upgrade) {
                run.upgrade = true;
                run.upgraded = parser.takeUnparsed();
                if (parser.unparsedSize() != 0)
                    std::abort();
                return false;
            }
            if (head.chunked || head.contentLength > kMaxBody) {
                run.events.append("refused");
                return false;
            }
            break;
        }
        case HttpRequestParser::Event::Request: {
            const QByteArray body = parser.takeBody();
            if (body.size() != qMax<qint64>(0, parser.head().contentLength))
                std::abort(); // a body is exactly its Content-Length
            run.events.append("body " + body);
            break;
        }
        case HttpRequestParser::Event::HeadTooLarge:
            run.events.append("431");
            return false;
        case HttpRequestParser::Event::Malformed:
            run.events.append("400");
            return false;
        }
    }
}

Run parse(const QList<QByteArrayView> &pieces)
{
    Run run;
    HttpRequestParser parser;
    for (const QByteArrayView piece : pieces) {
        if (run.stopped) {
            if (run.upgrade)
                run.upgraded += piece.toByteArray(); // the WebSocket reads what follows
            continue;
        }
        parser.append(piece.toByteArray());
        run.stopped = !drain(parser, run);
        if (parser.unparsedSize() < 0)
            std::abort();
    }
    if (!run.stopped) {
        run.requestStarted = parser.requestStarted();
        run.readingBody = parser.readingBody();
        run.unparsed = parser.unparsedSize();
    }
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto [whole, split] = passerelle::fuzz::wholeAndSplit(data, size, parse);
    if (whole.events != split.events || whole.upgrade != split.upgrade
        || whole.upgraded != split.upgraded || whole.stopped != split.stopped
        || whole.requestStarted != split.requestStarted || whole.readingBody != split.readingBody
        || whole.unparsed != split.unparsed)
        std::abort(); // the result depends on where the reads were cut
    return 0;
}
