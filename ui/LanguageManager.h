#pragma once

// Chooses the interface language and installs its translators at run time: the panel's own
// (embedded under :/i18n/) and Qt's (qtbase_<lang>, embedded or from Qt's translations dir).
// Installing sends QEvent::LanguageChange to every widget, which retranslates itself.
// GUI thread.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTranslator>

#include <memory>

namespace passerelle {

class LanguageManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageManager)

public:
    explicit LanguageManager(QObject *parent = nullptr);
    ~LanguageManager() override;

    static QStringList supportedLanguages(); // "en", "fr"
    // "" (or anything unsupported) follows the system locale; French systems get "fr".
    static QString resolve(const QString &code);

    // Installs the translators of the language. Returns false if the catalogue could not be
    // loaded (English, the source language, always succeeds).
    bool setLanguage(const QString &code);
    QString language() const { return m_language; } // the resolved code, "en" or "fr"

signals:
    void languageChanged(const QString &language);

private:
    void removeTranslators();

    std::unique_ptr<QTranslator> m_app;
    std::unique_ptr<QTranslator> m_qt;
    QString m_language;
};

} // namespace passerelle
