// RandomId: version-4 UUIDs from a per-thread pool of kernel random bytes. Every id has the
// version and variant bits, ids never repeat across pool refills (a pool holds 256), and two
// threads draw different ids.

#include "RandomId.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace passerelle;

class TestRandomId : public QObject
{
    Q_OBJECT

private slots:
    void versionAndVariant();
    void distinctAcrossRefills();
    void threadsDrawDifferentIds();
    void bitsAreNotStuck();
};

void TestRandomId::versionAndVariant()
{
    const QRegularExpression v4(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    for (int i = 0; i < 600; ++i) {
        const QUuid id = RandomId::uuid();
        QCOMPARE(id.version(), QUuid::Random);
        QCOMPARE(id.variant(), QUuid::DCE);
        const QString text = id.toString(QUuid::WithoutBraces);
        QVERIFY2(v4.match(text).hasMatch(), qPrintable(text));
    }
}

void TestRandomId::distinctAcrossRefills()
{
    QSet<QUuid> seen;
    const int n = 10 * 256 + 17; // ten refills and a part
    for (int i = 0; i < n; ++i)
        seen.insert(RandomId::uuid());
    QCOMPARE(seen.size(), n);
}

void TestRandomId::threadsDrawDifferentIds()
{
    QList<QUuid> fromOther;
    QThread *t = QThread::create([&fromOther] {
        for (int i = 0; i < 300; ++i)
            fromOther.append(RandomId::uuid());
    });
    t->start();
    QList<QUuid> fromHere;
    for (int i = 0; i < 300; ++i)
        fromHere.append(RandomId::uuid());
    QVERIFY(t->wait(10000));
    delete t;
    QSet<QUuid> all(fromHere.begin(), fromHere.end());
    for (const QUuid &id : fromOther)
        all.insert(id);
    QCOMPARE(all.size(), 600);
}

void TestRandomId::bitsAreNotStuck()
{
    // Every one of the 122 random bits takes both values over 512 ids (a zeroed or constant pool,
    // a byte copied twice, would leave some bit fixed; the chance that a fair bit does is 2^-511).
    QByteArray ones(16, '\0');
    QByteArray zeros(16, '\0');
    for (int i = 0; i < 512; ++i) {
        const QByteArray b = RandomId::uuid().toRfc4122();
        for (int k = 0; k < 16; ++k) {
            ones[k] = char(uchar(ones[k]) | uchar(b[k]));
            zeros[k] = char(uchar(zeros[k]) | uchar(~uchar(b[k])));
        }
    }
    for (int k = 0; k < 16; ++k) {
        uchar fixedMask = 0xff; // bits that must take both values
        if (k == 6)
            fixedMask = 0x0f; // the version nibble is fixed
        if (k == 8)
            fixedMask = 0x3f; // the variant's two bits are fixed
        QCOMPARE(uchar(ones[k]) & fixedMask, int(fixedMask));
        QCOMPARE(uchar(zeros[k]) & fixedMask, int(fixedMask));
    }
}

QTEST_GUILESS_MAIN(TestRandomId)
#include "tst_randomid.moc"
