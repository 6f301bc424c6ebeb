#include "auth/Authenticator.h"

#include <QCryptographicHash>

namespace passerelle {

namespace {

AuthResult outcome(AuthResult::Outcome o)
{
    AuthResult result;
    result.outcome = o;
    return result;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

QByteArray digest(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

// Two digests of one size (32 bytes, or 64 in hex), compared without an early exit.
bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size()) // a length known from the config, not from the secret
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace

Authenticator::Authenticator(const AuthConfig &config) : m_config(config)
{
    const QString &secret
        = m_config.mode == AuthMode::Password ? m_config.password : m_config.token;
    if (!secret.isEmpty())
        m_secretDigest = digest(secret.toUtf8());
    m_tokenHex.reserve(m_config.tokens.size());
    for (const NamedToken &token : m_config.tokens)
        m_tokenHex.append(token.sha256Hex.toLower());
}

bool Authenticator::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Comparing fixed-size digests makes the time independent of both lengths and of where the
    // inputs first differ; the loop never exits early.
    return sameDigest(digest(a), digest(b));
}

QByteArray Authenticator::sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray Authenticator::bearerValue(const QByteArray &authorizationHeader)
{
    const QByteArray header = authorizationHeader.trimmed();
    const QByteArray scheme("bearer");
    if (header.size() <= scheme.size() || !isSpace(header.at(scheme.size()))
        || header.left(scheme.size()).toLower() != scheme)
        return QByteArray();
    return header.mid(scheme.size()).trimmed();
}

AuthResult Authenticator::check(const QByteArray &authorizationHeader) const
{
    if (m_config.mode == AuthMode::None)
        return checkSecret(QByteArray(), false);
    const QByteArray secret = bearerValue(authorizationHeader);
    if (secret.isEmpty())
        return outcome(AuthResult::Outcome::Missing);
    // Password mode takes the password as the bearer value; named tokens work in either mode.
    const bool password = m_config.mode == AuthMode::Password;
    AuthResult result = checkSecret(secret, password);
    if (!result.ok() && password)
        result = checkSecret(secret, false);
    return result;
}

AuthResult Authenticator::checkSecret(const QByteArray &secret, bool isPassword) const
{
    if (m_config.mode == AuthMode::None) {
        AuthResult result = outcome(AuthResult::Outcome::Ok);
        result.principal = QStringLiteral("anonymous");
        return result;
    }
    if (secret.isEmpty())
        return outcome(AuthResult::Outcome::Missing);

    // The main secret answers only to its own kind: a token in token mode, a password in
    // password mode.
    const bool passwordMode = m_config.mode == AuthMode::Password;
    const QByteArray presented = digest(secret);
    if (isPassword == passwordMode && !m_secretDigest.isEmpty()
        && sameDigest(presented, m_secretDigest)) {
        AuthResult result = outcome(AuthResult::Outcome::Ok);
        result.principal = QStringLiteral("gateway");
        return result;
    }

    if (!isPassword) {
        const QByteArray hex = presented.toHex();
        const NamedToken *match = nullptr;
        // Every stored token is compared, so the time does not tell which one (if any) matched.
        for (qsizetype i = 0; i < m_config.tokens.size(); ++i) {
            if (sameDigest(hex, m_tokenHex.at(i)) && !match)
                match = &m_config.tokens.at(i);
        }
        if (match) {
            AuthResult result = outcome(AuthResult::Outcome::Ok);
            result.principal = match->name;
            result.agents = match->agents;
            return result;
        }
    }
    return outcome(AuthResult::Outcome::Wrong);
}

} // namespace passerelle
