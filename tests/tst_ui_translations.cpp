// Fails when a French string is missing: every message of translations/passerelle_fr.ts must be
// translated (no unfinished, vanished or empty entry, every plural form filled), the .ts must hold
// every tr() string of today's sources (lupdate is run into a copy and must add nothing), and the
// catalogue built into the binary must translate.

#include "LanguageManager.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    QString type; // translation type attribute ("unfinished", "vanished", ...)
    QStringList forms; // translation text, or numerus forms
};

QList<Message> parseTs(const QString &path, QString *error)
{
    QList<Message> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("context")) {
                context.clear();
            } else if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = Message {};
                current.context = context;
                current.numerus
                    = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!current.numerus)
                    current.forms << xml.readElementText();
            } else if (name == QLatin1String("numerusform")) {
                current.forms << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return out;
}

QStringList problems(const QList<Message> &messages)
{
    QStringList out;
    for (const Message &m : messages) {
        const QString where = m.context + QStringLiteral(": \"") + m.source + QLatin1Char('"');
        if (!m.type.isEmpty())
            out << where + QStringLiteral(" is ") + m.type;
        else if (m.forms.isEmpty()
                 || std::any_of(m.forms.cbegin(), m.forms.cend(),
                                [](const QString &s) { return s.trimmed().isEmpty(); }))
            out << where + QStringLiteral(" has no translation");
        else if (m.numerus && m.forms.size() < 2)
            out << where + QStringLiteral(" lacks a plural form");
    }
    return out;
}

const QString kSourceDir = QStringLiteral(PASSERELLE_SOURCE_DIR);

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void frenchCatalogueIsComplete();
    void catalogueCoversEverySourceString();
    void embeddedCatalogueTranslates_data();
    void embeddedCatalogueTranslates();
    void qtOwnStringsInFrench();
};

void TestTranslations::frenchCatalogueIsComplete()
{
    QString error;
    const QList<Message> messages
        = parseTs(kSourceDir + QStringLiteral("/translations/passerelle_fr.ts"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(messages.size() > 200, qPrintable(QString::number(messages.size())));
    const QStringList missing = problems(messages);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

void TestTranslations::catalogueCoversEverySourceString()
{
    // A tr() added without updating the .ts shows up here as an unfinished entry.
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("passerelle_fr.ts"));
    QVERIFY(QFile::copy(kSourceDir + QStringLiteral("/translations/passerelle_fr.ts"), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QStringList args {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                      QStringLiteral("none"), QStringLiteral("-silent")};
    const QDir ui(kSourceDir + QStringLiteral("/ui"));
    const auto files = ui.entryList({QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files);
    for (const QString &f : files)
        args << ui.filePath(f);
    args << kSourceDir + QStringLiteral("/app/GuiRoot.cpp") << QStringLiteral("-ts") << copy;
    QProcess lupdate;
    lupdate.start(QStringLiteral(PASSERELLE_LUPDATE), args);
    QVERIFY(lupdate.waitForFinished(60000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
    QString error;
    const QList<Message> messages = parseTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList missing = problems(messages);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

void TestTranslations::embeddedCatalogueTranslates_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("french");
    QTest::newRow("tab") << "passerelle::MainWindow"
                         << "Overview" << -1 << QStringLiteral("Aperçu");
    QTest::newRow("log column") << "passerelle::RequestLogModel"
                                << "First byte" << -1 << QStringLiteral("Premier octet");
    QTest::newRow("plural one")
        << "passerelle::SettingsPage"
        << "Saved: %n origin(s) may call the gateway from a browser." << 1
        << QStringLiteral(
               "Enregistré\u00a0: 1 origine peut appeler la passerelle depuis un navigateur.");
    QTest::newRow("plural many")
        << "passerelle::SettingsPage"
        << "Saved: %n origin(s) may call the gateway from a browser." << 3
        << QStringLiteral(
               "Enregistré\u00a0: 3 origines peuvent appeler la passerelle depuis un navigateur.");
}

void TestTranslations::embeddedCatalogueTranslates()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(int, n);
    QFETCH(QString, french);
    QTranslator t;
    QVERIFY(t.load(QStringLiteral(":/i18n/passerelle_fr.qm")));
    QCoreApplication::installTranslator(&t);
    const QString got = QCoreApplication::translate(context.toUtf8().constData(),
                                                    source.toUtf8().constData(), nullptr, n);
    QCoreApplication::removeTranslator(&t);
    QCOMPARE(got, french);
}

void TestTranslations::qtOwnStringsInFrench()
{
    passerelle::LanguageManager lang;
    QVERIFY(lang.setLanguage(QStringLiteral("fr")));
    QCOMPARE(lang.language(), QStringLiteral("fr"));
    // Qt's own buttons come from qtbase_fr.
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Annuler"));
    QVERIFY(lang.setLanguage(QStringLiteral("en")));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
}

QTEST_MAIN(TestTranslations)
#include "tst_ui_translations.moc"
