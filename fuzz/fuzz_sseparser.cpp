// libFuzzer harness of SseParser (an upstream's event stream): fed whole and fed in fuzzer-chosen
// pieces it must give the same events, comments, error and partial-event state, and never crash
// or hang. A small event bound makes the overflow path reachable. Fuzzing thread.

#include "FuzzSplit.h"
#include "providers/SseParser.h"

#include <cstdlib>

using passerelle::SseParser;

namespace {

struct Run
{
    QList<SseParser::Item> items;
    bool error = false;
    bool partial = false;
};

Run parse(const QList<QByteArrayView> &pieces, qsizetype bound)
{
    SseParser parser(bound);
    Run run;
    for (const QByteArrayView piece : pieces)
        run.items += parser.feed(piece);
    run.error = parser.hasError();
    run.partial = parser.hasPartialEvent();
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // Odd seeds use a 256-byte bound, even ones the default.
    const qsizetype bound = (data[0] & 1) ? 256 : SseParser::DefaultMaxEventBytes;
    const auto [whole, split] = passerelle::fuzz::wholeAndSplit(
        data, size, [bound](const QList<QByteArrayView> &pieces) { return parse(pieces, bound); });
    if (whole.error != split.error)
        std::abort();
    // Once over the bound the parser stops; how much it emitted before depends on the cut.
    if (!whole.error && (whole.items != split.items || whole.partial != split.partial))
        std::abort();
    return 0;
}
