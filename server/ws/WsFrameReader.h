#pragma once

// The frames a WebSocket client sends (RFC 6455 section 5), read from its bytes however they are
// split: text and binary messages (fragments joined, text checked as UTF-8), ping, pong and close,
// and the protocol errors that end the connection with their close code: a frame that is not
// masked, reserved bits or opcodes, a control frame over 125 bytes or fragmented, a continuation
// out of place, a length not in its shortest form: 1002; invalid UTF-8: 1007; a frame or message
// over its limit: 1009. Pure, any thread (a fuzzer drives it).

#include <QByteArray>
#include <QList>
#include <QString>

namespace passerelle {

class WsFrameReader
{
public:
    struct Message
    {
        enum class Kind { Text, Binary, Ping, Pong, Close, Error };
        Kind kind = Kind::Binary;
        QString text; // Text; Close: the peer's reason; Error: why
        QByteArray data; // Binary, Ping, Pong
        int closeCode
            = 0; // Close: the peer's code (1005: none given); Error: the code to close with
    };

    static constexpr qint64 kDefaultMaxBytes = qint64(25) * 1024 * 1024;

    void setMaxFrameBytes(qint64 bytes) { m_maxFrame = bytes; }
    void setMaxMessageBytes(qint64 bytes) { m_maxMessage = bytes; }
    // Reads `bytes`; returns the messages they complete, in order. After an Error nothing more is
    // read.
    QList<Message> feed(const QByteArray &bytes);
    bool failed() const { return m_failed; }

private:
    enum class Step { Header, Length16, Length64, Mask, Payload };

    bool readHeader(QList<Message> *out);
    void frameDone(QList<Message> *out);
    void fail(QList<Message> *out, int code, const QString &why);
    qsizetype available() const { return m_in.size() - m_pos; }

    QByteArray m_in;
    qsizetype m_pos = 0;
    Step m_step = Step::Header;
    bool m_fin = false;
    int m_opcode = 0;
    quint64 m_length = 0;
    uchar m_mask[4] = {0, 0, 0, 0};
    QByteArray m_frame; // the payload of the frame being read (unmasked)
    QByteArray m_message; // fragments of the data message being read
    int m_messageOpcode = 0; // 1 text, 2 binary, 0 none in progress
    qint64 m_maxFrame = kDefaultMaxBytes;
    qint64 m_maxMessage = kDefaultMaxBytes;
    bool m_failed = false;
};

} // namespace passerelle
