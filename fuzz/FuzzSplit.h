#pragma once

// Helpers shared by the libFuzzer harnesses: the first input byte chooses where the rest is cut
// into feeds, so an incremental parser sees the same bytes whole and split at fuzzer-chosen
// places. Header only; the fuzzing thread.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace passerelle::fuzz {

// Splits `bytes` into pieces whose lengths cycle through 1..(seed % 17 + 1), seed 0 meaning one
// piece. Every byte appears once, in order.
inline QList<QByteArrayView> splitFeeds(QByteArrayView bytes, uint8_t seed)
{
    QList<QByteArrayView> pieces;
    if (seed == 0 || bytes.isEmpty()) {
        pieces.append(bytes);
        return pieces;
    }
    const qsizetype period = seed % 17 + 1;
    qsizetype at = 0;
    qsizetype length = 1;
    while (at < bytes.size()) {
        const qsizetype n = qMin(length, bytes.size() - at);
        pieces.append(bytes.sliced(at, n));
        at += n;
        length = length % period + 1;
    }
    return pieces;
}

// The input without its first byte (the seed), as a QByteArray that owns nothing.
inline QByteArray body(const uint8_t *data, size_t size)
{
    if (size <= 1)
        return QByteArray();
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
}

// `parse` (pieces -> a comparable run) on the input's bytes fed whole, then fed in the pieces its
// first byte chooses: {whole, split}. The input must not be empty.
template<typename Parse> auto wholeAndSplit(const uint8_t *data, size_t size, Parse &&parse)
{
    const QByteArray bytes = body(data, size);
    auto whole = parse(QList<QByteArrayView> {QByteArrayView(bytes)});
    auto split = parse(splitFeeds(bytes, data[0]));
    return std::make_pair(std::move(whole), std::move(split));
}

} // namespace passerelle::fuzz
