#pragma once

// One logging category per module, filterable with QT_LOGGING_RULES (e.g.
// "passerelle.http.debug=true"). Never log a secret.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcUpstream)
Q_DECLARE_LOGGING_CATEGORY(lcWs)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcSessions)
