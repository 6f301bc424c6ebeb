#include "engine/ToolCallAccumulator.h"

namespace passerelle {

void ToolCallAccumulator::add(const QJsonObject &delta)
{
    const int index = delta.value(QStringLiteral("index")).toInt(int(m_calls.size()));
    QJsonObject &call = m_calls[index];
    const QString id = delta.value(QStringLiteral("id")).toString();
    if (!id.isEmpty())
        call.insert(QStringLiteral("id"), id);
    call.insert(QStringLiteral("type"), QStringLiteral("function"));
    const QJsonObject fn = delta.value(QStringLiteral("function")).toObject();
    QJsonObject merged = call.value(QStringLiteral("function")).toObject();
    const QString name = fn.value(QStringLiteral("name")).toString();
    if (!name.isEmpty())
        merged.insert(QStringLiteral("name"),
                      QString(merged.value(QStringLiteral("name")).toString() + name));
    merged.insert(QStringLiteral("arguments"),
                  QString(merged.value(QStringLiteral("arguments")).toString()
                          + fn.value(QStringLiteral("arguments")).toString()));
    call.insert(QStringLiteral("function"), merged);
}

QJsonArray ToolCallAccumulator::toolCalls() const
{
    QJsonArray out;
    for (const QJsonObject &c : m_calls)
        out.append(c);
    return out;
}

} // namespace passerelle
