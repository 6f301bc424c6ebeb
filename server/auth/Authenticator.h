#pragma once

// Checks an Authorization header against the auth config (SPEC.md section 5): token or password
// mode, the extra named tokens (SHA-256 stored) and their agent lists. Constant-time comparisons.
// Pure value code; the server thread holds one per config snapshot.

#include "config/GatewayConfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace passerelle {

struct AuthResult
{
    enum class Outcome { Ok, Missing, Wrong };
    Outcome outcome = Outcome::Missing;
    QString principal; // "gateway" for the main secret, else the named token's name
    QStringList agents; // agents a named token may use; empty: all

    bool ok() const { return outcome == Outcome::Ok; }
    bool mayUseAgent(const QString &agentId) const
    {
        return agents.isEmpty() || agents.contains(agentId);
    }
};

class Authenticator
{
public:
    Authenticator() = default;
    explicit Authenticator(const AuthConfig &config);

    // authorizationHeader: the raw header value ("Bearer x", case-insensitive scheme, trimmed).
    // Mode none: always Ok. A missing or non-bearer header: Missing.
    AuthResult check(const QByteArray &authorizationHeader) const;
    // The same check for a secret given directly (WebSocket connect.auth.token / password).
    AuthResult checkSecret(const QByteArray &secret, bool isPassword) const;

    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
    static QByteArray sha256Hex(const QByteArray &data);
    static QByteArray bearerValue(const QByteArray &authorizationHeader); // "" when not bearer

private:
    AuthConfig m_config;
    // SHA-256 digests computed once per config: the main secret's, and each named token's stored
    // hex in lower case, as sha256Hex writes it. A check hashes the presented secret once.
    QByteArray m_secretDigest;
    QList<QByteArray> m_tokenHex;
};

} // namespace passerelle
