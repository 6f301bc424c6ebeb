#pragma once

// An inline message strip for a page: an error (red), a success or an information line, shown
// above the controls it concerns instead of a modal box, and hidden when empty. GUI thread.

#include <QLabel>

namespace passerelle {

class NoticeLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeLabel)

public:
    enum class Kind { Info, Success, Error };

    explicit NoticeLabel(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    void showSuccess(const QString &text) { showMessage(Kind::Success, text); }
    void clearMessage();
    Kind kind() const { return m_kind; }

private:
    Kind m_kind = Kind::Info;
};

} // namespace passerelle
