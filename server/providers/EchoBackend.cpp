#include "providers/EchoBackend.h"

namespace passerelle {

EchoBackend::EchoBackend(const BackendRequest &request, int chunkDelayMs, RunPacer *pacer,
                         QObject *parent)
    : BackendRun(parent), m_plan(plan(request)), m_chunkDelayMs(qMax(0, chunkDelayMs)),
      m_pacer(pacer)
{
}

QStringList EchoBackend::splitWords(const QString &text)
{
    QStringList out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    QString leading;
    while (i < n && text.at(i).isSpace())
        leading += text.at(i++);
    while (i < n) {
        const qsizetype start = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        while (i < n && text.at(i).isSpace())
            ++i;
        out.append(text.mid(start, i - start));
    }
    if (!leading.isEmpty()) {
        if (out.isEmpty())
            out.append(leading);
        else
            out.first().prepend(leading);
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

EchoPlan EchoBackend::plan(const BackendRequest &request)
{
    EchoPlan p;
    QString reply = request.prompt;
    p.finishReason = QStringLiteral("stop");

    // A stop sequence cuts the reply where it first appears (the sequence itself is not sent).
    qsizetype cut = -1;
    for (const QString &s : request.stop) {
        if (s.isEmpty())
            continue;
        const qsizetype at = reply.indexOf(s);
        if (at >= 0 && (cut < 0 || at < cut))
            cut = at;
    }
    if (cut >= 0)
        reply.truncate(cut);

    QStringList pieces = splitWords(reply);
    if (request.maxTokens && *request.maxTokens >= 0 && pieces.size() > *request.maxTokens) {
        pieces = pieces.mid(0, *request.maxTokens);
        p.finishReason = QStringLiteral("length");
    }
    p.pieces = pieces;
    p.usage.known = true;
    p.usage.promptTokens = countWords(request.systemPrompt) + countWords(request.prompt);
    p.usage.completionTokens = countWords(pieces.join(QString()));
    return p;
}

void EchoBackend::start()
{
    m_started = true;
    if (!m_paused)
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
    else if (m_started && !m_aborted)
        emitSoon();
}

void EchoBackend::abort()
{
    m_aborted = true;
    m_pacer->cancel(this);
}

void EchoBackend::emitNext()
{
    if (m_aborted || m_paused)
        return;
    m_pacer->cancel(this); // a resume may come while a wake-up is pending
    // Without a delay, everything goes out in one turn of the event loop.
    do {
        if (m_next >= m_plan.pieces.size()) {
            emit finished(m_plan.finishReason, m_plan.usage);
            return;
        }
        markOutput();
        emit contentDelta(m_plan.pieces.at(m_next++));
        if (m_aborted || m_paused)
            return; // setPaused(false) carries on
    } while (m_chunkDelayMs == 0);
    m_pacer->schedule(this, m_chunkDelayMs);
}

} // namespace passerelle
