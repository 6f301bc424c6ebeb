#include "config/ConfigStore.h"

#include "Logging.h"
#include "config/Json5.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

namespace passerelle {

namespace {

constexpr int DebounceMs = 50;

// The file holds secrets (token, password, provider keys): owner read/write only.
constexpr QFileDevice::Permissions OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

bool writeAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write: ") + file.errorString();
        return false;
    }
    file.setPermissions(OwnerOnly); // on the temporary file, before it replaces the target
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write: ") + file.errorString();
        return false;
    }
    return true;
}

bool readAll(const QString &path, QByteArray *content, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return false;
    }
    *content = file.readAll();
    return true;
}

} // namespace

ConfigOverrides ConfigOverrides::fromEnvironment()
{
    ConfigOverrides o;
    // trimmed like the Authorization header value, which could never match surrounding spaces
    o.envToken = qEnvironmentVariable("OPENCLAW_GATEWAY_TOKEN").trimmed();
    o.envPassword = qEnvironmentVariable("OPENCLAW_GATEWAY_PASSWORD").trimmed();
    const QString port = qEnvironmentVariable("OPENCLAW_GATEWAY_PORT").trimmed();
    if (!port.isEmpty()) {
        bool ok = false;
        const int value = port.toInt(&ok);
        if (ok && value >= 1 && value <= 65535)
            o.envPort = value;
        else
            qCWarning(lcConfig).noquote()
                << QStringLiteral("OPENCLAW_GATEWAY_PORT=\"%1\" is not a port (1..65535): ignored")
                       .arg(port);
    }
    return o;
}

ConfigStore::ConfigStore(QObject *parent) : QObject(parent), m_watcher(this), m_debounce(this)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    // an editor's save (or our own) arrives as several events: read the file once they settle
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_debounce.start(); });
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            [this] { m_debounce.start(); });
    connect(&m_debounce, &QTimer::timeout, this, &ConfigStore::reloadFromDisk);
}

QString ConfigStore::defaultPath(const QString &cliPath)
{
    if (!cliPath.isEmpty())
        return cliPath;
    const QString env = qEnvironmentVariable("OPENCLAW_CONFIG_PATH");
    if (!env.isEmpty())
        return expandHome(env);
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/passerelle.json");
}

bool ConfigStore::load(const QString &path, const ConfigOverrides &overrides, QString *error)
{
    QString problem;
    const auto fail = [&problem, error] {
        if (error)
            *error = problem;
        return false;
    };

    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_debounce.stop();

    m_path = QFileInfo(path).absoluteFilePath();
    m_overrides = overrides;
    m_created = false;

    if (!QFileInfo::exists(m_path)) {
        const QString dir = QFileInfo(m_path).absolutePath();
        if (!QDir().mkpath(dir)) {
            problem = m_path + QStringLiteral(": cannot create the directory ") + dir;
            return fail();
        }
        const QByteArray bytes = Json5::serialize(GatewayConfig::firstRun().toJson());
        if (!writeAtomically(m_path, bytes, &problem)) {
            problem = m_path + QStringLiteral(": ") + problem;
            return fail();
        }
        m_created = true;
        qCInfo(lcConfig).noquote() << "wrote a first-run configuration to" << m_path;
    }

    QByteArray content;
    if (!readAll(m_path, &content, &problem))
        return fail();
    GatewayConfig file;
    GatewayConfig effective;
    if (!parseContent(content, &file, &effective, &problem))
        return fail();
    m_file = file;
    m_effective = effective;
    m_lastWritten = content;
    watch();
    return true;
}

