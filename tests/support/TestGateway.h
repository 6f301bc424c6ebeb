#pragma once

// A real gateway for contract tests: writes a JSON5 config into a temporary directory, loads it
// through ConfigStore (as the app does), starts GatewayController (its own server thread) on port 0
// and reports the port. Changes go through ConfigStore::update, exactly like the panel's.

#include "GatewayController.h"
#include "config/ConfigStore.h"
#include "support/TestHttpClient.h"

#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace passerelle::test {

class TestGateway
{
public:
    static constexpr char kToken[] = "test-token-0123456789";
    // A config with the chat-completions and responses endpoints enabled, token auth with kToken,
    // port 0; `extra` is merged in as JSON5 text of the top-level object's remaining keys, e.g.
    // "agents: {list: [...]}".
    static QByteArray configText(const QByteArray &gatewayExtra = {},
                                 const QByteArray &rootExtra = {});

    explicit TestGateway(const QByteArray &config = configText());
    ~TestGateway();

    // Where the session store lives (default ":memory:"); set before start().
    void setSessionDatabase(const QString &path) { m_sessionDatabase = path; }
    bool start(QString *error = nullptr);
    quint16 port() const { return m_controller ? m_controller->status().port : 0; }
    TestHttpClient client() const { return TestHttpClient(port()); }
    ConfigStore &store() { return *m_store; }
    GatewayController &controller() { return *m_controller; }
    QString configPath() const;
    QString dir() const { return m_dir.path(); }

    // Applies a change as the panel would, and waits until the server thread has it.
    void update(const std::function<void(GatewayConfig &)> &mutate);

private:
    QTemporaryDir m_dir;
    QByteArray m_config;
    QString m_sessionDatabase = QStringLiteral(":memory:");
    std::unique_ptr<ConfigStore> m_store;
    std::unique_ptr<GatewayController> m_controller;
};

} // namespace passerelle::test
