// Fails when a French string is missing: every message of translations/passerelle_fr.ts must be
// translated (no unfinished, vanished or empty entry, every plural form filled), the .ts must hold
// every tr() string of today's sources (lupdate is run into a copy and must add nothing), and the
// catalogue built into the binary must translate.

#include "LanguageManager.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
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

// A number followed (within two words) by a counted noun: "%1 requests", "%1 later events",
// "%2 completion tokens". Written with %1, it gets the wrong plural in French ("1 requêtes").
bool looksLikeCount(const QString &source)
{
    static const QRegularExpression count(
        QStringLiteral(R"(%L?\d+\s+(?:[\w'’-]+\s+){0,2}?)"
                       R"((requests?|tokens?|events?|frames?|agents?|providers?|models?|calls?|)"
                       R"(attempts?|clients?|sessions?|messages?|errors?|origins?|entry|entries|)"
                       R"(items?|lines?|bytes?|seconds?|minutes?|hours?|days?|times?|failures?|)"
                       R"(connections?|streams?|runs?|turns?|words?|characters?|retries|retry)\b)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    return count.match(source).hasMatch();
}

// Every count through %n: a count-like message without it, or a plural message whose forms do not
// all hold the number.
QStringList pluralProblems(const QList<Message> &messages)
{
    QStringList out;
    for (const Message &m : messages) {
        const QString where = m.context + QStringLiteral(": \"") + m.source + QLatin1Char('"');
        if (!m.numerus) {
            if (looksLikeCount(m.source))
                out << where + QStringLiteral(" is a count without %n plural forms");
            continue;
        }
        if (!m.source.contains(QLatin1String("%n")) && !m.source.contains(QLatin1String("%Ln")))
            out << where + QStringLiteral(" is a plural message without %n");
        if (m.forms.size() != 2)
            out << where + QStringLiteral(" has %1 plural forms, not 2").arg(m.forms.size());
        for (const QString &form : m.forms) {
            if (!form.contains(QLatin1String("%n")) && !form.contains(QLatin1String("%Ln")))
                out << where + QStringLiteral(": the form \"") + form
                        + QStringLiteral("\" does not show the number");
            if (form.contains(QLatin1String("(s)")))
                out << where + QStringLiteral(": the form \"") + form
                        + QStringLiteral("\" is not a real plural form");
        }
    }
    return out;
}

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
    void countDetector_data();
    void countDetector();
    void countsUsePluralForms_data();
    void countsUsePluralForms();
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
    QTest::newRow("requests, one") << "passerelle::RequestLogPage"
                                   << "%Ln request(s)" << 1 << QStringLiteral("1 requête");
    QTest::newRow("requests, none") << "passerelle::RequestLogPage"
                                    << "%Ln request(s)" << 0 << QStringLiteral("0 requête");
    QTest::newRow("requests, many") << "passerelle::RequestLogPage"
                                    << "%Ln request(s)" << 25 << QStringLiteral("25 requêtes");
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

void TestTranslations::countDetector_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("count");
    QTest::newRow("plain count") << "%1 requests" << true;
    QTest::newRow("of total") << "%1 of %2 requests" << true;
    QTest::newRow("adjective") << "%1 later events were not kept." << true;
    QTest::newRow("two counts") << "%1 prompt + %2 completion tokens" << true;
    QTest::newRow("located number") << "%L1 tokens" << true;
    QTest::newRow("singular") << "%1 request" << true;
    QTest::newRow("an id") << "Request #%1" << false;
    QTest::newRow("a name") << "Agent “%1” saved." << false;
    QTest::newRow("a unit") << "%1 ms" << false;
    QTest::newRow("an address") << "Serving on %1" << false;
    QTest::newRow("far noun") << "%1 failed to sign in too many times." << false;
}

void TestTranslations::countDetector()
{
    QFETCH(QString, source);
    QFETCH(bool, count);
    QCOMPARE(looksLikeCount(source), count);
    // And the check flags such a message unless it is a plural one.
    Message m {QStringLiteral("ctx"), source, false, {}, {source}};
    QCOMPARE(!pluralProblems({m}).isEmpty(), count);
}

void TestTranslations::countsUsePluralForms_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("English") << QStringLiteral("passerelle_en.ts");
    QTest::newRow("French") << QStringLiteral("passerelle_fr.ts");
}

void TestTranslations::countsUsePluralForms()
{
    QFETCH(QString, file);
    QString error;
    const QList<Message> messages
        = parseTs(kSourceDir + QStringLiteral("/translations/") + file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(std::count_if(messages.cbegin(), messages.cend(),
                          [](const Message &m) { return m.numerus; })
            >= 5);
    const QStringList wrong = pluralProblems(messages);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "tst_ui_translations.moc"
