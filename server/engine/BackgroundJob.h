#pragma once

// Runs pure work on the global thread pool and hands its value back on the calling thread, to a
// context object (SPEC.md section 14, "Big requests": the server thread never parses a big body
// nor builds a big prompt itself). If the context is destroyed first, the continuation never
// runs and the value is dropped. The work must touch nothing but what it captured by value.
// Called on the server thread (any thread with an event loop).

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

#include <memory>
#include <type_traits>

namespace passerelle {

class BackgroundJob
{
public:
    template<typename Work, typename Then> static void run(QObject *context, Work work, Then then)
    {
        using T = std::invoke_result_t<Work>;
        auto promise = std::make_shared<QPromise<T>>();
        auto *watcher = new QFutureWatcher<T>(context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                         [watcher, then = std::move(then)]() mutable {
                             T value = watcher->future().takeResult();
                             watcher->deleteLater();
                             then(std::move(value));
                         });
        watcher->setFuture(promise->future());
        promise->start();
        QThreadPool::globalInstance()->start([promise, work = std::move(work)]() mutable {
            promise->addResult(work());
            promise->finish();
        });
    }
};

} // namespace passerelle
