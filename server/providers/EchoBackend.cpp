#include "providers/EchoBackend.h"

#include "engine/BackgroundJob.h"

namespace passerelle {

EchoBackend::EchoBackend(const BackendRequest &request, int chunkDelayMs, RunPacer *pacer,
                         QObject *parent)
    : BackendRun(parent), m_request(request), m_chunkDelayMs(qMax(0, chunkDelayMs)), m_pacer(pacer)
{
}

qsizetype EchoBackend::pieceEnd(QStringView text, qsizetype from)
{
    const qsizetype n = text.size();
    qsizetype i = from;
    if (from == 0) {
        while (i < n && text.at(i).isSpace())
            ++i; // leading whitespace goes with the first word
    }
    while (i < n && !text.at(i).isSpace())
        ++i;
    while (i < n && text.at(i).isSpace())
        ++i;
    return i;
}

QStringList EchoBackend::splitWords(const QString &text)
{
    QStringList out;
    for (qsizetype pos = 0; pos < text.size();) {
        const qsizetype end = pieceEnd(text, pos);
        out.append(text.mid(pos, end - pos));
        pos = end;
    }
    return out;
}

qint64 EchoBackend::countWords(const QString &text)
{
    qint64 count = 0;
    bool inWord = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            inWord = false;
        } else if (!inWord) {
            inWord = true;
            ++count;
        }
    }
    return count;
}

EchoBackend::Measure EchoBackend::measure(const QString &system, const QString &prompt,
                                          const QStringList &stop)
{
    Measure m;
    // A stop sequence cuts the reply where it first appears (the sequence itself is not sent).
    m.replyLength = prompt.size();
    for (const QString &s : stop) {
        if (s.isEmpty())
            continue;
        const qsizetype at = QStringView(prompt).left(m.replyLength).indexOf(s);
        if (at >= 0) {
            m.replyLength = at;
            m.stopSequence = s;
        }
    }
    m.promptTokens = countWords(system) + countWords(prompt);
    return m;
}

EchoPlan EchoBackend::plan(const BackendRequest &request)
{
    EchoPlan p;
    const Measure m = measure(request.systemPrompt, request.prompt, request.stop);
    const QStringView reply = QStringView(request.prompt).left(m.replyLength);
    const qint64 limit = request.maxTokens && *request.maxTokens >= 0 ? *request.maxTokens : -1;
    qsizetype pos = 0;
    while (pos < reply.size() && (limit < 0 || p.pieces.size() < limit)) {
        const qsizetype end = pieceEnd(reply, pos);
        p.pieces.append(reply.mid(pos, end - pos).toString());
        pos = end;
    }
    p.finishReason = pos < reply.size() ? QStringLiteral("length") : QStringLiteral("stop");
    if (pos >= reply.size())
        p.stopSequence = m.stopSequence;
    p.usage.known = true;
    p.usage.promptTokens = m.promptTokens;
    p.usage.completionTokens = countWords(p.pieces.join(QString()));
    return p;
}

void EchoBackend::start()
{
    m_started = true;
    m_reply = m_request.prompt;
    if (m_request.prompt.size() <= kInlineChars) {
        measured(measure(m_request.systemPrompt, m_request.prompt, m_request.stop));
        return;
    }
    BackgroundJob::run(
        this,
        [system = m_request.systemPrompt, prompt = m_request.prompt, stop = m_request.stop] {
            return measure(system, prompt, stop);
        },
        [this](const Measure &m) { measured(m); });
}

void EchoBackend::measured(const Measure &m)
{
    m_replyLength = m.replyLength;
    m_stopFound = m.stopSequence;
    m_usage.known = true;
    m_usage.promptTokens = m.promptTokens;
    if (!m_paused && !m_aborted)
        emitSoon();
}

void EchoBackend::emitSoon()
{
    // A posted call, not a zero timer: no entry in the thread's timer list per run.
    if (m_soon)
        return;
    m_soon = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_soon = false;
            emitNext();
        },
        Qt::QueuedConnection);
}

void EchoBackend::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (paused)
        m_pacer->cancel(this);
    else if (m_started && !m_aborted && m_replyLength >= 0)
        emitSoon();
}

void EchoBackend::abort()
{
    m_aborted = true;
    m_pacer->cancel(this);
}

void EchoBackend::finish()
{
    const bool cut = m_pos < m_replyLength;
    if (!cut)
        setStopSequence(m_stopFound);
    emit finished(cut ? QStringLiteral("length") : QStringLiteral("stop"), m_usage);
}

void EchoBackend::emitNext()
{
    if (m_aborted || m_paused || m_replyLength < 0)
        return;
    m_pacer->cancel(this); // a resume may come while a wake-up is pending
    const QStringView reply = QStringView(m_reply).left(m_replyLength);
    const qint64 limit
        = m_request.maxTokens && *m_request.maxTokens >= 0 ? *m_request.maxTokens : -1;
    QElapsedTimer slice;
    slice.start();
    // Without a delay, pieces go out back to back, a few milliseconds per turn of the event loop.
    do {
        if (m_pos >= reply.size() || (limit >= 0 && m_pieces >= limit)) {
            finish();
            return;
        }
        const qsizetype end = pieceEnd(reply, m_pos);
        const QString piece = reply.mid(m_pos, end - m_pos).toString();
        // A piece is one word with its whitespace; only a first piece of blanks has none.
        if (m_pos > 0 || !piece.trimmed().isEmpty())
            ++m_usage.completionTokens;
        m_pos = end;
        ++m_pieces;
        markOutput();
        emit contentDelta(piece);
        if (m_aborted || m_paused)
            return; // setPaused(false) carries on
    } while (m_chunkDelayMs == 0 && slice.elapsed() < kSliceMs);
    if (m_chunkDelayMs == 0)
        emitSoon(); // the next slice, after what else the event loop has to do
    else
        m_pacer->schedule(this, m_chunkDelayMs);
}

} // namespace passerelle
