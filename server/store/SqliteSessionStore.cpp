#include "store/SqliteSessionStore.h"

#include "store/SqliteSessionWorker.h"

namespace passerelle {

SqliteSessionStore::SqliteSessionStore(const QString &path, QObject *parent)
    : SqlSessionStore(parent), m_path(path)
{
    const int lane = addLane(new SqliteSessionWorker(path), QStringLiteral("passerelle-sessions"));
    post(lane, [this](SqlSessionWorker &worker) {
        const bool opened = worker.open().ok;
        QMetaObject::invokeMethod(
            this, [this, opened] { setState(opened ? State::Available : State::Unavailable); },
            Qt::QueuedConnection);
    });
}

} // namespace passerelle
