// ModelChainRun: the primary model first, fallbacks in order only while nothing was output, the
// last failure reported, deltas forwarded, abort silent. Scripted runs for the rules, and one chain
// of real OpenAI-compatible attempts against the fake upstream.

#include "providers/ModelChainRun.h"
#include "providers/OpenAiCompletionsBackend.h"
#include "support/FakeUpstream.h"

#include "providers/UpstreamPool.h"
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace passerelle;
using passerelle::test::FakeUpstream;

namespace {

// A backend run that plays a script from the event loop: content pieces, then an end.
class ScriptedRun final : public BackendRun
{
public:
    struct Script
    {
        QStringList content;
        bool toolCall = false;
        bool hang = false; // never ends
        std::optional<BackendError::Kind> failure;
        QString message;
    };

    ScriptedRun(Script script, bool *aborted) : m_script(std::move(script)), m_aborted(aborted) { }

    void start() override
    {
        QTimer::singleShot(0, this, [this] {
            if (m_stopped)
                return;
            for (const QString &piece : std::as_const(m_script.content)) {
                markOutput();
                emit contentDelta(piece);
            }
            if (m_script.toolCall) {
                markOutput();
                emit toolCallDelta(QJsonObject {{QStringLiteral("index"), 0}});
            }
            if (m_script.hang)
                return;
            if (m_script.failure) {
                BackendError error;
                error.kind = *m_script.failure;
                error.message = m_script.message;
                emit failed(error);
            } else {
                Usage usage;
                usage.promptTokens = 3;
                usage.completionTokens = 5;
                usage.known = true;
                emit finished(QStringLiteral("stop"), usage);
            }
        });
    }
    void abort() override
    {
        m_stopped = true;
        if (m_aborted)
            *m_aborted = true;
    }

private:
    Script m_script;
    bool *m_aborted = nullptr;
    bool m_stopped = false;
};

using Scripts = QMap<QString, ScriptedRun::Script>;

struct Harness
{
    Scripts scripts;
    QStringList created;
    QMap<QString, bool> aborted;

    ModelChainRun::Factory factory()
    {
        return [this](const QString &modelRef, QString *error) -> std::unique_ptr<BackendRun> {
            created << modelRef;
            if (!scripts.contains(modelRef)) {
                *error = QStringLiteral("Unknown provider for '%1'").arg(modelRef);
                return nullptr;
            }
            aborted[modelRef] = false;
            return std::make_unique<ScriptedRun>(scripts.value(modelRef), &aborted[modelRef]);
        };
    }
};

ScriptedRun::Script failing(BackendError::Kind kind, const QString &message)
{
    ScriptedRun::Script s;
    s.failure = kind;
    s.message = message;
    return s;
}

ScriptedRun::Script answering(const QStringList &content)
{
    ScriptedRun::Script s;
    s.content = content;
    return s;
}

} // namespace

class TestModelChain final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Usage>();
        qRegisterMetaType<BackendError>();
    }
    void primaryAnswers();
    void fallbacksInOrder();
    void noFallbackAfterContent();
    void noFallbackAfterToolCall();
    void lastFailureReported();
    void unconfiguredProviderFallsThrough();
    void emptyChainFails();
    void abortIsSilent();
    void realUpstreamFallback();
};

void TestModelChain::primaryAnswers()
{
    Harness h;
    h.scripts.insert(QStringLiteral("a/1"),
                     answering({QStringLiteral("Hel"), QStringLiteral("lo")}));
    h.scripts.insert(QStringLiteral("b/1"), answering({QStringLiteral("no")}));
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy content(&run, &BackendRun::contentDelta);
    QSignalSpy finished(&run, &BackendRun::finished);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QCOMPARE(finished.size(), 0); // never from inside start()
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(content.size(), 2);
    QCOMPARE(content.at(0).at(0).toString(), QStringLiteral("Hel"));
    QCOMPARE(content.at(1).at(0).toString(), QStringLiteral("lo"));
    QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("stop"));
    const Usage usage = finished.at(0).at(1).value<Usage>();
    QCOMPARE(usage.promptTokens, 3);
    QCOMPARE(usage.completionTokens, 5);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(h.created, QStringList {QStringLiteral("a/1")});
    QVERIFY(run.hasOutput());
    QCOMPARE(run.currentModel(), QStringLiteral("a/1"));
}

