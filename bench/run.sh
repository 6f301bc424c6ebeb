#!/usr/bin/env bash
# The performance benchmark of SPEC.md section 13 and issue 9, in one command: installs what it
# needs (Debian's wrk, nginx, Xvfb), builds Release in its own directory (build/bench), starts
# every server on loopback ports it picks, bounds every load in time, stops what it started by PID,
# and prints one table: each scenario's figure, its baseline measured in the same run, the ratio
# and the goal. Baselines: nginx serving a fixed JSON body, the fake upstream hit directly, a bare
# Node SSE server with the same pacing. Load: wrk (request/response) and bench/bench_load (streams;
# plain C++ on epoll); the fake upstream is bench/bench_upstream (plain C++ on epoll).
#
#   bash bench/run.sh [--quick] [--build-dir DIR] [--seconds N]
#     --quick      a smoke run well under a minute: every scenario, tiny loads (ctest -L bench)
#     --build-dir  use the binaries of an existing build (no build step)
#     --seconds    duration of each wrk load (default 5; 1 with --quick)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
build_dir=""
secs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; secs=1 ;;
    --build-dir) build_dir=$(cd "$2" && pwd); shift ;;
    --seconds) secs=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--build-dir DIR] [--seconds N]" >&2; exit 2 ;;
  esac
  shift
done

# --- what it needs -------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v node >/dev/null || need+=(nodejs)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing: ${need[*]}"
  $SUDO apt-get update -qq
  # policy-rc.d-less containers: never start the nginx service; this script runs its own.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "$build_dir" ]; then
  bash scripts/install-deps.sh >/dev/null
  build_dir=$root/build/bench
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPASSERELLE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build_dir" --target passerelle bench_upstream bench_load >/dev/null
fi
GW=$build_dir/app/passerelle
UPSTREAM=$build_dir/bench/bench_upstream
LOAD=$build_dir/bench/bench_load
for b in "$GW" "$UPSTREAM" "$LOAD"; do [ -x "$b" ] || { echo "missing $b" >&2; exit 1; }; done

ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# --- sizes ---------------------------------------------------------------------------------------
if [ $quick = 1 ]; then
  warm=0; seq_runs=20
  slow_n=200; k1_n=100; k10_n=300; slow_words=10; k_words=2; burst_n=300; burst_wait=1; starts=1
else
  warm=1; seq_runs=200
  slow_n=2000; k1_n=1000; k10_n=10000; slow_words=100; k_words=10; burst_n=5000; burst_wait=60; starts=5
fi

# --- servers -------------------------------------------------------------------------------------
export TOKEN=bench-token-0123456789
hz=$(getconf CLK_TCK)
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
peak_reset() { echo 5 > "/proc/$1/clear_refs" 2>/dev/null || true; }
peak_mb() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; } # the kernel's part