bool ConfigStore::update(const std::function<void(GatewayConfig &)> &mutate, QString *error)
{
    // an external edit still waiting in the debounce is taken in first, not overwritten
    if (m_debounce.isActive()) {
        m_debounce.stop();
        reloadFromDisk();
    }

    GatewayConfig next = m_file;
    mutate(next);

    // Env-derived values never reach the file, even when a caller copied them from config().
    if (m_file.auth.token.isEmpty() && !m_overrides.envToken.isEmpty()
        && next.auth.token == m_overrides.envToken)
        next.auth.token.clear();
    if (m_file.auth.password.isEmpty() && !m_overrides.envPassword.isEmpty()
        && next.auth.password == m_overrides.envPassword)
        next.auth.password.clear();
    if ((m_overrides.port || m_overrides.envPort) && next.port != m_file.port
        && next.port == m_effective.port)
        next.port = m_file.port;

    // validate exactly what will be on disk, as a reload would read it
    const QByteArray bytes = Json5::serialize(next.toJson());
    GatewayConfig file;
    GatewayConfig effective;
    QString problem;
    if (!parseContent(bytes, &file, &effective, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    if (bytes == m_lastWritten)
        return true; // nothing changed
    if (!writeFile(next, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    m_file = file;
    m_effective = effective;
    emit changed(m_effective);
    return true;
}

void ConfigStore::reloadFromDisk()
{
    watch(); // an atomic rename or a re-creation left the watcher without the file

    if (!QFileInfo::exists(m_path)) {
        // deleted (or mid-save by an editor): keep the config until the file comes back
        qCInfo(lcConfig).noquote() << m_path << "is gone; keeping the current configuration";
        return;
    }
    QByteArray content;
    QString problem;
    if (!readAll(m_path, &content, &problem)) {
        qCWarning(lcConfig).noquote() << problem;
        emit loadFailed(problem);
        return;
    }
    if (content == m_lastWritten)
        return; // our own write, or nothing new
    m_lastWritten = content; // the same bytes are not announced twice

    GatewayConfig file;
    GatewayConfig effective;
    if (!parseContent(content, &file, &effective, &problem)) {
        qCWarning(lcConfig).noquote() << problem << "(the previous configuration stays)";
        emit loadFailed(problem);
        return;
    }
    m_file = file;
    m_effective = effective;
    qCInfo(lcConfig).noquote() << "reloaded" << m_path;
    emit changed(m_effective);
}

bool ConfigStore::writeFile(const GatewayConfig &cfg, QString *error)
{
    const QByteArray bytes = Json5::serialize(cfg.toJson());
    QString problem;
    if (QFileInfo::exists(m_path)) {
        QByteArray previous;
        if (!readAll(m_path, &previous, &problem)) {
            *error = problem;
            return false;
        }
        if (!writeAtomically(m_path + QStringLiteral(".bak"), previous, &problem)) {
            *error = m_path + QStringLiteral(".bak: ") + problem;
            return false;
        }
    }
    if (!writeAtomically(m_path, bytes, &problem)) {
        *error = m_path + QStringLiteral(": ") + problem;
        return false;
    }
    m_lastWritten = bytes;
    return true;
}

GatewayConfig ConfigStore::withOverrides(const GatewayConfig &file) const
{
    GatewayConfig e = file;
    // "config wins": the environment fills in only what the file leaves empty
    if (e.auth.token.isEmpty())
        e.auth.token = m_overrides.envToken;
    if (e.auth.password.isEmpty())
        e.auth.password = m_overrides.envPassword;
    if (m_overrides.port)
        e.port = *m_overrides.port;
    else if (m_overrides.envPort)
        e.port = *m_overrides.envPort;
    if (!e.auth.modeExplicit)
        e.auth.mode = e.auth.password.isEmpty() ? AuthMode::Token : AuthMode::Password;
    return e;
}

bool ConfigStore::parseContent(const QByteArray &content, GatewayConfig *file,
                               GatewayConfig *effective, QString *error) const
{
    const QString prefix = m_path + QStringLiteral(": ");
    Json5Error parseError;
    const QJsonValue value = Json5::parse(content, &parseError);
    if (parseError.isError()) {
        *error = prefix + parseError.toString();
        return false;
    }
    if (!value.isObject()) {
        *error = prefix + QStringLiteral("the top-level value must be an object");
        return false;
    }
    QStringList problems;
    *file = GatewayConfig::fromJson(value.toObject(), &problems);
    if (!problems.isEmpty()) {
        *error = prefix + problems.join(QStringLiteral("; "));
        return false;
    }
    *effective = withOverrides(*file);
    const QString startup = effective->startupError();
    if (!startup.isEmpty()) {
        *error = prefix + startup;
        return false;
    }
    return true;
}

void ConfigStore::watch()
{
    if (m_path.isEmpty())
        return;
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
    if (QFileInfo::exists(m_path) && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
}

} // namespace passerelle

// Compiled with this file rather than in the library's shared mocs_compilation unit, so a test
// linking ConfigStore does not pull in every other QObject's meta-object.
