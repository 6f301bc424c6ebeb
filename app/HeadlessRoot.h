#pragma once

// Composition root of `passerelle --headless`: loads the config, starts the gateway, prints the
// listening address (and a first-run token, once), one line per finished request, config errors,
// and stops cleanly on SIGINT/SIGTERM.

#include "GatewayController.h"
#include "config/ConfigStore.h"

#include <QObject>

#include <memory>

namespace passerelle {

struct LaunchOptions
{
    QString configPath; // --config
    std::optional<int> port; // --port
};

class HeadlessRoot final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessRoot)

public:
    explicit HeadlessRoot(QObject *parent = nullptr);
    ~HeadlessRoot() override;

    // Returns the process exit code (0 after a clean stop).
    int run(const LaunchOptions &options);

    // SIGINT/SIGTERM quit the event loop through a self-pipe (async-signal-safe).
    static void installSignalHandlers();

private:
    void printRecords(const LogBatch &batch);

    std::unique_ptr<ConfigStore> m_store;
    std::unique_ptr<GatewayController> m_controller;
};

} // namespace passerelle
