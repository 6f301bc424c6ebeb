#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, started as a user would start one: initdb and
# pg_ctl from Debian's `postgresql` package, in a directory of its own, listening on one loopback
# port, run by an unprivileged account (`postgres`, made if missing, when called as root: the
# server refuses to run as root). The role `passerelle` owns it, with the password in
# $PG_TEST_PASSWORD (scram-sha-256 over TCP).
# Usage: pg-server.sh start <dir> <port>    creates the cluster on first use, then starts it
#        pg-server.sh stop <dir>            fast shutdown (connections cut), data kept
#        pg-server.sh sql <dir> <port> <database> <statement>
set -euo pipefail
cmd="${1:?usage: pg-server.sh start|stop|sql <dir> ...}"
dir="${2:?missing directory}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "pg-server.sh: PostgreSQL server binaries (initdb, pg_ctl) not found under" \
       "/usr/lib/postgresql/*/bin: install Debian's postgresql package" \
       "(bash scripts/install-deps.sh --test does)" >&2
  exit 3
fi
account=""
if [ "$(id -u)" -eq 0 ]; then
  account=postgres
  id "$account" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$account"
fi
as_server() { if [ -n "$account" ]; then runuser -u "$account" -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    port="${3:?missing port}"
    : "${PG_TEST_PASSWORD:?PG_TEST_PASSWORD must hold the password of the role}"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir/data"
      umask 077
      printf '%s\n' "$PG_TEST_PASSWORD" > "$dir/pwfile"
      [ -n "$account" ] && chown -R "$account:" "$dir"
      as_server "$bindir/initdb" -D "$dir/data" -U passerelle --pwfile="$dir/pwfile" \
        --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      rm -f "$dir/pwfile"
    fi
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  sql)
    port="${3:?missing port}"; database="${4:?missing database}"; statement="${5:?missing statement}"
    as_server "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U passerelle \
      -d "$database" -At -c "$statement"
    ;;
  *)
    echo "pg-server.sh: unknown command $cmd" >&2; exit 2 ;;
esac
