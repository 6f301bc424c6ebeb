#pragma once

// Incremental Server-Sent-Events parser (the WHATWG event-stream grammar): bytes go in as they
// arrive, split anywhere, and complete events and comments come out. Handles LF, CRLF and CR line
// ends (a CRLF split across two feeds included), multi-line data, event/id fields, fields without a
// colon, a leading BOM, and bounds what it buffers. A plain value used on the server thread.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace passerelle {

class SseParser
{
public:
    struct Item
    {
        enum class Kind { Event, Comment };
        Kind kind = Kind::Event;
        QString event; // the `event:` field ("" when absent; a client treats that as "message")
        QByteArray data; // the `data:` lines joined by "\n" (UTF-8 bytes as received)
        QString id; // the last event id seen so far on this stream
        QByteArray comment; // Kind::Comment: the text after ':'

        bool operator==(const Item &o) const
        {
            return kind == o.kind && event == o.event && data == o.data && id == o.id
                && comment == o.comment;
        }
    };

    static constexpr qsizetype DefaultMaxEventBytes = qint64(8) * 1024 * 1024;

    explicit SseParser(qsizetype maxEventBytes = DefaultMaxEventBytes);

    // Parses more bytes; returns the events and comments they completed, in order. After an error
    // (an event larger than the bound) it returns nothing more.
    QList<Item> feed(QByteArrayView bytes);

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // True when bytes of an event not yet ended by a blank line are buffered (a stream that stops
    // here was cut mid-event; that unterminated event is never dispatched).
    bool hasPartialEvent() const;
    void reset();

private:
    void processLine(QByteArrayView line, QList<Item> *out);
    void dispatch(QList<Item> *out);
    qsizetype bufferedBytes() const { return m_line.size() + m_data.size() + m_eventType.size(); }

    qsizetype m_maxEventBytes = DefaultMaxEventBytes;
    QByteArray m_line; // the current line, not yet terminated
    QByteArray m_data; // data lines of the current event, each followed by '\n'
    bool m_hasData = false;
    QByteArray m_eventType;
    QString m_lastEventId;
    bool m_skipLeadingLf = false; // the previous feed ended on '\r': a following '\n' belongs to it
    bool m_bomChecked = false;
    QByteArray m_bomProbe; // the first bytes of the stream while checking for a BOM
    bool m_pendingFields = false; // a non-comment line of the current event was seen
    QString m_error;
};

} // namespace passerelle
