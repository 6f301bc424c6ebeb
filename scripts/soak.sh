#!/usr/bin/env bash
# Soak: mixed traffic against the Release binary for [minutes] (default 30): streams, non-streamed
# requests, clients leaving mid-stream, bad requests, slow readers, WebSocket clients, raw garbage
# and live config edits, with RSS, open descriptors and latency sampled (scripts/soak.mjs). Fails on
# any 5xx the traffic did not ask for, any unexpected answer, or RSS/descriptors growing past their
# bound after the warm-up minute. CI runs 3 minutes. PASSERELLE_PRESET picks the build (release).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
preset=${PASSERELLE_PRESET:-release}
root=$PWD
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target passerelle
binary=$(find "build/$preset/app" -maxdepth 1 -name passerelle -type f | head -1)

# The ws package, from the npm registry once (as tests/clients/run.sh installs it).
work=$root/build/$preset/soak
mkdir -p "$work"
if [ ! -d "$work/node_modules/ws" ]; then
  (cd "$work" && echo '{"private":true,"type":"module"}' >package.json \
     && npm install --no-audit --no-fund --loglevel=error ws@^8.18.0 >/dev/null)
fi
cp scripts/soak.mjs "$work/"

home=$(mktemp -d)
gateway_pid=
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
  rm -rf "$home"
}
trap cleanup EXIT
token=soak-token-$RANDOM$RANDOM
config=$home/passerelle.json
cat >"$config" <<JSON
{
  gateway: { port: 0, auth: { mode: 'token', token: '$token' },
             http: { endpoints: { chatCompletions: { enabled: true } } } },
  agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },
                    { id: 'slow', model: 'slow/echo' } ] },
  models: { providers: { slow: { api: 'echo', chunkDelayMs: 20 } } },
  passerelle: { http: { keepAliveMs: 15000 } }
}
JSON
HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config \
  "$binary" --headless --config "$config" --port 0 >"$home/out.log" 2>&1 &
gateway_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$home/out.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$home/out.log"; echo "soak: the gateway did not start"; exit 1; }
echo "soak: $binary on port $port (pid $gateway_pid) for $minutes min"

status=0
node "$work/soak.mjs" "$port" "$gateway_pid" "$token" "$config" "$minutes" || status=$?
if ! kill -0 "$gateway_pid" 2>/dev/null; then
  echo "soak: the gateway died"; tail -20 "$home/out.log"; status=1
fi
if grep -q "$token" "$home/out.log"; then
  echo "soak: the token reached the log"; status=1
fi
echo "soak: $(grep -c ' 499 ' "$home/out.log" || true) client disconnects logged, \
$(grep -c 'Config reloaded' "$home/out.log" || true) config reloads"
exit $status
