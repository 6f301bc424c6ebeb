#pragma once

// The built `passerelle` binary run as a user runs it, for tests: an environment isolated in a
// temporary HOME (no config, token or port from the caller's environment, no display), the start
// of `passerelle --headless ...` with the port read back from what it prints, and a clean stop
// with SIGTERM. Blocking with timeouts; test thread.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace passerelle::test {

class GatewayProcess
{
public:
    // HOME, XDG_CONFIG_HOME and XDG_DATA_HOME under `home`; the OPENCLAW_* variables and DISPLAY
    // removed.
    static QProcessEnvironment isolatedEnvironment(const QString &home);
    // Starts the binary with --headless and `args`; returns the port it listens on, or 0 if it
    // did not say within the timeout. *output: what it printed so far.
    static quint16 start(QProcess &process, const QStringList &args,
                         const QProcessEnvironment &environment, QString *output = nullptr,
                         int timeoutMs = 10000);
    // SIGTERM, then the exit code (-1: still running after 10 s, -2: crashed).
    static int stop(QProcess &process);
    static QString binary();
};

} // namespace passerelle::test
