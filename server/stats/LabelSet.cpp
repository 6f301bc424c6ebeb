#include "stats/LabelSet.h"

namespace passerelle {

LabelSet::LabelSet() : m_names {QStringLiteral("other")}
{
    m_index.insert(m_names.first(), kOther); // a value named "other" is that label
}

int LabelSet::add(const QString &value)
{
    if (value.isEmpty())
        return kOther;
    const auto it = m_index.constFind(value);
    if (it != m_index.constEnd())
        return it.value();
    if (m_names.size() >= kMaxValues)
        return kOther;
    const int index = int(m_names.size());
    m_names.append(value);
    m_index.insert(value, index);
    return index;
}

} // namespace passerelle
