#pragma once

// The session store's schema as one list of numbered steps, each written for both engines (the
// SQLite file of one gateway, the PostgreSQL database several share): a database at version n
// gets every later step, each in one transaction with its version record. Steps are appended,
// never edited once released; both engines count the same versions. Immutable: any thread.

#include <QList>

namespace passerelle {

struct SchemaStep
{
    int version = 0;
    const char *what = "";
    QList<const char *> sqlite; // may be empty: the step concerns the other engine only
    QList<const char *> postgres;
};

namespace SchemaSteps {

const QList<SchemaStep> &all();
int latest(); // the version a database has once every step ran

} // namespace SchemaSteps

} // namespace passerelle
