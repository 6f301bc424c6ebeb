// libFuzzer harness of HttpResponseParser (an upstream's HTTP/1.1 answer: status line, headers,
// interim 1xx, Content-Length, chunked and until-close bodies), driven as UpstreamExchange drives
// it: pieces fed until the answer is complete or refused, then, on odd seeds, the connection
// closing. Fed whole and fed in fuzzer-chosen pieces it must give the same status, headers, body,
// end state, error and (unless refused) count of bytes that belong to the answer, and never crash
// or hang. Fuzzing thread.

#include "FuzzSplit.h"
#include "providers/HttpResponseParser.h"

#include <cstdlib>

using passerelle::HttpResponseParser;

namespace {

struct Run
{
    HttpResponseParser::State state = HttpResponseParser::State::Head;
    bool headComplete = false;
    int status = 0;
    QByteArray headers; // the ones the exchange reads
    QByteArray body;
    QString error;
    bool keepAlive = false;
    qsizetype used = 0;
};

Run parse(const QList<QByteArrayView> &pieces, bool close)
{
    HttpResponseParser parser;
    Run run;
    for (const QByteArrayView piece : pieces) {
        const qsizetype used = parser.feed(piece, &run.body);
        if (used < 0 || used > piece.size())
            std::abort();
        run.used += used;
        if (used < piece.size()) {
            // Only a complete or refused answer leaves bytes: they are not its own.
            if (parser.state() != HttpResponseParser::State::Complete
                && parser.state() != HttpResponseParser::State::Error)
                std::abort();
            break;
        }
    }
    if (close)
        parser.endOfInput();
    run.state = parser.state();
    run.headComplete = parser.headComplete();
    run.status = parser.status();
    for (const char *name : {"content-type", "content-length", "transfer-encoding", "connection",
                             "retry-after", "x-request-id"})
        run.headers += parser.header(name) + '\n';
    run.error = parser.errorString();
    run.keepAlive = parser.keepAlive();
    if ((run.state == HttpResponseParser::State::Error) == run.error.isEmpty())
        std::abort(); // an error says why, and only an error
    if (run.headComplete && (run.status < 100 || run.status > 999))
        std::abort();
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool close = data[0] & 1;
    const auto [whole, split] = passerelle::fuzz::wholeAndSplit(
        data, size, [close](const QList<QByteArrayView> &pieces) { return parse(pieces, close); });
    if (whole.state != split.state || whole.headComplete != split.headComplete
        || whole.status != split.status || whole.headers != split.headers
        || whole.body != split.body || whole.error != split.error
        || whole.keepAlive != split.keepAlive)
        std::abort(); // the result depends on where the reads were cut
    // After an error the connection is dropped: only a good answer's length matters.
    if (whole.state != HttpResponseParser::State::Error && whole.used != split.used)
        std::abort();
    return 0;
}
