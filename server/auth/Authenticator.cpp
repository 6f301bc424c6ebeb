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

} // namespace

Authenticator::Authenticator(const AuthConfig &config) : m_config(config) { }

bool Authenticator::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Comparing fixed-size digests makes the time independent of both lengths and of where the
    // inputs first differ; the loop never exits early.
    const QByteArray da = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray db = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < da.size(); ++i)
        diff |= static_cast<unsigned char>(da.at(i) ^ db.at(i));
    return diff == 0;
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
    const QString &expected = passwordMode ? m_config.password : m_config.token;
    if (isPassword == passwordMode && !expected.isEmpty()
        && constantTimeEquals(secret, expected.toUtf8())) {
        AuthResult result = outcome(AuthResult::Outcome::Ok);
        result.principal = QStringLiteral("gateway");
        return result;
    }

    if (!isPassword) {
        const QByteArray digest = sha256Hex(secret);
        const NamedToken *match = nullptr;
        // Every stored token is compared, so the time does not tell which one (if any) matched.
        for (const NamedToken &token : m_config.tokens) {
            if (constantTimeEquals(digest, token.sha256Hex.toLower()) && !match)
                match = &token;
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
