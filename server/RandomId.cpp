#include "RandomId.h"

#include <QRandomGenerator>

#include <array>
#include <cerrno>
#include <cstring>
#include <sys/random.h>

namespace passerelle::RandomId {

namespace {

class Pool
{
public:
    void take(unsigned char *out, size_t n)
    {
        if (m_used + n > m_bytes.size())
            refill();
        std::memcpy(out, m_bytes.data() + m_used, n);
        // Bytes handed out are not kept: a later look at this memory learns nothing of ids
        // already given.
        std::memset(m_bytes.data() + m_used, 0, n);
        m_used += n;
    }

private:
    void refill()
    {
        size_t filled = 0;
        while (filled < m_bytes.size()) {
            const ssize_t got = getrandom(m_bytes.data() + filled, m_bytes.size() - filled, 0);
            if (got > 0) {
                filled += size_t(got);
            } else if (got < 0 && errno == EINTR) {
                continue;
            } else {
                // No getrandom (an old kernel, a seccomp filter): Qt's system generator, which
                // reads the same CSPRNG another way.
                QRandomGenerator::system()->generate(m_bytes.begin() + filled, m_bytes.end());
                break;
            }
        }
        m_used = 0;
    }

    std::array<unsigned char, 4096> m_bytes {};
    size_t m_used = 4096;
};

} // namespace

QUuid uuid()
{
    thread_local Pool pool;
    unsigned char b[16];
    pool.take(b, sizeof b);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(b), sizeof b));
}

} // namespace passerelle::RandomId
