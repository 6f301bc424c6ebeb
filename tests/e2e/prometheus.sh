#!/usr/bin/env bash
# A real scraper against the headless gateway (issue 12): Debian's `prometheus` scrapes
# `passerelle --headless` on loopback with the gateway's bearer token every second, and its HTTP API
# must return the gateway's request counter with the requests this script made.
#
#   tests/e2e/prometheus.sh [path/to/passerelle]
#
# Steps (each timed): start the gateway (port 0, a temporary config and data directory); make 3 chat
# requests and 1 with a wrong token; start prometheus (its own free port, a temporary TSDB);
# poll /api/v1/query until passerelle_http_requests_total{route="chat",status="200"} is 3 and
# {status="401"} is 1, and up{job="passerelle"} is 1. Registered with CTest as e2e_prometheus;
# about 3 s on the 2-core machine, most of it prometheus starting and its first scrapes.
#
# Environment: PASSERELLE_BIN (else the argument, else build/{dev,ci,release}/app/passerelle),
# PROMETHEUS (default: prometheus on PATH; scripts/install-deps.sh --test installs Debian's).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${PASSERELLE_BIN:-${1:-}}
if [[ -z "$BIN" ]]; then
    for candidate in "$REPO/build/dev/app/passerelle" "$REPO/build/ci/app/passerelle" \
                     "$REPO/build/release/app/passerelle"; do
        if [[ -x "$candidate" ]]; then BIN=$candidate; break; fi
    done
fi
[[ -n "$BIN" && -x "$BIN" ]] || { echo "e2e: no passerelle binary (build first, or pass its path)" >&2; exit 2; }
PROM=${PROMETHEUS:-$(command -v prometheus || true)}
[[ -n "$PROM" && -x "$PROM" ]] || { echo "e2e: prometheus not found (scripts/install-deps.sh --test)" >&2; exit 2; }
command -v node >/dev/null || { echo "e2e: node is needed" >&2; exit 2; }

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/passerelle-prom.XXXXXX")
GATEWAY_PID=""
PROM_PID=""
cleanup() {
    [[ -n "$PROM_PID" ]] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null || true
    [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN="prom-e2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
cat > "$WORK/passerelle.json" <<JSON
{ gateway: { port: 0, auth: { mode: 'token', token: '$TOKEN' },
             http: { endpoints: { chatCompletions: { enabled: true } } } } }
JSON
env HOME="$WORK" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
    "$BIN" --headless --config "$WORK/passerelle.json" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$WORK/gateway.log" | grep -oE '[0-9]+$' || true)
    [[ -n "$PORT" ]] && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || break
    sleep 0.05
done
[[ -n "$PORT" ]] || { echo "e2e: the gateway did not start"; cat "$WORK/gateway.log"; exit 1; }
echo "gateway on 127.0.0.1:$PORT after $(elapsed) s"

# node does the HTTP: requests to the gateway, a free port, and the polling of prometheus.
node - "$PORT" "$TOKEN" <<'JS'
const [port, token] = process.argv.slice(2);
const url = `http://127.0.0.1:${port}/v1/chat/completions`;
const body = JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'hi there' }] });
(async () => {
  for (let i = 0; i < 3; ++i) {
    const r = await fetch(url, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    if (r.status !== 200) { console.error('chat status', r.status); process.exit(1); }
  }
  const wrong = await fetch(url, { method: 'POST', body, headers: { authorization: 'Bearer wrong' } });
  if (wrong.status !== 401) { console.error('wrong token status', wrong.status); process.exit(1); }
})();
JS

PROM_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf '%s' "$TOKEN" > "$WORK/token"
cat > "$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: passerelle
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $WORK/token
    static_configs:
      - targets: ['127.0.0.1:$PORT']
YAML
"$PROM" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" > "$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
echo "prometheus $("$PROM" --version 2>&1 | head -1 | awk '{print $3}') on 127.0.0.1:$PROM_PORT after $(elapsed) s"

if ! node - "$PROM_PORT" <<'JS'
const [port] = process.argv.slice(2);
const query = async (q) => {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
  const j = await r.json();
  if (j.status !== 'success') throw new Error(JSON.stringify(j));
  return j.data.result;
};
const value = (result) => result.length === 1 ? Number(result[0].value[1]) : NaN;
const deadline = Date.now() + 30000;
(async function poll() {
  try {
    const ok = await query('passerelle_http_requests_total{job="passerelle",route="chat",method="POST",status="200"}');
    const refused = await query('passerelle_http_requests_total{job="passerelle",route="chat",status="401"}');
    const up = await query('up{job="passerelle"}');
    if (value(ok) === 3 && value(refused) === 1 && value(up) === 1) {
      console.log('prometheus /api/v1/query: passerelle_http_requests_total{route="chat",status="200"} =',
                  ok[0].value[1], '; {status="401"} =', refused[0].value[1], '; up = 1');
      process.exit(0);
    }
  } catch (e) { /* not up yet */ }
  if (Date.now() > deadline) { console.error('prometheus never returned the request counter'); process.exit(1); }
  setTimeout(poll, 200);
})();
JS
then
    echo "--- prometheus.log"; tail -20 "$WORK/prometheus.log"; echo "--- gateway.log"; tail -20 "$WORK/gateway.log"
    exit 1
fi
if grep -q "$TOKEN" "$WORK/prometheus.log" "$WORK/gateway.log"; then
    echo "e2e: the token appeared in a log"; exit 1
fi
echo "PASS: a real Prometheus scraped the gateway; total $(elapsed) s"