void TestModelChain::fallbacksInOrder()
{
    Harness h;
    h.scripts.insert(QStringLiteral("a/1"),
                     failing(BackendError::Kind::Unreachable, QStringLiteral("down")));
    h.scripts.insert(QStringLiteral("b/2"),
                     failing(BackendError::Kind::Timeout, QStringLiteral("slow")));
    h.scripts.insert(QStringLiteral("c/3"), answering({QStringLiteral("from c")}));
    h.scripts.insert(QStringLiteral("d/4"), answering({QStringLiteral("from d")}));
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/2"), QStringLiteral("c/3"),
                       QStringLiteral("d/4")},
                      h.factory());
    QSignalSpy content(&run, &BackendRun::contentDelta);
    QSignalSpy finished(&run, &BackendRun::finished);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(h.created,
             (QStringList {QStringLiteral("a/1"), QStringLiteral("b/2"), QStringLiteral("c/3")}));
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.at(0).at(0).toString(), QStringLiteral("from c"));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(run.currentModel(), QStringLiteral("c/3"));
    QCOMPARE(run.attemptCount(), 3);
}

void TestModelChain::noFallbackAfterContent()
{
    Harness h;
    ScriptedRun::Script partial = failing(BackendError::Kind::Timeout, QStringLiteral("idle"));
    partial.content = QStringList {QStringLiteral("half an ans")};
    h.scripts.insert(QStringLiteral("a/1"), partial);
    h.scripts.insert(QStringLiteral("b/1"), answering({QStringLiteral("whole answer")}));
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy content(&run, &BackendRun::contentDelta);
    QSignalSpy finished(&run, &BackendRun::finished);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).value<BackendError>().kind, BackendError::Kind::Timeout);
    QCOMPARE(content.size(), 1);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(h.created, QStringList {QStringLiteral("a/1")});
}

void TestModelChain::noFallbackAfterToolCall()
{
    Harness h;
    ScriptedRun::Script partial = failing(BackendError::Kind::Unreachable, QStringLiteral("cut"));
    partial.toolCall = true;
    h.scripts.insert(QStringLiteral("a/1"), partial);
    h.scripts.insert(QStringLiteral("b/1"), answering({QStringLiteral("x")}));
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy tools(&run, &BackendRun::toolCallDelta);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(tools.size(), 1);
    QCOMPARE(h.created, QStringList {QStringLiteral("a/1")});
}

void TestModelChain::lastFailureReported()
{
    Harness h;
    h.scripts.insert(QStringLiteral("a/1"),
                     failing(BackendError::Kind::Unreachable, QStringLiteral("first")));
    h.scripts.insert(QStringLiteral("b/1"),
                     failing(BackendError::Kind::RateLimited, QStringLiteral("second")));
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy finished(&run, &BackendRun::finished);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(failed.size(), 1);
    const BackendError error = failed.at(0).at(0).value<BackendError>();
    QCOMPARE(error.kind, BackendError::Kind::RateLimited);
    QCOMPARE(error.message, QStringLiteral("second"));
    QCOMPARE(finished.size(), 0);
    QCOMPARE(h.created, (QStringList {QStringLiteral("a/1"), QStringLiteral("b/1")}));
    QVERIFY(!run.hasOutput());
}

