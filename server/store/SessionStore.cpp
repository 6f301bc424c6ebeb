#include "store/SessionStore.h"

#include "Logging.h"

#include <QDir>
#include <QStandardPaths>

namespace passerelle {

UsageCounts &UsageCounts::operator+=(const UsageCounts &o)
{
    requests += o.requests;
    promptTokens += o.promptTokens;
    completionTokens += o.completionTokens;
    errors += o.errors;
    return *this;
}

bool UsageCounts::operator==(const UsageCounts &o) const
{
    return requests == o.requests && promptTokens == o.promptTokens
        && completionTokens == o.completionTokens && errors == o.errors;
}

QString SessionStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/sessions.sqlite");
}

void SessionStore::appendTurnThen(const StoredTurn &turn, QObject *context,
                                  std::function<void()> then)
{
    appendTurn(turn, context,
               [key = turn.sessionKey, then = std::move(then)](const StoreResult<bool> &stored) {
                   if (!stored.ok)
                       qCWarning(lcSessions).noquote()
                           << "could not store a turn of" << key << ":" << stored.error;
                   if (then)
                       then();
               });
}

QList<ChatTurn> SessionStore::fromFirstUserTurn(QList<ChatTurn> turns)
{
    while (!turns.isEmpty() && turns.first().role != QLatin1String("user"))
        turns.removeFirst();
    return turns;
}

} // namespace passerelle