# start NAME command...: runs it in the background, waits for "listening on http://127.0.0.1:N"
# (or for $WAIT_PORT to accept), sets PID and PORT.
start() {
  local name=$1; shift
  "$@" > "$work/$name.log" 2>&1 &
  PID=$!; pids+=("$PID")
  local i
  for i in $(seq 1 200); do
    if [ -n "${WAIT_PORT:-}" ]; then
      PORT=$WAIT_PORT
      (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    else
      PORT=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$work/$name.log" | head -1 | grep -oE '[0-9]+$' || true)
      [ -n "$PORT" ] && return 0
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

start upstream "$UPSTREAM"; UP_PID=$PID; UP_PORT=$PORT

cat > "$work/config.json" <<JSON
{
  gateway: { port: 0, auth: { token: '$TOKEN' }, http: { endpoints: { chatCompletions: { enabled: true } } } },
  agents: { list: [
    { id: 'main', default: true, model: 'echo/echo' },
    { id: 'relay', model: 'fake/bench' },
    { id: 'relay200', model: 'fake200/bench' },
    { id: 'slow20', model: 'slow20/echo' },
    { id: 'slow500', model: 'slow500/echo' },
    { id: 'burst', model: 'burst/echo' },
  ] },
  models: { providers: {
    fake: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:$UP_PORT/v1', models: [{ id: 'bench' }], maxQueue: 100000 },
    fake200: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:$UP_PORT/u/200/e/v1', models: [{ id: 'bench' }], maxQueue: 100000 },
    slow20: { api: 'echo', chunkDelayMs: 20 },
    slow500: { api: 'echo', chunkDelayMs: 500 },
    burst: { api: 'echo', chunkDelayMs: 100 },
  } },
}
JSON
gw_env=(env HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data")
mkdir -p "$work/home"
# env execs the binary: the PID of the background job is the gateway's own.
gateway=("${gw_env[@]}" "$GW" --config "$work/config.json")

# Start time first, on a quiet machine: exec to the first 200 on /health, median of $starts.
start_runs=()
for _ in $(seq 1 $starts); do
  p=$("$LOAD" free-port)
  start_runs+=("$("$LOAD" start-time --port "$p" --timeout 10 -- "${gateway[@]}" --headless --port "$p" | sed 's/start_ms=//')")
done
START_MS=$(printf '%s\n' "${start_runs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

start gateway "${gateway[@]}" --headless; GW_PID=$PID; GW_PORT=$PORT
start node env BENCH_TOKEN="$TOKEN" node bench/node_echo_gateway.mjs; NODE_PID=$PID; NODE_PORT=$PORT
sleep 1
IDLE_MB=$(rss_mb $GW_PID)

words=$(for i in $(seq 1 20); do printf 'word%d ' "$i"; done)
printf '{"model":"openclaw","messages":[{"role":"user","content":"%s"}]}' "$words" > "$work/plain.json"
printf '{"model":"openclaw","stream":true,"messages":[{"role":"user","content":"%s"}]}' "$words" > "$work/stream.json"
mkbody() { # file words
  local w; w=$(for i in $(seq 1 "$2"); do printf 'w%d ' "$i"; done)
  printf '{"model":"openclaw","stream":true,"messages":[{"role":"user","content":"%s"}]}' "$w" > "$work/$1"
}
mkbody slow.json "$slow_words"; mkbody k.json "$k_words"; mkbody burst.json 20

# nginx: one process serving (the gateway serves from one thread), the gateway's own echo answer
# as body.
NG_PORT=$("$LOAD" free-port)
body=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$work/plain.json" "http://127.0.0.1:$GW_PORT/v1/chat/completions")
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
master_process off; # one process: the PID measured is the one serving
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$NG_PORT;
    location / { default_type application/json; return 200 '$body'; }
  }
}
NGINX
WAIT_PORT=$NG_PORT start nginx "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf"; NG_PID=$PID

# --- loads ---------------------------------------------------------------------------------------
declare -A R
# per_request TICKS RPS: microseconds of CPU per request over a load of $secs seconds.
per_request() {
  awk -v d="$1" -v hz="$hz" -v s="$secs" -v r="$2" \
    'BEGIN { if (r + 0 == 0) print "-"; else printf "%.1f", d / hz / s / r * 1e6 }'
}
# wrkrun LABEL PID PORT PATH BODY CONNS [AGENT]: requests/s, p50/p99 (ms), cores used by PID,
# CPU per request (all of it, and the kernel's part). BODY "-": a GET.
wrkrun() {
  local label=$1 pid=$2 port=$3 path=$4 body=$5 conns=$6 agent=${7:-}
  local t=$(( conns < 2 ? 1 : 2 ))
  local url="http://127.0.0.1:$port$path"
  local script=(-s bench/post.lua); [ "$body" != - ] || script=()
  [ $warm = 0 ] || BODY_FILE="$work/$body" AGENT=$agent wrk -t$t -c"$conns" -d${warm}s --timeout 5s "${script[@]}" "$url" >/dev/null
  local before; before=$(cpu_ticks "$pid")
  local sys_before; sys_before=$(sys_ticks "$pid")
  local out; out=$(BODY_FILE="$work/$body" AGENT=$agent wrk -t$t -c"$conns" -d"${secs}s" --timeout 5s --latency "${script[@]}" "$url")
  local after; after=$(cpu_ticks "$pid")
  local sys_after; sys_after=$(sys_ticks "$pid")
  R[$label.rps]=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  R[$label.p50]=$(echo "$out" | awk '$1=="50%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else {sub(/s/,"",v); v*=1000}; printf "%.3f", v}')
  R[$label.cores]=$(awk -v d=$((after - before)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s }')
  # CPU time per request (all of the process's threads): what a throughput ratio comes down to
  # when server and load generator share the cores.
  R[$label.us]=$(per_request $((after - before)) "${R[$label.rps]}")
  R[$label.sys_us]=$(per_request $((sys_after - sys_before)) "${R[$label.rps]}")
  local bad; bad=$(echo "$out" | awk '/Non-2xx/ {n+=$4} /Socket errors/ {gsub(/,/,""); n+=$4+$6+$8+$10} END {print n+0}')
  R[$label.bad]=$bad
}
# streams LABEL PORT PATH BODY CONNS TOTAL TIMEOUT [headers...]: bench_load's figures into R.
streams() {
  local label=$1 port=$2 path=$3 body=$4 conns=$5 total=$6 timeout=$7; shift 7
  local hdr=(--header "Authorization: Bearer $TOKEN")
  local h; for h in "$@"; do hdr+=(--header "$h"); done
  local out; out=$("$LOAD" streams --port "$port" --path "$path" --body "$work/$body" --conns "$conns" --total "$total" --timeout "$timeout" "${hdr[@]}")
  local kv; for kv in $out; do R[$label.${kv%%=*}]=${kv#*=}; done
}

echo "Measuring (${secs}s per wrk load)..." >&2
wrkrun echo16 $GW_PID $GW_PORT /v1/chat/completions plain.json 16
wrkrun nginx16 $NG_PID $NG_PORT /v1/chat/completions plain.json 16
# The gateway's cheapest route (same transport, pipeline and request log; no run, no body, no
# credential): the floor under the echo path's ratio.
wrkrun health16 $GW_PID $GW_PORT /health - 16
wrkrun echo64 $GW_PID $GW_PORT /v1/chat/completions plain.json 64
wrkrun nginx64 $NG_PID $NG_PORT /v1/chat/completions plain.json 64
for c in 1 16 64; do
  wrkrun relay$c $GW_PID $GW_PORT /v1/chat/completions stream.json $c relay
  wrkrun direct$c $UP_PID $UP_PORT /v1/chat/completions stream.json $c
done
stop $NG_PID

echo "  streams ($SECONDS s)" >&2
streams r200 $GW_PORT /v1/chat/completions stream.json 1 $seq_runs 60 "x-openclaw-agent-id: relay200"
streams d200 $UP_PORT /u/200/e/v1/chat/completions stream.json 1 $seq_runs 60

streams slow $GW_PORT /v1/chat/completions slow.json $slow_n $slow_n 90 "x-openclaw-agent-id: slow20"
streams nslow $NODE_PORT /v1/chat/completions slow.json $slow_n $slow_n 90 "x-bench-delay-ms: 20"

for k in k1 k10; do
  n=$([ $k = k1 ] && echo $k1_n || echo $k10_n)
  peak_reset $GW_PID; peak_reset $NODE_PID
  streams $k $GW_PORT /v1/chat/completions k.json $n $n 90 "x-openclaw-agent-id: slow500"
  R[$k.peak]=$(peak_mb $GW_PID)
  streams n$k $NODE_PORT /v1/chat/completions k.json $n $n 90 "x-bench-delay-ms: 500"
  R[n$k.peak]=$(peak_mb $NODE_PID)
done
stop $NODE_PID
stop $GW_PID

echo "  memory after a burst ($SECONDS s)" >&2
# Memory that goes back: a fresh gateway, idle, a burst of streams, then a minute later.
start gateway2 "${gateway[@]}" --headless; B_PID=$PID; B_PORT=$PORT
sleep 1
B_IDLE=$(rss_mb $B_PID)
streams burst $B_PORT /v1/chat/completions burst.json $burst_n $burst_n 90 "x-openclaw-agent-id: burst"
B_AFTER=$(rss_mb $B_PID)
sleep $burst_wait
B_LATER=$(rss_mb $B_PID)
stop $B_PID

# The panel: the GUI app under Xvfb, window open, request log live (frames captured).
XVFB_PID=""
GUI_IDLE="-"
echo "  the panel under Xvfb ($SECONDS s)" >&2
if [[ "$(ldd "$GW")" == *Qt6Widgets* ]]; then
  Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3> "$work/display" 2>/dev/null &
  XVFB_PID=$!; pids+=("$XVFB_PID")
  for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.05; done
  G_PORT=$("$LOAD" free-port)
  DISPLAY=:$(cat "$work/display") WAIT_PORT=$G_PORT start gui "${gateway[@]}" --port "$G_PORT"; G_PID=$PID
  sleep 2
  GUI_IDLE=$(rss_mb $G_PID)
  wrkrun gui16 $G_PID $G_PORT /v1/chat/completions plain.json 16
  # the same load on a headless gateway started the same way, measured right after
  H_PORT=$("$LOAD" free-port)
  WAIT_PORT=$H_PORT start headless "${gateway[@]}" --headless --port "$H_PORT"; H_PID=$PID
  sleep 1
  wrkrun head16 $H_PID $H_PORT /v1/chat/completions plain.json 16
  stop $G_PID; stop $H_PID; stop $XVFB_PID
fi
stop $UP_PID 2>/dev/null || true

# --- the table -----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "" || a == "-") print "-"; else printf "%.2f", a / b }'; }
plus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a < 0 || b < 0) print "-"; else printf "%+.2f ms", a - b }'; }
row() { printf '| %-52s | %-26s | %-26s | %-12s | %-22s |\n' "$@"; }
ideal_slow=$(awk -v w=$slow_words 'BEGIN {printf "%.1f", w * 0.020}')
ideal_k=$(awk -v w=$k_words 'BEGIN {printf "%.1f", w * 0.500}')
sfig() { # label: "ok/total, p50 s"
  local l=$1 total=$2
  awk -v ok="${R[$l.ok]}" -v t="$total" -v p="${R[$l.done_p50]}" -v f="${R[$l.failed]}" \
    'BEGIN { printf "%d/%d ok, p50 %.2f s", ok, t, p / 1000 }'
}
fails() { local l=$1 k out=""; for k in "${!R[@]}"; do case $k in $l.fail_*) out+=" ${k#$l.fail_}=${R[$k]}";; esac; done; echo "${out# }"; }

echo
mode=$([ $quick = 1 ] && echo "quick smoke run: tiny loads, figures not comparable" || echo "full run")
echo "Passerelle bench ($mode; $(nproc) cores, loopback, wrk ${secs}s per load, load generator and fake upstream: C++/epoll)"
row scenario Passerelle "baseline (same run)" ratio goal
row "$(printf -- '-%.0s' $(seq 1 52))" "$(printf -- '-%.0s' $(seq 1 26))" "$(printf -- '-%.0s' $(seq 1 26))" "------------" "----------------------"
row "echo JSON, 16 conns (req/s)" "${R[echo16.rps]}" "nginx ${R[nginx16.rps]}" "$(ratio "${R[echo16.rps]}" "${R[nginx16.rps]}")" ">= 0.5 of nginx"
row "echo JSON, 16 conns: CPU per request (us)" "${R[echo16.us]}" "nginx ${R[nginx16.us]}" "$(ratio "${R[echo16.us]}" "${R[nginx16.us]}")" "-"
row "GET /health, 16 conns (req/s): the floor" "${R[health16.rps]} (${R[health16.us]} us/req)" "nginx ${R[nginx16.rps]}" "$(ratio "${R[health16.rps]}" "${R[nginx16.rps]}")" "-"
row "echo JSON, 64 conns (req/s)" "${R[echo64.rps]}" "nginx ${R[nginx64.rps]}" "$(ratio "${R[echo64.rps]}" "${R[nginx64.rps]}")" "-"
for c in 1 16 64; do
  row "relay (openai-completions, stream), $c conn (req/s)" "${R[relay$c.rps]} (${R[relay$c.cores]} cores)" "direct ${R[direct$c.rps]}" "$(ratio "${R[relay$c.rps]}" "${R[direct$c.rps]}")" "$([ $c = 16 ] && echo '>= 0.5 of direct' || echo -)"
  [ $c != 16 ] || row "relay, 16 conn: CPU per request (us)" "${R[relay16.us]}" "direct ${R[direct16.us]}" "$(ratio "${R[relay16.us]}" "${R[direct16.us]}")" "-"
  [ $c != 16 ] || row "relay, 16 conn: kernel CPU per request (us)" "${R[relay16.sys_us]}" "direct, all CPU ${R[direct16.us]}" "$(ratio "${R[relay16.sys_us]}" "${R[direct16.us]}")" "-"
  row "relay, $c conn: p50 latency" "${R[relay$c.p50]} ms" "direct ${R[direct$c.p50]} ms" "$(plus "${R[relay$c.p50]}" "${R[direct$c.p50]}")" "$([ $c = 1 ] && echo '< 0.2 ms added' || echo -)"
done
row "200-chunk stream ($seq_runs in a row): headers p50" "${R[r200.head_p50]} ms" "direct ${R[d200.head_p50]} ms" "$(plus "${R[r200.head_p50]}" "${R[d200.head_p50]}")" "-"
row "200-chunk stream: first content p50" "${R[r200.first_p50]} ms" "direct ${R[d200.first_p50]} ms" "$(plus "${R[r200.first_p50]}" "${R[d200.first_p50]}")" "< 1 ms behind"
row "200-chunk stream: [DONE] p50" "${R[r200.done_p50]} ms" "direct ${R[d200.done_p50]} ms" "$(plus "${R[r200.done_p50]}" "${R[d200.done_p50]}")" "-"
row "$slow_n slow echo streams ($slow_words words, 20 ms; ideal ${ideal_slow} s)" "$(sfig slow $slow_n)" "Node $(sfig nslow $slow_n)" "$(ratio "${R[slow.done_p50]}" "$(awk -v i=$ideal_slow 'BEGIN {print i * 1000}')")x ideal" "<= 1.5x ideal"
for k in k1 k10; do
  n=$([ $k = k1 ] && echo $k1_n || echo $k10_n)
  row "$n slow streams ($k_words words, 500 ms; ideal ${ideal_k} s)" "$(sfig $k $n)" "Node $(sfig n$k $n)" "$(ratio "${R[$k.done_p50]}" "$(awk -v i=$ideal_k 'BEGIN {print i * 1000}')")x ideal" "$([ $k = k10 ] && echo 'all, <= 1.5x ideal' || echo -)"
  row "$n slow streams: peak RSS (MB)" "${R[$k.peak]}" "Node ${R[n$k.peak]}" "$(ratio "${R[$k.peak]}" "${R[n$k.peak]}")" "$([ $k = k10 ] && echo '< 200 MB' || echo -)"
  [ -z "$(fails $k)" ] || row "$n slow streams: failures" "$(fails $k)" "Node $(fails n$k)" "" ""
done
[ -z "$(fails slow)" ] || row "$slow_n slow echo streams: failures" "$(fails slow)" "Node $(fails nslow)" "" ""
row "RSS idle, headless (MB)" "$IDLE_MB" "-" "-" "< 30 MB"
row "RSS idle, GUI app under Xvfb (MB)" "$GUI_IDLE" "headless $IDLE_MB" "$(ratio "$GUI_IDLE" "$IDLE_MB")" "-"
row "RSS after $burst_n streams ($(sfig burst $burst_n)) (MB)" "$B_AFTER" "idle $B_IDLE" "$(ratio "$B_AFTER" "$B_IDLE")" "-"
row "RSS ${burst_wait} s after the burst (MB)" "$B_LATER" "idle $B_IDLE" "$(ratio "$B_LATER" "$B_IDLE")" "< 2x idle"
row "start to first 200 on /health (median of $starts)" "$START_MS ms" "-" "-" "< 300 ms"
row "panel: echo JSON 16 conns, window open, log live" "${R[gui16.rps]:--}" "headless ${R[head16.rps]:--}" "$(ratio "${R[gui16.rps]:-}" "${R[head16.rps]:-}")" "-"
bad=""
for k in "${!R[@]}"; do case $k in *.bad) [ "${R[$k]}" = 0 ] || bad+=" ${k%.bad}=${R[$k]}";; esac; done
[ -z "$bad" ] || echo "non-2xx or socket errors under wrk:$bad"
echo "(ratio: Passerelle / baseline; +ms: Passerelle - baseline; cores: CPU the gateway used; CPU per request: the process's CPU time over its requests, kernel CPU its system time)"
echo "(took $SECONDS s)"

# The smoke run checks that every scenario ran: tiny loads must all succeed.
if [ $quick = 1 ]; then
  broken=""
  loads="echo16 nginx16 health16 echo64 nginx64 relay1 direct1 relay16 direct16 relay64 direct64"
  [ "$GUI_IDLE" = - ] || loads+=" gui16 head16"
  for l in $loads; do
    [ "${R[$l.rps]:-0}" -gt 0 ] && [ "${R[$l.bad]:-1}" = 0 ] || broken+=" $l"
  done
  for l in r200:$seq_runs d200:$seq_runs slow:$slow_n nslow:$slow_n k1:$k1_n nk1:$k1_n k10:$k10_n nk10:$k10_n burst:$burst_n; do
    [ "${R[${l%%:*}.ok]:-0}" = "${l#*:}" ] || broken+=" ${l%%:*}"
  done
  [ "$START_MS" != -1 ] || broken+=" start"
  [ -z "$broken" ] || { echo "bench smoke run: scenarios without a full result:$broken" >&2; exit 1; }
fi