void TestModelChain::unconfiguredProviderFallsThrough()
{
    Harness h;
    h.scripts.insert(QStringLiteral("b/1"), answering({QStringLiteral("ok")}));
    ModelChainRun run({QStringLiteral("gone/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy finished(&run, &BackendRun::finished);
    run.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(h.created, (QStringList {QStringLiteral("gone/1"), QStringLiteral("b/1")}));

    Harness none;
    ModelChainRun alone({QStringLiteral("gone/1")}, none.factory());
    QSignalSpy failed(&alone, &BackendRun::failed);
    alone.start();
    QCOMPARE(failed.size(), 0);
    QTRY_COMPARE(failed.size(), 1);
    const BackendError error = failed.at(0).at(0).value<BackendError>();
    QCOMPARE(error.kind, BackendError::Kind::Internal);
    QCOMPARE(error.message, QStringLiteral("Unknown provider for 'gone/1'"));
}

void TestModelChain::emptyChainFails()
{
    ModelChainRun run(QStringList {}, nullptr);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).value<BackendError>().kind, BackendError::Kind::Internal);
}

void TestModelChain::abortIsSilent()
{
    Harness h;
    ScriptedRun::Script hang = answering({QStringLiteral("first piece")});
    hang.hang = true;
    h.scripts.insert(QStringLiteral("a/1"), hang);
    ModelChainRun run({QStringLiteral("a/1"), QStringLiteral("b/1")}, h.factory());
    QSignalSpy content(&run, &BackendRun::contentDelta);
    QSignalSpy finished(&run, &BackendRun::finished);
    QSignalSpy failed(&run, &BackendRun::failed);
    run.start();
    QTRY_COMPARE(content.size(), 1);
    run.abort();
    QVERIFY(h.aborted.value(QStringLiteral("a/1")));
    QCoreApplication::processEvents();
    QCOMPARE(finished.size() + failed.size(), 0);
    QCOMPARE(h.created, QStringList {QStringLiteral("a/1")});
}

void TestModelChain::realUpstreamFallback()
{
    FakeUpstream primary;
    FakeUpstream fallback;
    QVERIFY(primary.listen());
    QVERIFY(fallback.listen());
    primary.setDefaultReply(
        FakeUpstream::error(503, QStringLiteral("overloaded"), QStringLiteral("server_error")));
    fallback.setDefaultReply(FakeUpstream::stream({
        FakeUpstream::sse(FakeUpstream::contentChunk(QStringLiteral("from the fallback"))),
        FakeUpstream::sse(FakeUpstream::finishChunk(QStringLiteral("stop"))),
        FakeUpstream::done(),
    }));

    UpstreamPool network;
    GatewayConfig config;
    ProviderConfig p1;
    p1.name = QStringLiteral("one");
    p1.baseUrl = primary.baseUrl();
    ProviderConfig p2;
    p2.name = QStringLiteral("two");
    p2.baseUrl = fallback.baseUrl();
    config.providers.insert(p1.name, p1);
    config.providers.insert(p2.name, p2);

    BackendRequest request;
    request.prompt = QStringLiteral("hi");
    const auto factory
        = [&](const QString &modelRef, QString *error) -> std::unique_ptr<BackendRun> {
        const ProviderConfig *provider
            = config.findProvider(modelRef.section(QLatin1Char('/'), 0, 0));
        if (!provider) {
            *error = QStringLiteral("no provider");
            return nullptr;
        }
        BackendRequest attempt = request;
        attempt.modelRef = modelRef;
        return std::make_unique<OpenAiCompletionsBackend>(attempt, *provider, &network);
    };
    ModelChainRun run({QStringLiteral("one/big-model"), QStringLiteral("two/small-model")},
                      factory);
    QSignalSpy content(&run, &BackendRun::contentDelta);
    QSignalSpy finished(&run, &BackendRun::finished);
    run.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.at(0).at(0).toString(), QStringLiteral("from the fallback"));
    QCOMPARE(primary.requests().size(), 1);
    QCOMPARE(primary.requests().at(0).json.value(QStringLiteral("model")).toString(),
             QStringLiteral("big-model"));
    QCOMPARE(fallback.requests().size(), 1);
    QCOMPARE(fallback.requests().at(0).json.value(QStringLiteral("model")).toString(),
             QStringLiteral("small-model"));
}

QTEST_GUILESS_MAIN(TestModelChain)
#include "tst_modelchain.moc"
