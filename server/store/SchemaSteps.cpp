#include "store/SchemaSteps.h"

namespace passerelle {

// Timestamps are milliseconds since the epoch, UTC (BIGINT in PostgreSQL, whose INTEGER has 32
// bits). `turns`, `input` and `body` of a stored response are JSON documents kept as text.
const QList<SchemaStep> &SchemaSteps::all()
{
    static const QList<SchemaStep> steps {
        // 1: session transcripts (SPEC section 7). IF NOT EXISTS: SQLite files made before the
        // migrations existed already hold these tables at version 1.
        {1,
         "session transcripts",
         {"CREATE TABLE IF NOT EXISTS sessions ("
          " key TEXT PRIMARY KEY NOT NULL,"
          " agent_id TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " updated_at INTEGER NOT NULL)",
          "CREATE TABLE IF NOT EXISTS messages ("
          " id INTEGER PRIMARY KEY,"
          " session_key TEXT NOT NULL REFERENCES sessions(key),"
          " role TEXT NOT NULL,"
          " content TEXT NOT NULL,"
          " created_at INTEGER NOT NULL)",
          "CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_key, id)"},
         {"CREATE TABLE sessions ("
          " key TEXT PRIMARY KEY NOT NULL,"
          " agent_id TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL)",
          "CREATE TABLE messages ("
          " id BIGSERIAL PRIMARY KEY,"
          " session_key TEXT NOT NULL REFERENCES sessions(key),"
          " role TEXT NOT NULL,"
          " content TEXT NOT NULL,"
          " created_at BIGINT NOT NULL)",
          "CREATE INDEX messages_by_session ON messages(session_key, id)"}},
        // 2: stored responses (SPEC section 11). `seq` orders them by age for the maxStored bound.
        {2,
         "stored responses",
         {"CREATE TABLE responses ("
          " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
          " id TEXT NOT NULL UNIQUE,"
          " parent_id TEXT NOT NULL,"
          " session_key TEXT NOT NULL,"
          " agent_id TEXT NOT NULL,"
          " principal TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " turns TEXT NOT NULL,"
          " input TEXT NOT NULL,"
          " body TEXT NOT NULL,"
          " input_tokens INTEGER NOT NULL,"
          " output_tokens INTEGER NOT NULL,"
          " usage_known INTEGER NOT NULL)"},
         {"CREATE TABLE responses ("
          " seq BIGSERIAL PRIMARY KEY,"
          " id TEXT NOT NULL UNIQUE,"
          " parent_id TEXT NOT NULL,"
          " session_key TEXT NOT NULL,"
          " agent_id TEXT NOT NULL,"
          " principal TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " turns TEXT NOT NULL,"
          " input TEXT NOT NULL,"
          " body TEXT NOT NULL,"
          " input_tokens BIGINT NOT NULL,"
          " output_tokens BIGINT NOT NULL,"
          " usage_known INTEGER NOT NULL)"}},
        // 3: usage per token (SPEC section 12), one row per UTC day (an ISO date, "2026-03-01")
        // and token name ("main" for the gateway's own credential).
        {3,
         "usage per token",
         {"CREATE TABLE token_usage ("
          " day TEXT NOT NULL,"
          " token TEXT NOT NULL,"
          " requests INTEGER NOT NULL DEFAULT 0,"
          " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
          " completion_tokens INTEGER NOT NULL DEFAULT 0,"
          " errors INTEGER NOT NULL DEFAULT 0,"
          " PRIMARY KEY (day, token))"},
         {"CREATE TABLE token_usage ("
          " day TEXT NOT NULL,"
          " token TEXT NOT NULL,"
          " requests BIGINT NOT NULL DEFAULT 0,"
          " prompt_tokens BIGINT NOT NULL DEFAULT 0,"
          " completion_tokens BIGINT NOT NULL DEFAULT 0,"
          " errors BIGINT NOT NULL DEFAULT 0,"
          " PRIMARY KEY (day, token))"}},
        // 4: the failed-auth limiter state that gateways sharing a database share (SPEC section
        // 5): per client address, the times of its failures inside the window and the end of its
        // lockout, on the database's clock so that the gateways' clocks need not agree. One call
        // of passerelle_auth_failure() per failed attempt; a lockout is announced to every
        // gateway on the channel passerelle_lockouts ("<ip> <ms left>", "<ip> 0" for a clear).
        // A single gateway's SQLite file has nothing to share: it keeps the limiter in memory.
        {4,
         "shared failed-auth limiter state",
         {},
         {"CREATE TABLE auth_failures ("
          " ip TEXT PRIMARY KEY NOT NULL,"
          " failures BIGINT[] NOT NULL,"
          " locked_until BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL)",
          "CREATE INDEX auth_failures_by_age ON auth_failures(updated_at)",
          "CREATE FUNCTION passerelle_now_ms() RETURNS BIGINT LANGUAGE sql VOLATILE AS"
          " $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT $$",
          "CREATE FUNCTION passerelle_auth_failure(p_ip TEXT, p_max INTEGER, p_window BIGINT,"
          " p_lockout BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$\n"
          "DECLARE\n"
          "  now_ms BIGINT := passerelle_now_ms();\n"
          "  entry auth_failures%ROWTYPE;\n"
          "  kept BIGINT[];\n"
          "BEGIN\n"
          "  INSERT INTO auth_failures(ip, failures, locked_until, updated_at)\n"
          "    VALUES (p_ip, '{}', 0, now_ms) ON CONFLICT (ip) DO NOTHING;\n"
          "  SELECT * INTO entry FROM auth_failures WHERE ip = p_ip FOR UPDATE;\n"
          "  IF entry.locked_until > now_ms THEN\n"
          "    RETURN entry.locked_until - now_ms;\n"
          "  END IF;\n"
          "  IF entry.locked_until <> 0 THEN\n"
          "    entry.failures := '{}';\n"
          "  END IF;\n"
          "  SELECT coalesce(array_agg(f ORDER BY f), '{}') INTO kept\n"
          "    FROM unnest(entry.failures) AS f WHERE f > now_ms - p_window;\n"
          "  kept := array_append(kept[greatest(1, cardinality(kept) - p_max + 2):], now_ms);\n"
          "  IF cardinality(kept) >= p_max THEN\n"
          "    UPDATE auth_failures SET failures = kept, locked_until = now_ms + p_lockout,\n"
          "      updated_at = now_ms WHERE ip = p_ip;\n"
          "    PERFORM pg_notify('passerelle_lockouts', p_ip || ' ' || p_lockout);\n"
          "    RETURN p_lockout;\n"
          "  END IF;\n"
          "  UPDATE auth_failures SET failures = kept, locked_until = 0, updated_at = now_ms\n"
          "    WHERE ip = p_ip;\n"
          "  RETURN 0;\n"
          "END\n"
          "$$"}},
    };
    return steps;
}

int SchemaSteps::latest()
{
    return all().last().version;
}

} // namespace passerelle
