#include "LanguageManager.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

namespace passerelle {

LanguageManager::LanguageManager(QObject *parent) : QObject(parent) { }

LanguageManager::~LanguageManager()
{
    removeTranslators();
}

QStringList LanguageManager::supportedLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("fr")};
}

QString LanguageManager::resolve(const QString &code)
{
    const QString c = code.trimmed().toLower();
    if (supportedLanguages().contains(c))
        return c;
    return QLocale::system().language() == QLocale::French ? QStringLiteral("fr")
                                                           : QStringLiteral("en");
}

void LanguageManager::removeTranslators()
{
    if (m_app) {
        QCoreApplication::removeTranslator(m_app.get());
        m_app.reset();
    }
    if (m_qt) {
        QCoreApplication::removeTranslator(m_qt.get());
        m_qt.reset();
    }
}

bool LanguageManager::setLanguage(const QString &code)
{
    const QString lang = resolve(code);
    if (lang == m_language)
        return true;

    auto app = std::make_unique<QTranslator>();
    bool ok = app->load(QStringLiteral(":/i18n/passerelle_%1.qm").arg(lang));
    if (!ok && lang != QLatin1String("en"))
        return false;

    auto qt = std::make_unique<QTranslator>();
    bool qtOk = lang != QLatin1String("en")
        && (qt->load(QStringLiteral(":/i18n/qtbase_%1.qm").arg(lang))
            || qt->load(QStringLiteral("qtbase_%1").arg(lang),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)));

    removeTranslators();
    QLocale::setDefault(
        QLocale(lang == QLatin1String("fr") ? QLocale::French : QLocale::English,
                lang == QLatin1String("fr") ? QLocale::France : QLocale::UnitedStates));
    // Each install posts a LanguageChange; widgets retranslate from the final state either way.
    if (ok) {
        QCoreApplication::installTranslator(app.get());
        m_app = std::move(app);
    }
    if (qtOk) {
        QCoreApplication::installTranslator(qt.get());
        m_qt = std::move(qt);
    }
    const bool hadLanguage = !m_language.isEmpty();
    m_language = lang;
    // Going back to English may install nothing: widgets still need to hear about it.
    if (!ok && !qtOk && hadLanguage) {
        QEvent ev(QEvent::LanguageChange);
        QCoreApplication::sendEvent(QCoreApplication::instance(), &ev);
    }
    emit languageChanged(m_language);
    return true;
}

} // namespace passerelle
