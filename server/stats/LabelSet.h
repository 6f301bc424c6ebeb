#pragma once

// The bounded values of one metrics label (agents, providers, token names, routes): each value has
// a small index for the counters' preallocated slots, index 0 being "other" (anything not
// declared). Values are added from the config, never per request, and never removed (a counter of
// a renamed agent keeps its series); at most kMaxValues, beyond which values count as "other".
// Plain value, server thread.

#include <QHash>
#include <QString>
#include <QStringList>

namespace passerelle {

class LabelSet
{
public:
    static constexpr int kMaxValues = 512;
    static constexpr int kOther = 0;

    LabelSet();

    // The value's index, adding it if it is new (kOther once full, or for an empty value).
    int add(const QString &value);
    // The value's index, kOther when it was never added. No allocation.
    int indexOf(const QString &value) const { return m_index.value(value, kOther); }
    int size() const { return int(m_names.size()); }
    const QString &name(int index) const { return m_names.at(index); }

private:
    QHash<QString, int> m_index;
    QStringList m_names;
};

} // namespace passerelle
