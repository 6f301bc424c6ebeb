#pragma once

// The wire format of OpenClaw's gateway protocol (SPEC.md section 8): parses client frames, builds
// `res` and `event` frames, negotiates the protocol version and names the error codes, close codes
// and limits. No sockets here, so every rule is testable on its own. Pure value code, any thread.

#include <QJsonObject>
#include <QString>

#include <optional>

namespace passerelle {

struct WsRequest
{
    QString id;
    QString method;
    QJsonObject params; // {} when the frame had none
};

struct WsFrameParse
{
    enum class Kind {
        Request, // a well-formed `req` frame: `request` is set
        NotJson, // not a JSON object
        NotRequest, // a JSON object whose `type` is not "req" (or a res/event sent by a client)
        Invalid, // `type: "req"` without a usable id/method, or params not an object
    };
    Kind kind = Kind::NotJson;
    std::optional<WsRequest> request;
    QString id; // the frame's id when it had a string one (to answer an Invalid frame)
    QString error; // why it is not a request
};

struct WsError
{
    QString code; // WsProtocol::kInvalidRequest, ...
    QString message;
    std::optional<qint64> retryAfterMs; // with `retryable: true`
    QJsonObject details; // omitted when empty

    QJsonObject toJson() const;
};

class WsProtocol
{
public:
    // Protocol versions: the newest we speak and the oldest we still accept.
    static constexpr int kVersion = 4;
    static constexpr int kOldestVersion = 3;

    // Defaults; WsGateway::Limits may override the timing ones (see WsGateway.h).
    static constexpr int kTickIntervalMs = 15000;
    static constexpr int kHandshakeTimeoutMs = 10000;
    static constexpr qint64 kPreAuthMaxPayload = qint64(64) * 1024; // bytes of one pre-auth message
    static constexpr int kMaxPreAuthPerIp = 16; // connections still handshaking
    static constexpr qint64 kMaxPayload = qint64(25) * 1024 * 1024; // hello-ok policy.maxPayload
    static constexpr qint64 kMaxBufferedBytes = qint64(50) * 1024 * 1024; // policy.maxBufferedBytes
    static constexpr int kHistoryDefaultLimit = 200;
    static constexpr int kHistoryMaxLimit = 1000;

    // Error codes of `res.error.code` (OpenClaw's ErrorCodes).
    static const QString kInvalidRequest; // "INVALID_REQUEST"
    static const QString kUnavailable; // "UNAVAILABLE"

    static WsFrameParse parse(const QString &text);

    // The highest version both sides speak: 4, 3, or 0 when [minProtocol, maxProtocol] holds
    // neither.
    static int negotiate(int minProtocol, int maxProtocol);

    // Compact JSON text of each frame kind.
    static QString response(const QString &id, const QJsonObject &payload);
    static QString errorResponse(const QString &id, const WsError &error,
                                 const QJsonObject &payload = {});
    // seq < 0: no `seq` member (the pre-handshake challenge).
    static QString event(const QString &name, const QJsonObject &payload, qint64 seq);

    // A close reason must fit a control frame (123 bytes of UTF-8).
    static QString closeReason(const QString &reason);
};

} // namespace passerelle
