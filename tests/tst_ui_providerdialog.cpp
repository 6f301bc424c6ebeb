// The provider dialog as the registry builds it: one API choice per registered type, the fields of
// the selected type only, the admission fields on every type, headers and timeouts edited without
// losing what the dialog cannot show, validation messages from the registry, French labels.

#include "ProviderDialog.h"
#include "providers/ProviderRegistry.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QTranslator>

using namespace passerelle;

namespace {

ProviderConfig httpProvider()
{
    ProviderConfig p = ProviderRegistry::instance().defaultsFor(QStringLiteral("local"));
    p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    p.models = {ProviderModel {QStringLiteral("llama3"), QStringLiteral("Llama 3")}};
    return p;
}

bool okEnabled(const ProviderDialog &d)
{
    return d.buttons()->button(QDialogButtonBox::Ok)->isEnabled();
}

QStringList labels(const QWidget &w)
{
    QStringList out;
    for (const QLabel *l : w.findChildren<QLabel *>())
        out << l->text();
    return out;
}

} // namespace

class TestProviderDialog : public QObject
{
    Q_OBJECT

private slots:
    void apiChoicesAreTheRegisteredTypes();
    void fieldsFollowTheSelectedType();
    void admissionFieldsOnEveryType();
    void headersEditedOnePerLine();
    void timeoutKeptUnlessChanged();
    void validationFromTheRegistry();
    void frenchLabels();
};

void TestProviderDialog::apiChoicesAreTheRegisteredTypes()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderDialog d(config, ProviderConfig(), {});
    const QList<ProviderType> &types = ProviderRegistry::instance().types();
    QCOMPARE(d.apiBox()->count(), types.size());
    for (int i = 0; i < types.size(); ++i) {
        QCOMPARE(d.apiBox()->itemData(i).toString(), types.at(i).api);
        QCOMPARE(d.apiBox()->itemText(i), QString::fromUtf8(types.at(i).label));
    }
    QCOMPARE(d.apiBox()->currentData().toString(), QStringLiteral("openai-completions"));
}

void TestProviderDialog::fieldsFollowTheSelectedType()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderDialog d(config, httpProvider(), {});
    d.show();
    QVERIFY(d.baseUrlEdit());
    QVERIFY(d.baseUrlEdit()->isVisible());
    QCOMPARE(d.baseUrlEdit()->text(), QStringLiteral("http://127.0.0.1:9/v1"));
    QCOMPARE(d.keyEdit()->echoMode(), QLineEdit::Password);
    QCOMPARE(d.modelsEdit()->text(), QStringLiteral("llama3"));
    QVERIFY(!d.fieldEditor(QStringLiteral("chunkDelayMs")));

    d.apiBox()->setCurrentIndex(d.apiBox()->findData(QStringLiteral("echo")));
    QVERIFY(!d.baseUrlEdit());
    auto *delay = qobject_cast<QSpinBox *>(d.fieldEditor(QStringLiteral("chunkDelayMs")));
    QVERIFY(delay);
    QVERIFY(delay->isVisible());
    delay->setValue(250);
    const ProviderConfig echo = d.provider();
    QCOMPARE(echo.api, QStringLiteral("echo"));
    QCOMPARE(echo.chunkDelayMs, 250);
    // the keys of the other type are kept as they were
    QCOMPARE(echo.baseUrl, QStringLiteral("http://127.0.0.1:9/v1"));
    QVERIFY(okEnabled(d)); // an echo provider needs no URL
}

void TestProviderDialog::admissionFieldsOnEveryType()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderDialog d(config, httpProvider(), {});
    for (const QString &api : {QStringLiteral("openai-completions"), QStringLiteral("echo")}) {
        d.apiBox()->setCurrentIndex(d.apiBox()->findData(api));
        auto *running = qobject_cast<QSpinBox *>(d.fieldEditor(QStringLiteral("maxConcurrent")));
        auto *queued = qobject_cast<QSpinBox *>(d.fieldEditor(QStringLiteral("maxQueue")));
        QVERIFY(running);
        QVERIFY(queued);
        QCOMPARE(running->value(), 0);
        QCOMPARE(running->text(), QStringLiteral("unlimited"));
        QCOMPARE(queued->value(), 64);
        running->setValue(3);
        queued->setValue(0);
        QCOMPARE(d.provider().maxConcurrent, 3);
        QCOMPARE(d.provider().maxQueue, 0);
        running->setValue(0);
        queued->setValue(64);
    }
}

