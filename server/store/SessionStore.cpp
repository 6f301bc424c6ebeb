#include "store/SessionStore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

QList<ChatTurn> SessionStore::fromFirstUserTurn(QList<ChatTurn> turns)
{
    while (!turns.isEmpty() && turns.first().role != QLatin1String("user"))
        turns.removeFirst();
    return turns;
}

QByteArray SessionStore::turnsToJson(const QList<ChatTurn> &turns)
{
    QJsonArray out;
    for (const ChatTurn &t : turns) {
        QJsonObject o {{QStringLiteral("role"), t.role}, {QStringLiteral("content"), t.content}};
        if (!t.toolCalls.isEmpty())
            o.insert(QStringLiteral("tool_calls"), t.toolCalls);
        if (!t.toolCallId.isEmpty())
            o.insert(QStringLiteral("tool_call_id"), t.toolCallId);
        out.append(o);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

QList<ChatTurn> SessionStore::turnsFromJson(const QByteArray &json)
{
    QList<ChatTurn> out;
    const QJsonArray array = QJsonDocument::fromJson(json).array();
    for (const auto &v : array) {
        const QJsonObject o = v.toObject();
        out.append(ChatTurn {o.value(QLatin1String("role")).toString(),
                             o.value(QLatin1String("content")).toString(),
                             o.value(QLatin1String("tool_calls")).toArray(),
                             o.value(QLatin1String("tool_call_id")).toString()});
    }
    return out;
}

} // namespace passerelle
