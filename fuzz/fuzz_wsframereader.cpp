// libFuzzer harness of WsFrameReader (the binary frames a WebSocket client sends: masking,
// fragmentation, control frames, the three length forms, close codes, UTF-8), with the limits of a
// connection before `connect` (64 KiB), after it (25 MiB: seeds with bit 6 set) or, when the seed's
// bit 5 is set, small ones that make the 1009 path easy to reach. Fed whole
// and fed in fuzzer-chosen pieces it must give the same messages and the same protocol error, and
// what it gives must be what RFC 6455 allows. Never a crash or hang. Fuzzing thread.

#include "FuzzSplit.h"
#include "ws/WsFrameReader.h"
#include "ws/WsProtocol.h"

#include <cstdlib>

using passerelle::WsFrameReader;
using passerelle::WsProtocol;
using Message = WsFrameReader::Message;

namespace {

struct Run
{
    QList<QByteArray> messages;
    bool failed = false;
};

void check(const Message &m, qint64 maxMessage)
{
    switch (m.kind) {
    case Message::Kind::Text:
        if (m.text.toUtf8().size() > maxMessage || !m.data.isEmpty())
            std::abort();
        break;
    case Message::Kind::Binary:
        if (m.data.size() > maxMessage || !m.text.isEmpty())
            std::abort();
        break;
    case Message::Kind::Ping:
    case Message::Kind::Pong:
        if (m.data.size() > 125)
            std::abort(); // a control frame's payload is at most 125 bytes
        break;
    case Message::Kind::Close:
        if (m.closeCode != 1005 && (m.closeCode < 1000 || m.closeCode > 4999))
            std::abort();
        if (m.text.toUtf8().size() > 123)
            std::abort();
        break;
    case Message::Kind::Error:
        if (m.text.isEmpty() || (m.closeCode != 1002 && m.closeCode != 1007 && m.closeCode != 1009))
            std::abort();
        break;
    }
}

QByteArray describe(const Message &m)
{
    return QByteArray::number(int(m.kind)) + ' ' + QByteArray::number(m.closeCode) + ' '
        + m.text.toUtf8() + '|' + m.data;
}

Run read(const QList<QByteArrayView> &pieces, qint64 maxFrame, qint64 maxMessage)
{
    WsFrameReader reader;
    reader.setMaxFrameBytes(maxFrame);
    reader.setMaxMessageBytes(maxMessage);
    Run run;
    for (const QByteArrayView piece : pieces) {
        const QList<Message> messages = reader.feed(piece.toByteArray());
        for (const Message &m : messages) {
            if (run.failed)
                std::abort(); // nothing after an error
            check(m, maxMessage);
            run.messages.append(describe(m));
            run.failed = m.kind == Message::Kind::Error;
        }
    }
    if (run.failed != reader.failed())
        std::abort();
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    qint64 maxFrame = WsProtocol::kPreAuthMaxPayload;
    qint64 maxMessage = WsProtocol::kPreAuthMaxPayload;
    if (data[0] & 0x20) {
        maxFrame = 64;
        maxMessage = 200;
    } else if (data[0] & 0x40) {
        maxFrame = maxMessage = WsProtocol::kMaxPayload;
    }
    const auto [whole, split]
        = passerelle::fuzz::wholeAndSplit(data, size, [=](const QList<QByteArrayView> &pieces) {
              return read(pieces, maxFrame, maxMessage);
          });
    if (whole.messages != split.messages || whole.failed != split.failed)
        std::abort(); // the result depends on where the reads were cut
    return 0;
}