void TestProviderDialog::headersEditedOnePerLine()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderConfig p = httpProvider();
    p.headers.insert(QStringLiteral("X-Org"), QStringLiteral("acme"));
    ProviderDialog d(config, p, {});
    auto *headers = qobject_cast<QPlainTextEdit *>(d.fieldEditor(QStringLiteral("headers")));
    QVERIFY(headers);
    QCOMPARE(headers->toPlainText(), QStringLiteral("X-Org: acme"));

    headers->setPlainText(QStringLiteral("X-Org: acme\n\nX-Trace:  a:b \n"));
    QVERIFY(okEnabled(d));
    const QMap<QString, QString> want {{QStringLiteral("X-Org"), QStringLiteral("acme")},
                                       {QStringLiteral("X-Trace"), QStringLiteral("a:b")}};
    QCOMPARE(d.provider().headers, want);

    headers->setPlainText(QStringLiteral("X-Org acme"));
    QVERIFY(!okEnabled(d));
    QVERIFY(
        labels(d).contains(QStringLiteral("Write each header on its own line as “Name: value”.")));
}

void TestProviderDialog::timeoutKeptUnlessChanged()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderConfig p = httpProvider();
    p.connectTimeoutMs = 500; // the seconds box shows 1 s
    ProviderDialog d(config, p, {});
    auto *connectBox = qobject_cast<QSpinBox *>(d.fieldEditor(QStringLiteral("connectTimeoutMs")));
    QVERIFY(connectBox);
    QCOMPARE(connectBox->value(), 1);
    QCOMPARE(d.provider().connectTimeoutMs, 500);
    QCOMPARE(d.provider().models, p.models); // model names survive
    connectBox->setValue(7);
    QCOMPARE(d.provider().connectTimeoutMs, 7000);
}

void TestProviderDialog::validationFromTheRegistry()
{
    const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
    ProviderConfig p = httpProvider();
    p.baseUrl.clear();
    QCOMPARE(ProviderDialog::validate(p, config, {}),
             QStringLiteral("Enter the provider's base URL."));
    p.baseUrl = QStringLiteral("ftp://x");
    QCOMPARE(ProviderDialog::validate(p, config, {}),
             QStringLiteral("The base URL must start with http:// or https://."));
    p.baseUrl = QStringLiteral("https://x/v1");
    p.models.clear();
    QCOMPARE(ProviderDialog::validate(p, config, {}),
             QStringLiteral("List at least one model id."));
    p.api = QStringLiteral("nope");
    QCOMPARE(ProviderDialog::validate(p, config, {}), QStringLiteral("Choose the provider's API."));
    p.api = QStringLiteral("echo");
    QCOMPARE(ProviderDialog::validate(p, config, {}), QString());
}

void TestProviderDialog::frenchLabels()
{
    QTranslator fr;
    QVERIFY(fr.load(QStringLiteral(":/i18n/passerelle_fr.qm")));
    QCoreApplication::installTranslator(&fr);
    {
        const GatewayConfig config = GatewayConfig::fromJson(QJsonObject());
        ProviderDialog d(config, httpProvider(), {});
        const QStringList shown = labels(d);
        QVERIFY2(shown.contains(QStringLiteral("Exécutions simultanées (max.)\u00a0:")),
                 qPrintable(shown.join(u'|')));
        QVERIFY(shown.contains(QStringLiteral("URL de base\u00a0:")));
        QCOMPARE(d.apiBox()->itemText(0), QStringLiteral("Compatible OpenAI (chat completions)"));
        auto *running = qobject_cast<QSpinBox *>(d.fieldEditor(QStringLiteral("maxConcurrent")));
        QCOMPARE(running->text(), QStringLiteral("sans limite"));
    }
    QCoreApplication::removeTranslator(&fr);
}

QTEST_MAIN(TestProviderDialog)
#include "tst_ui_providerdialog.moc"
