#pragma once

// A real PostgreSQL server for a test executable (tests/support/pg-server.sh: Debian's initdb
// and pg_ctl, an unprivileged account, a temporary directory, a free loopback port), with
// helpers to make databases and run SQL as the owner role (over QPSQL connections it keeps). Absent
// binaries are a failure with the message of the script, never a skip. Used from the test's main
// thread; blocking.

#include "config/GatewayConfig.h"

#include <QSet>
#include <QString>
#include <QTemporaryDir>

class QThread;

namespace passerelle::test {

class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer(); // stops the server

    bool start(QString *error);
    bool stop(QString *error = nullptr); // fast shutdown: connections are cut, data kept
    bool isRunning() const { return m_running; }
    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("passerelle"); }
    // The role's password, and the environment variable the gateway reads it from.
    static QString password();
    static QString passwordEnv() { return QStringLiteral("PASSERELLE_TEST_PG_PASSWORD"); }

    // Runs one statement in `database` as the owner; the output (rows as a|b lines) in *output.
    bool sql(const QString &database, const QString &statement, QString *output = nullptr,
             QString *error = nullptr);
    bool createDatabase(const QString &name, QString *error = nullptr);
    // passerelle.store for `database` on this server (passwordEnv set, poolSize `pool`).
    StoreConfig storeConfig(const QString &database, int pool = 2) const;

    static QString script(); // tests/support/pg-server.sh

private:
    bool run(const QStringList &arguments, QString *output, QString *error) const;
    void dropConnections();

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_running = false;
    QSet<QString> m_connections; // of sql(), by name, on m_owner
    QThread *m_owner = nullptr; // the thread that made this object
};

} // namespace passerelle::test
