// libFuzzer harness of RequestHeadScanner (the bytes of a client connection before QtHttpServer
// sees them): fed whole and fed in fuzzer-chosen pieces, it must report the same heads and end in
// the same state, and never crash, hang or read out of bounds. Fuzzing thread.

#include "FuzzSplit.h"
#include "http/RequestHeadScanner.h"

#include <cstdlib>

using passerelle::RequestHead;
using passerelle::RequestHeadScanner;

namespace {

struct Run
{
    QList<QByteArray> heads; // method, target, version, headers and framing of each head
    RequestHeadScanner::State state = RequestHeadScanner::State::Head;
};

QByteArray describe(const RequestHead &head)
{
    QByteArray out = head.method + ' ' + head.target + ' ' + head.version + " path=" + head.path();
    for (const auto &h : head.headers)
        out += '|' + h.first + ':' + h.second;
    out += " cl=" + QByteArray::number(head.contentLength) + " ch=" + char('0' + head.chunked)
        + " ex=" + char('0' + head.expectContinue) + " up=" + char('0' + head.upgrade);
    return out;
}

Run scan(const QList<QByteArrayView> &pieces)
{
    Run run;
    RequestHeadScanner scanner([&run](const RequestHead &head) {
        run.heads.append(describe(head));
        // A head asking to be refused stops the scanner, as the listener's 413 does.
        return head.method == "REJECT" ? RequestHeadScanner::Verdict::Reject
                                       : RequestHeadScanner::Verdict::Continue;
    });
    for (const QByteArrayView piece : pieces)
        run.state = scanner.feed(piece.toByteArray());
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto [whole, split] = passerelle::fuzz::wholeAndSplit(data, size, scan);
    if (whole.heads != split.heads || whole.state != split.state)
        std::abort(); // the result depends on where the reads were cut
    return 0;
}
