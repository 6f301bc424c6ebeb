#!/usr/bin/env bash
# What metrics cost a request end to end: the same Release binary, headless, echo agent, with
# passerelle.metrics.enabled true and then false, under wrk on loopback (JSON at 16 connections
# and at 1), each scenario run twice alternating on/off; prints req/s, p50 and CPU seconds per 10k
# requests for each, and the ratio on/off. The microbenchmark of the recording path alone is
# bench/metrics_bench.cpp. Usage: bench/metrics_onoff.sh [seconds per run] [binary]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
bin="${2:-build/ci/app/passerelle}"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
[ -x "$bin" ] || { cmake --preset ci >/dev/null; cmake --build --preset ci --target passerelle; }

work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TOKEN=bench-token-0123456789
words=$(for i in $(seq 1 20); do printf 'word%d ' "$i"; done)
printf '{"model":"openclaw","messages":[{"role":"user","content":"%s"}]}' "$words" > "$work/plain.json"

source bench/lib.sh # start_server, cpu_ticks
start() { # on|off ; sets PID PORT
  cat > "$work/$1.json" <<JSON
{ gateway: { port: 0, auth: { token: '$TOKEN' }, http: { endpoints: { chatCompletions: { enabled: true } } } },
  passerelle: { metrics: { enabled: $([ "$1" = on ] && echo true || echo false) } } }
JSON
  start_server "$1" env HOME="$work/$1" XDG_DATA_HOME="$work/$1/data" "$bin" --headless --config "$work/$1.json"
}

declare -A R
run() { # label pid port conns
  local label=$1 pid=$2 port=$3 conns=$4 threads=$(( $4 < 2 ? 1 : 2 ))
  BODY_FILE="$work/plain.json" wrk -t$threads -c"$conns" -d1s -s bench/post.lua "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(BODY_FILE="$work/plain.json" wrk -t$threads -c"$conns" -d"${secs}s" --latency -s bench/post.lua "http://127.0.0.1:$port/v1/chat/completions")
  local after; after=$(cpu_ticks "$pid")
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  R[$label.rps]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  R[$label.p50]=$(echo "$out" | awk '$1=="50%" {print $2}')
  R[$label.cpu]=$(awk -v d=$((after - before)) -v n="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", d / hz / n * 10000 }')
}

start on; ON_PID=$PID; ON_PORT=$PORT
start off; OFF_PID=$PID; OFF_PORT=$PORT
sleep 0.5
for conns in 16 1; do
  for round in 1 2; do
    run "on.$conns.$round" $ON_PID $ON_PORT $conns
    run "off.$conns.$round" $OFF_PID $OFF_PORT $conns
  done
done
# The metrics really were on in one and off in the other.
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ON_PORT/metrics" | grep -q '^passerelle_http_requests_total{route="chat",method="POST",status="200"}'
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$OFF_PORT/metrics")" = 404 ]

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.3f", a / b }'; }
printf '\n%-30s %12s %12s %8s\n' "JSON echo, ${secs}s per run" "metrics on" "metrics off" "on/off"
for conns in 16 1; do
  for round in 1 2; do
    k="$conns.$round"
    printf '%-30s %12s %12s %8s\n' "$conns conns (run $round): req/s" "${R[on.$k.rps]}" "${R[off.$k.rps]}" "$(ratio "${R[on.$k.rps]}" "${R[off.$k.rps]}")"
    printf '%-30s %12s %12s\n' "$conns conns (run $round): p50" "${R[on.$k.p50]}" "${R[off.$k.p50]}"
    printf '%-30s %12s %12s %8s\n' "$conns conns (run $round): CPU s/10k" "${R[on.$k.cpu]}" "${R[off.$k.cpu]}" "$(ratio "${R[on.$k.cpu]}" "${R[off.$k.cpu]}")"
  done
done
