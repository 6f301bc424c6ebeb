#include "Logging.h"

Q_LOGGING_CATEGORY(lcHttp, "passerelle.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "passerelle.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUpstream, "passerelle.upstream", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWs, "passerelle.ws", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "passerelle.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSessions, "passerelle.sessions", QtInfoMsg)
