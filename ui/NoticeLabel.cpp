#include "NoticeLabel.h"

namespace passerelle {

NoticeLabel::NoticeLabel(QWidget *parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setTextFormat(Qt::PlainText);
    hide();
}

void NoticeLabel::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    if (text.isEmpty()) {
        clearMessage();
        return;
    }
    switch (kind) {
    case Kind::Error:
        setStyleSheet(
            QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid "
                           "#f2b8b5; border-radius: 4px; padding: 6px; }"));
        break;
    case Kind::Success:
        setStyleSheet(
            QStringLiteral("QLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid "
                           "#b7dfb9; border-radius: 4px; padding: 6px; }"));
        break;
    case Kind::Info:
        setStyleSheet(
            QStringLiteral("QLabel { background: #e8f0fb; color: #17365d; border: 1px solid "
                           "#b9cde9; border-radius: 4px; padding: 6px; }"));
        break;
    }
    setText(text);
    show();
}

void NoticeLabel::clearMessage()
{
    clear();
    hide();
}

} // namespace passerelle
