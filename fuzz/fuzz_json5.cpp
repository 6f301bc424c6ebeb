// libFuzzer harness of the config reader: Json5::parse on any bytes, then, for an object, the
// config built from it (GatewayConfig::fromJson, its startup checks and write-back) and the
// serialised document read back equal. Never a crash, hang or error without a position. Fuzzing
// thread.

#include "config/GatewayConfig.h"
#include "config/Json5.h"

#include <QJsonObject>

#include <cstdlib>

using passerelle::GatewayConfig;
using passerelle::Json5;
using passerelle::Json5Error;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    Json5Error error;
    const QJsonValue value = Json5::parse(bytes, &error);
    if (error.isError()) {
        if (error.column <= 0 || error.message.isEmpty() || error.toString().isEmpty())
            std::abort();
        return 0;
    }
    if (!value.isObject())
        return 0;
    const QJsonObject object = value.toObject();
    // What the writer produces, the reader reads back unchanged.
    Json5Error again;
    const QJsonValue reread = Json5::parse(Json5::serialize(object), &again);
    if (again.isError() || reread.toObject() != object)
        std::abort();

    QStringList problems;
    const GatewayConfig config = GatewayConfig::fromJson(object, &problems);
    (void)config.startupError();
    const QJsonObject written = config.toJson();
    if (problems.isEmpty()) {
        // A config read without problems reads back from its own write-back without problems.
        QStringList second;
        (void)GatewayConfig::fromJson(written, &second);
        if (!second.isEmpty())
            std::abort();
    }
    return 0;
}
