#!/usr/bin/env bash
# Gateway benchmark: Passerelle (Release, headless, echo agent) against a baseline measured in the
# same run on the same machine: the same echo endpoint in plain Node (bench/node_echo_gateway.mjs).
# Load from wrk on loopback; prints requests/s, latency, CPU seconds per 10k requests and RSS, and
# the ratio Passerelle/Node for each. Usage: bench/gateway_bench.sh [seconds per scenario]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
[ -x build/release/app/passerelle ] || { cmake --preset release >/dev/null; cmake --build --preset release --target passerelle; }

work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TOKEN=bench-token-0123456789
cat > "$work/config.json" <<JSON
{ gateway: { port: 0, auth: { token: '$TOKEN' }, http: { endpoints: { chatCompletions: { enabled: true } } } } }
JSON
words=$(for i in $(seq 1 20); do printf 'word%d ' "$i"; done)
printf '{"model":"openclaw","messages":[{"role":"user","content":"%s"}]}' "$words" > "$work/plain.json"
printf '{"model":"openclaw","stream":true,"messages":[{"role":"user","content":"%s"}]}' "$words" > "$work/stream.json"

source bench/lib.sh # start_server, cpu_ticks
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

declare -A R
run() { # label pid port body conns
  local label=$1 pid=$2 port=$3 body=$4 conns=$5
  BODY_FILE="$work/$body" wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d1s -s bench/post.lua "http://127.0.0.1:$port/v1/chat/completions" >/dev/null # warm-up
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(BODY_FILE="$work/$body" wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${secs}s" --latency -s bench/post.lua "http://127.0.0.1:$port/v1/chat/completions")
  local after; after=$(cpu_ticks "$pid")
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  local p50; p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  local hz; hz=$(getconf CLK_TCK)
  local cpu10k; cpu10k=$(awk -v d=$((after - before)) -v n="$total" -v hz="$hz" 'BEGIN { printf "%.3f", d / hz / n * 10000 }')
  R[$label.rps]=$rps; R[$label.p50]=$p50; R[$label.p99]=$p99; R[$label.cpu]=$cpu10k; R[$label.rss]=$(rss_kb "$pid")
  [ -z "$non2xx" ] || { echo "$label: $non2xx non-2xx responses"; exit 1; }
}

start_server passerelle env HOME="$work" XDG_DATA_HOME="$work/data" build/release/app/passerelle --headless --config "$work/config.json"
P_PID=$PID; P_PORT=$PORT
start_server node env BENCH_TOKEN="$TOKEN" node bench/node_echo_gateway.mjs
N_PID=$PID; N_PORT=$PORT
sleep 0.5
R[p.idle]=$(rss_kb $P_PID); R[n.idle]=$(rss_kb $N_PID)

for scenario in "json plain.json 16" "sse stream.json 16" "json1 plain.json 1"; do
  set -- $scenario
  run "p.$1" $P_PID $P_PORT $2 $3
  run "n.$1" $N_PID $N_PORT $2 $3
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
printf '\n%-34s %14s %14s %10s\n' "scenario (${secs}s each, wrk -t2)" Passerelle "Node baseline" ratio
for s in json sse json1; do
  case $s in json) name="JSON, 16 conns";; sse) name="SSE 20 words, 16 conns";; json1) name="JSON, 1 conn";; esac
  printf '%-34s %14s %14s %10s\n' "$name: req/s" "${R[p.$s.rps]}" "${R[n.$s.rps]}" "$(ratio "${R[p.$s.rps]}" "${R[n.$s.rps]}")"
  printf '%-34s %14s %14s\n' "$name: p50 / p99" "${R[p.$s.p50]} / ${R[p.$s.p99]}" "${R[n.$s.p50]} / ${R[n.$s.p99]}"
  printf '%-34s %14s %14s %10s\n' "$name: CPU s per 10k req" "${R[p.$s.cpu]}" "${R[n.$s.cpu]}" "$(ratio "${R[p.$s.cpu]}" "${R[n.$s.cpu]}")"
done
printf '%-34s %14s %14s %10s\n' "RSS idle (KiB)" "${R[p.idle]}" "${R[n.idle]}" "$(ratio "${R[p.idle]}" "${R[n.idle]}")"
printf '%-34s %14s %14s %10s\n' "RSS after load (KiB)" "${R[p.json1.rss]}" "${R[n.json1.rss]}" "$(ratio "${R[p.json1.rss]}" "${R[n.json1.rss]}")"
