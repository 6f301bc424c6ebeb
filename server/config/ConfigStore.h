#pragma once

// Owns the config file: finds it (--config, $OPENCLAW_CONFIG_PATH, AppConfigLocation), writes the
// first-run default, applies env overrides, writes atomically with one .bak, and watches the file:
// a valid edit is applied and announced with changed(); a broken one is announced with loadFailed()
// while the previous config stays in force. Lives on the main thread; the file is small.

#include "config/GatewayConfig.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace passerelle {

struct ConfigOverrides
{
    std::optional<int> port; // --port
    QString envToken; // OPENCLAW_GATEWAY_TOKEN
    QString envPassword; // OPENCLAW_GATEWAY_PASSWORD
    std::optional<int> envPort; // OPENCLAW_GATEWAY_PORT

    static ConfigOverrides fromEnvironment(); // reads the three variables
};

class ConfigStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigStore)

public:
    explicit ConfigStore(QObject *parent = nullptr);

    // --config PATH, else $OPENCLAW_CONFIG_PATH, else AppConfigLocation/passerelle.json
    static QString defaultPath(const QString &cliPath = {});

    // Reads the file (creating it with GatewayConfig::firstRun() if missing), starts watching.
    // Returns false with *error ("<path>: line L, column C: ...") if the file cannot be used.
    bool load(const QString &path, const ConfigOverrides &overrides, QString *error);

    QString path() const { return m_path; }
    bool createdOnLoad() const { return m_created; } // first run: the token was generated now
    GatewayConfig config() const { return m_effective; } // file + overrides
    GatewayConfig fileConfig() const { return m_file; } // what the file says

    // Applies a change to the file config (never to env-derived values), writes the file
    // atomically (previous content kept as <path>.bak) and emits changed().
    bool update(const std::function<void(GatewayConfig &)> &mutate, QString *error = nullptr);

signals:
    void changed(const passerelle::GatewayConfig &config);
    void loadFailed(const QString &message); // a watched edit could not be used

private:
    void reloadFromDisk();
    bool writeFile(const GatewayConfig &cfg, QString *error);
    GatewayConfig withOverrides(const GatewayConfig &file) const;
    // JSON5 + fromJson + overrides + startupError; *error is "<path>: ..." on failure.
    bool parseContent(const QByteArray &content, GatewayConfig *file, GatewayConfig *effective,
                      QString *error) const;
    void watch(); // (re)adds the file and its directory to the watcher

    QString m_path;
    ConfigOverrides m_overrides;
    GatewayConfig m_file;
    GatewayConfig m_effective;
    QByteArray m_lastWritten; // our own write (or the last content handled): its echo is ignored
    bool m_created = false;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
};

} // namespace passerelle
