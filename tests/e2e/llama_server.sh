#!/usr/bin/env bash
# End-to-end check against a real OpenAI-compatible server nobody here wrote: llama.cpp's
# llama-server with a tiny random-weight GGUF model, behind Passerelle configured with the README's
# provider entries. .ci/run runs it.
#
#   tests/e2e/llama_server.sh [path/to/passerelle]
#
# Phases (each timed):
#   1. llama-server: built once from the llama.cpp source shipped in the npm package
#      node-llama-cpp@3.21.1 (its tarball alone, integrity-checked; it ships no llama-server
#      binary) into a cache outside the clone; reused while the version and the build settings
#      stay the same, rebuilt (and the old one removed) when they change;
#   2. llama-server started with the tiny model;
#   3. tests/e2e/llama_server_check.mjs: starts `passerelle --headless` with the README's
#      llama-server entry and asks llama-server directly and through Passerelle at temperature 0:
#      non-streaming, streaming, a tool-call round trip when the model's chat template has tool
#      calls (llama-server's /props says; tiny-random-llama's has none, and the script says so), a
#      session; then the README's Ollama and vLLM entries pointed at the same llama-server.
#
# Environment: PASSERELLE_BIN (else the argument, else build/{ci,dev,release}/app/passerelle),
# PASSERELLE_E2E_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/passerelle/e2e), LLAMA_MODEL (default:
# ../shared/models/tiny-random-llama.gguf beside the repo, then /work/shared/models/...),
# E2E_BUILD_JOBS (default: nproc), E2E_LLAMA_OPT (default -O0: optimisation of llama.cpp; the
# answers are the same at -O0 and -O2, and -O0 compiles fastest).
# The build uses ccache when it is installed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$REPO/tests/e2e"
NODE_LLAMA_CPP_VERSION=3.21.1
NODE_LLAMA_CPP_INTEGRITY=sha512-E3N0Ev2Va0wzydvXYFwM9Hvyo07PoWjt8T/9GMc43Cvt8YkV/NU/tYUgEMC1grTPv2o9PRjQi0G3Wb5P/awiMg==
CACHE=${PASSERELLE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/passerelle/e2e}
JOBS=${E2E_BUILD_JOBS:-$(nproc)}
LLAMA_OPT=${E2E_LLAMA_OPT:--O0}

BIN=${PASSERELLE_BIN:-${1:-}}
if [[ -z "$BIN" ]]; then
    for candidate in "$REPO/build/ci/app/passerelle" "$REPO/build/dev/app/passerelle" \
                     "$REPO/build/release/app/passerelle"; do
        if [[ -x "$candidate" ]]; then BIN=$candidate; break; fi
    done
