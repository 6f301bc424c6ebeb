#include "ChatStreamClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace passerelle {

ChatStreamClient::ChatStreamClient(QObject *parent) : QObject(parent) { }

ChatStreamClient::~ChatStreamClient()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        delete m_reply.data();
    }
}

void ChatStreamClient::start(const QString &url, const QString &authValue, const QString &agentId,
                             const QString &prompt)
{
    abort();
    m_buffer.clear();
    m_text.clear();
    m_finishReason.clear();
    m_streamError.clear();
    m_firstDeltaMs = -1;
    m_done = false;

    QNetworkRequest req {QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setRawHeader("Accept", "text/event-stream");
    if (!authValue.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + authValue.toUtf8());
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setTransferTimeout(0);
    const QJsonObject body {
        {QStringLiteral("model"), QString(QStringLiteral("openclaw/") + agentId)},
        {QStringLiteral("stream"), true},
        {QStringLiteral("messages"),
         QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                  {QStringLiteral("content"), prompt}}}}};
    m_clock.start();
    m_reply = m_nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatStreamClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatStreamClient::onFinished);
}

void ChatStreamClient::abort()
{
    if (!m_reply)
        return;
    QNetworkReply *r = m_reply;
    m_reply.clear();
    r->disconnect(this);
    r->abort();
    r->deleteLater();
}

void ChatStreamClient::onReadyRead()
{
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return; // an error body: read whole in onFinished
    m_buffer += m_reply->readAll();
    // Events end with a blank line; a partial one stays in the buffer.
    for (;;) {
        qsizetype end = m_buffer.indexOf("\n\n");
        qsizetype sepLen = 2;
        const qsizetype crlf = m_buffer.indexOf("\r\n\r\n");
        if (crlf >= 0 && (end < 0 || crlf < end)) {
            end = crlf;
            sepLen = 4;
        }
        if (end < 0)
            break;
        const QByteArray event = m_buffer.left(end);
        m_buffer.remove(0, end + sepLen);
        QByteArray data;
        const auto lines = event.split('\n');
        for (QByteArray line : lines) {
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.startsWith("data:")) {
                QByteArray v = line.mid(5);
                if (v.startsWith(' '))
                    v.remove(0, 1);
                if (!data.isEmpty())
                    data += '\n';
                data += v;
            }
        }
        if (!data.isEmpty())
            handleEvent(data);
    }
}

void ChatStreamClient::handleEvent(const QByteArray &data)
{
    if (data == "[DONE]") {
        m_done = true;
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.contains(QStringLiteral("error"))) {
        m_streamError = o.value(QStringLiteral("error"))
                            .toObject()
                            .value(QStringLiteral("message"))
                            .toString();
        return;
    }
    const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.first().toObject();
    const QString piece = choice.value(QStringLiteral("delta"))
                              .toObject()
                              .value(QStringLiteral("content"))
                              .toString();
    if (!piece.isEmpty()) {
        if (m_firstDeltaMs < 0)
            m_firstDeltaMs = m_clock.elapsed();
        m_text += piece;
        emit delta(piece);
    }
    const QJsonValue reason = choice.value(QStringLiteral("finish_reason"));
    if (reason.isString())
        m_finishReason = reason.toString();
}

void ChatStreamClient::onFinished()
{
    if (!m_reply)
        return;
    QNetworkReply *r = m_reply;
    const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200)
        onReadyRead();
    const QByteArray rest = status == 200 ? QByteArray() : r->readAll();
    const auto netError = r->error();
    const QString netMessage = r->errorString();
    m_reply.clear();
    r->deleteLater();

    if (status == 0) {
        emit failed(0, netMessage);
        return;
    }
    if (status != 200) {
        QString message = QJsonDocument::fromJson(rest)
                              .object()
                              .value(QStringLiteral("error"))
                              .toObject()
                              .value(QStringLiteral("message"))
                              .toString();
        if (message.isEmpty())
            message = QString::fromUtf8(rest.left(300)).trimmed();
        emit failed(status, message);
        return;
    }
    if (!m_streamError.isEmpty()) {
        emit failed(status, m_streamError);
        return;
    }
    if (netError != QNetworkReply::NoError && !m_done) {
        emit failed(status, netMessage);
        return;
    }
    emit finished(m_finishReason, m_clock.elapsed());
}

} // namespace passerelle
