#include "support/PostgresServer.h"

#include <QHostAddress>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QThread>

namespace passerelle::test {

namespace {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PostgresServer::PostgresServer() : m_owner(QThread::currentThread())
{
    // The gateway under test reads the password from the environment, as a user's would.
    qputenv(passwordEnv().toLatin1().constData(), password().toUtf8());
}

PostgresServer::~PostgresServer()
{
    if (m_running)
        stop();
    dropConnections();
}

void PostgresServer::dropConnections()
{
    for (const QString &name : std::as_const(m_connections)) {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
    m_connections.clear();
}

QString PostgresServer::password()
{
    return QStringLiteral("pg-test-password-7f3a9c");
}

QString PostgresServer::script()
{
    return QStringLiteral(PASSERELLE_PG_SCRIPT);
}

bool PostgresServer::run(const QStringList &arguments, QString *output, QString *error) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PG_TEST_PASSWORD"), password());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("bash"), QStringList {script()} + arguments);
    if (!process.waitForFinished(180000)) {
        process.kill();
        process.waitForFinished();
        if (error)
            *error = QStringLiteral("pg-server.sh %1 did not finish").arg(arguments.join(u' '));
        return false;
    }
    if (output)
        *output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = QString::fromUtf8(process.readAllStandardError()).trimmed();
        return false;
    }
    return true;
}

bool PostgresServer::start(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot make a temporary directory");
        return false;
    }
    if (m_port == 0)
        m_port = freeLoopbackPort();
    if (!run({QStringLiteral("start"), m_dir.path(), QString::number(m_port)}, nullptr, error))
        return false;
    m_running = true;
    return true;
}

bool PostgresServer::stop(QString *error)
{
    dropConnections();
    if (!run({QStringLiteral("stop"), m_dir.path()}, nullptr, error))
        return false;
    m_running = false;
    return true;
}

bool PostgresServer::sql(const QString &database, const QString &statement, QString *output,
                         QString *error)
{
    // A connection belongs to the thread that made it: from another thread, a psql process.
    if (QThread::currentThread() != m_owner)
        return run(
            {QStringLiteral("sql"), m_dir.path(), QString::number(m_port), database, statement},
            output, error);
    // One connection per database, kept: far cheaper than a psql process per statement.
    const QString name = QStringLiteral("pg-test-%1-%2").arg(m_port).arg(database);
    if (!m_connections.contains(name)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setDatabaseName(database);
        db.setUserName(user());
        db.setPassword(password());
        m_connections.insert(name);
    }
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen() && !db.open()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    QStringList rows;
    while (query.next()) {
        QStringList values;
        for (int i = 0; i < query.record().count(); ++i)
            values << query.value(i).toString();
        rows << values.join(u'|');
    }
    if (output)
        *output = rows.join(u'\n');
    return true;
}

bool PostgresServer::createDatabase(const QString &name, QString *error)
{
    return sql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE \"%1\"").arg(name),
               nullptr, error);
}

StoreConfig PostgresServer::storeConfig(const QString &database, int pool) const
{
    StoreConfig c;
    c.kind = StoreKind::Postgres;
    c.host = QStringLiteral("127.0.0.1");
    c.port = m_port;
    c.database = database;
    c.user = user();
    c.passwordEnv = passwordEnv();
    c.sslmode = QStringLiteral("disable");
    c.poolSize = pool;
    return c;
}

} // namespace passerelle::test