fi
[[ -n "$BIN" && -x "$BIN" ]] || { echo "e2e: no passerelle binary (build first, or pass its path)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

MODEL=${LLAMA_MODEL:-}
if [[ -z "$MODEL" ]]; then
    for candidate in "$REPO/../shared/models/tiny-random-llama.gguf" "/work/shared/models/tiny-random-llama.gguf"; do
        if [[ -f "$candidate" ]]; then MODEL=$(cd "$(dirname "$candidate")" && pwd)/$(basename "$candidate"); break; fi
    done
fi
[[ -n "$MODEL" && -f "$MODEL" ]] || { echo "e2e: tiny-random-llama.gguf not found (set LLAMA_MODEL)" >&2; exit 2; }

# The tests' pinned Node.js when it is installed (scripts/install-clients.sh), else the system's.
clients_src="$REPO/tests/clients"
# shellcheck source=../../scripts/clients-env.sh
source "$REPO/scripts/clients-env.sh"
# shellcheck source=../../scripts/npm-fetch.sh
source "$REPO/scripts/npm-fetch.sh"
NODE=node
[[ -x "$PASSERELLE_NODE" ]] && NODE=$PASSERELLE_NODE
command -v "$NODE" >/dev/null || { echo "e2e: node is needed" >&2; exit 2; }

declare -a TIMINGS=()
phase_start() { PHASE_NAME=$1; PHASE_T0=$(date +%s.%N); echo "== $1"; }
phase_end() {
    local t; t=$(awk -v a="$PHASE_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
    TIMINGS+=("$(printf '%-62s %7s s' "$PHASE_NAME${1:+ ($1)}" "$t")")
    echo "   done in ${t} s${1:+ ($1)}"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/passerelle-e2e.XXXXXX")
LLAMA_PID=""
cleanup() {
    [[ -n "${GATEWAY_PID:-}" ]] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
    [[ -n "${CLAUDE_PID:-}" ]] && kill "$CLAUDE_PID" 2>/dev/null || true
    [[ -n "$LLAMA_PID" ]] && kill "$LLAMA_PID" 2>/dev/null && wait "$LLAMA_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    "$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_http() { # url seconds
    "$NODE" -e '
        const [url, secs] = process.argv.slice(1);
        const end = Date.now() + secs * 1000;
        (async function poll() {
            try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
            if (Date.now() > end) { console.error("timed out waiting for " + url); process.exit(1); }
            setTimeout(poll, 100);
        })();' "$1" "$2"
}

T_ALL=$(date +%s.%N)
mkdir -p "$CACHE"

# 1. llama-server, built once per node-llama-cpp version and build settings
phase_start "llama-server from node-llama-cpp@$NODE_LLAMA_CPP_VERSION"
SETTINGS="node-llama-cpp $NODE_LLAMA_CPP_VERSION, $LLAMA_OPT, $(g++ -dumpfullversion 2>/dev/null)"
KEY=$(printf '%s' "$SETTINGS" | sha256sum | cut -c1-12)
LLAMA_DIR="$CACHE/llama-server-$NODE_LLAMA_CPP_VERSION-$KEY"
LLAMA_SERVER="$LLAMA_DIR/llama-server"
if [[ -x "$LLAMA_SERVER" && "$(cat "$LLAMA_DIR/settings" 2>/dev/null)" == "$SETTINGS" ]]; then
    phase_end "cached: $LLAMA_DIR"
else
    SRC="$CACHE/llama.cpp-src" # one fixed path, so that ccache finds its earlier objects
    rm -rf "$SRC" "$CACHE/npm-pack"
    mkdir -p "$CACHE/npm-pack"
    t0=$(date +%s)
    # The package's tarball alone (its dependencies and prebuilt libraries are not needed).
    if ! npm pack "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" --pack-destination "$CACHE/npm-pack" \
            "${npm_fetch_opts[@]}" --loglevel=warn >"$CACHE/npm-pack/npm.log" 2>&1; then
        echo "e2e: cannot fetch node-llama-cpp@$NODE_LLAMA_CPP_VERSION from $(npm config get registry):" \
             "$(npm_reason "$CACHE/npm-pack/npm.log")" >&2
        exit 1
    fi
    TARBALL="$CACHE/npm-pack/node-llama-cpp-$NODE_LLAMA_CPP_VERSION.tgz"
    integrity="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
    [[ "$integrity" == "$NODE_LLAMA_CPP_INTEGRITY" ]] \
        || { echo "e2e: node-llama-cpp tarball integrity $integrity, expected $NODE_LLAMA_CPP_INTEGRITY" >&2; exit 1; }
    tar -xzf "$TARBALL" -C "$CACHE/npm-pack" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
    TAG=$("$NODE" -e 'console.log(require(process.argv[1]).tag)' "$CACHE/npm-pack/package/llama/llama.cpp.info.json")
    git clone --quiet "$CACHE/npm-pack/package/llama/gitRelease.bundle" "$SRC" 2>/dev/null
    fetched=$(( $(date +%s) - t0 ))
    launcher=()
    if command -v ccache >/dev/null 2>&1; then
        launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
        export CCACHE_BASEDIR="$SRC"
    fi
    # Only what llama-server needs: no tests, examples, web UI (nor its download), TLS or curl.
    cmake -S "$SRC" -B "$SRC/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
        "-DCMAKE_C_FLAGS_RELEASE=$LLAMA_OPT -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELEASE=$LLAMA_OPT -DNDEBUG" \
        -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
        -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF \
        -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
        >"$CACHE/llama-configure.log" 2>&1 || { tail -30 "$CACHE/llama-configure.log"; exit 1; }
    cmake --build "$SRC/build" --target llama-server -j "$JOBS" >"$CACHE/llama-build.log" 2>&1 \
        || { tail -30 "$CACHE/llama-build.log"; exit 1; }
    rm -rf "$CACHE"/llama-server-*
    mkdir -p "$LLAMA_DIR"
    cp "$SRC/build/bin/llama-server" "$LLAMA_SERVER"
    printf '%s' "$SETTINGS" >"$LLAMA_DIR/settings"
    rm -rf "$SRC" "$CACHE/npm-pack" # the binary is static; ccache keeps the objects
    phase_end "fetched in ${fetched} s; built llama.cpp $TAG at $LLAMA_OPT with $JOBS jobs${launcher:+, ccache}"
fi

# 2. llama-server with the tiny model
phase_start "start llama-server"
LLAMA_PORT=$(free_port)
# No prompt cache: a cached prefix changes the arithmetic a little, and with random weights that
# can flip a greedy token; every request then computes the same way. --jinja: the template's
# own capabilities (tool calls) decide, as for a real model.
# -c 32768 (the tiny model declares 1024): Claude Code's own request in phase 4 is ~17k tokens.
"$LLAMA_SERVER" -m "$MODEL" --host 127.0.0.1 --port "$LLAMA_PORT" -c 32768 -np 1 -t 2 \
    --override-kv llama.context_length=int:32768 \
    --no-cache-prompt --no-webui --offline --jinja >"$WORK/llama-server.log" 2>&1 &
LLAMA_PID=$!
wait_for_http "http://127.0.0.1:$LLAMA_PORT/health" 120 || { tail -30 "$WORK/llama-server.log"; exit 1; }
phase_end "port $LLAMA_PORT"

# 3. the same answers directly and through the relay
phase_start "requests (direct vs. through Passerelle)"
PASSERELLE_BIN="$BIN" PASSERELLE_README="$REPO/README.md" \
    "$NODE" "$HERE/llama_server_check.mjs" "http://127.0.0.1:$LLAMA_PORT/v1" \
    || { echo "--- llama-server log"; tail -20 "$WORK/llama-server.log"; exit 1; }
phase_end

# 4. README's "Claude Code on a local model": the Anthropic Messages API and Claude Code itself
phase_start "Messages API and claude -p through Passerelle"
TOKEN=e2e-$("$NODE" -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
mkdir -p "$WORK/home"
cat >"$WORK/passerelle.json" <<EOF
{
  // written by tests/e2e/llama_server.sh, as README's "Claude Code on a local model" says
  gateway: { port: 0, auth: { mode: 'token', token: '$TOKEN' } },
  passerelle: {
    http: { endpoints: { messages: { enabled: true } } },
    modelAliases: { 'claude-*': 'main' },
  },
  agents: { list: [ { id: 'main', default: true, model: 'llama/tiny' } ] },
  models: { providers: {
    llama: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:$LLAMA_PORT/v1',
             // Claude Code's 17k-token prompt takes minutes on 2 cores before the first token
             models: [ { id: 'tiny' } ], timeoutMs: 600000, idleTimeoutMs: 30000 },
  } },
}
EOF
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/config" XDG_DATA_HOME="$WORK/home/data" \
    "$BIN" --headless --config "$WORK/passerelle.json" --port 0 >"$WORK/passerelle.log" 2>&1 &
GATEWAY_PID=$!
GATEWAY_URL=""
for _ in $(seq 1 100); do
    GATEWAY_URL=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$WORK/passerelle.log" | head -n1 | sed 's/listening on //' || true)
    [[ -n "$GATEWAY_URL" ]] && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || break
    sleep 0.1
done
[[ -n "$GATEWAY_URL" ]] || { cat "$WORK/passerelle.log"; exit 1; }
"$NODE" "$HERE/messages_check.mjs" "http://127.0.0.1:$LLAMA_PORT/v1" "$GATEWAY_URL" "$TOKEN" \
    || { echo "--- passerelle log"; tail -40 "$WORK/passerelle.log"; exit 1; }
# Claude Code, the pinned one scripts/install-clients.sh installed. A random-weight model never ends
# its turn, so Claude Code would go on asking it to continue: the check is its first round - its own
# request (system prompt, tools, ~17k tokens) relayed to llama-server and the streamed answer back
# as Anthropic events, a 200 in the gateway's log; then Claude Code is stopped. (With the echo agent
# tests/clients/claude-code.test.mjs runs `claude -p` to its end.)
CLAUDE="$PASSERELLE_CLIENTS_DIR/node_modules/.bin/claude"
[[ -x "$CLAUDE" ]] || { echo "e2e: Claude Code is not installed (bash scripts/install-clients.sh)" >&2; exit 2; }
mkdir -p "$WORK/claude-home/work"
(cd "$WORK/claude-home/work" && exec env -i PATH="$(dirname "$PASSERELLE_NODE"):$PATH" HOME="$WORK/claude-home" \
    ANTHROPIC_BASE_URL="$GATEWAY_URL" ANTHROPIC_API_KEY="$TOKEN" \
    DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 CLAUDE_CODE_MAX_OUTPUT_TOKENS=32 \
    "$CLAUDE" -p "Say hello" >"$WORK/claude.out" 2>"$WORK/claude.err") &
CLAUDE_PID=$!
ANSWERED=""
for _ in $(seq 1 1200); do
    ANSWERED=$(grep -E 'POST /v1/messages 200 [0-9]+ms agent=main stream tokens=[0-9]{4,}\+[1-9]' "$WORK/passerelle.log" | head -n1 || true)
    [[ -n "$ANSWERED" ]] && break
    kill -0 "$CLAUDE_PID" 2>/dev/null || break
    sleep 0.5
done
kill "$CLAUDE_PID" 2>/dev/null; wait "$CLAUDE_PID" 2>/dev/null || true
kill "$GATEWAY_PID" 2>/dev/null; wait "$GATEWAY_PID" 2>/dev/null || true
if [[ -z "$ANSWERED" ]]; then
    echo "e2e: no streamed 200 for Claude Code's request"; cat "$WORK/claude.out" "$WORK/claude.err"
    echo "--- passerelle log"; tail -20 "$WORK/passerelle.log"; exit 1
fi
echo "   $ANSWERED"
phase_end

TOTAL=$(awk -v a="$T_ALL" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
echo
echo "Timings:"
printf '  %s\n' "${TIMINGS[@]}"
printf '  %-62s %7s s\n' "total" "$TOTAL"
