#include "support/TestGateway.h"

#include <QFile>
#include <QTest>

namespace passerelle::test {

QByteArray TestGateway::configText(const QByteArray &gatewayExtra, const QByteArray &rootExtra)
{
    return "{\n  gateway: {\n    port: 0,\n    auth: { mode: 'token', token: '" + QByteArray(kToken)
        + "' },\n    http: { endpoints: { chatCompletions: { enabled: true },"
          " responses: { enabled: true } } },\n"
        + gatewayExtra + "\n  },\n" + rootExtra + "\n}\n";
}

TestGateway::TestGateway(const QByteArray &config) : m_config(config) { }

TestGateway::~TestGateway()
{
    m_controller.reset();
}

QString TestGateway::configPath() const
{
    return m_dir.filePath(QStringLiteral("passerelle.json"));
}

bool TestGateway::start(QString *error)
{
    QFile file(configPath());
    if (!file.open(QIODevice::WriteOnly) || file.write(m_config) != m_config.size()) {
        if (error)
            *error = QStringLiteral("cannot write the test config");
        return false;
    }
    file.close();
    m_store = std::make_unique<ConfigStore>();
    QString loadError;
    if (!m_store->load(configPath(), ConfigOverrides {}, &loadError)) {
        if (error)
            *error = loadError;
        return false;
    }
    m_controller = std::make_unique<GatewayController>(m_store.get());
    m_controller->start(m_sessionDatabase);
    if (!m_controller->waitUntilListening()) {
        if (error)
            *error = m_controller->status().error;
        return false;
    }
    return true;
}

void TestGateway::update(const std::function<void(GatewayConfig &)> &mutate)
{
    const quint64 before = m_controller->status().configsApplied;
    QString error;
    const bool ok = m_store->update(mutate, &error);
    if (!ok)
        qWarning("config update failed: %s", qPrintable(error));
    // The server answers every applied config with a status counting it; wait for that one (the
    // store's state comes in statuses too, at any time) so that the change is live.
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->status().configsApplied > before, 5000);
}

} // namespace passerelle::test
