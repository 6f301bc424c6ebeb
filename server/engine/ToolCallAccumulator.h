#pragma once

// Merges streamed OpenAI tool-call deltas ({"index", "id"?, "function":{"name"?, "arguments"?}})
// by index into complete tool calls, as a client assembling a stream would. Plain value, any
// thread.

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

namespace passerelle {

class ToolCallAccumulator
{
public:
    void add(const QJsonObject &delta);
    bool isEmpty() const { return m_calls.isEmpty(); }
    QJsonArray toolCalls() const; // [{id, type:"function", function:{name, arguments}}] by index

private:
    QMap<int, QJsonObject> m_calls;
};

} // namespace passerelle
