#!/usr/bin/env bash
# End-to-end check against a real OpenAI-compatible server nobody here wrote (issue 3, item 6):
# llama.cpp's llama-server with a tiny random-weight GGUF model, behind Passerelle.
#
#   tests/e2e/llama_server.sh [path/to/passerelle]
#
# Phases (each timed):
#   1. npm install node-llama-cpp@3.21.1 into a cache outside the repo (skipped when cached);
#   2. use a prebuilt llama-server from its @node-llama-cpp/* packages if one ships (3.21.1 ships
#      only libraries), else build llama-server with cmake from the llama.cpp source it bundles
#      (cached: later runs reuse the binary);
#   3. start llama-server on a free port with the tiny model;
#   4. start `passerelle --headless` with a temporary config whose agent points at it;
#   5. ask llama-server directly and through Passerelle (non-streaming and streaming, temperature 0)
#      and require the same text (tests/e2e/llama_server_check.mjs), on Chat Completions and on the
#      Anthropic Messages API (tests/e2e/messages_check.mjs);
#   6. README's "Claude Code on a local model": `claude -p` (npm @anthropic-ai/claude-code, cached
#      like node-llama-cpp) with ANTHROPIC_BASE_URL the gateway, its model names answered by the
#      llama agent through the `claude-*` alias; its first request must come back as a streamed
#      200 with the model's tokens (a random-weight model never ends its turn, see phase 6).
#
# Environment: PASSERELLE_BIN (else the argument, else build/dev/app/passerelle or build/app/passerelle),
# PASSERELLE_E2E_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/passerelle-e2e), LLAMA_MODEL (default:
# ../shared/models/tiny-random-llama.gguf beside the repo, then /work/shared/models/...),
# E2E_BUILD_JOBS (default: nproc), E2E_LLAMA_OPT (default -O0: compiler optimisation of llama.cpp),
# LLAMA_SERVER (a llama-server binary to use instead of phase 2's).
#
# Measured on the 2-core machine (other builds running at the same time): npm install 35 s; the
# llama-server build 18 min at -O0 (27 min at -O3); then start + requests under 10 s. The build is
# cached in PASSERELLE_E2E_CACHE, so later runs take seconds.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$REPO/tests/e2e"
NODE_LLAMA_CPP_VERSION=3.21.1
CLAUDE_CODE_VERSION=2.1.328
CACHE=${PASSERELLE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/passerelle-e2e}
JOBS=${E2E_BUILD_JOBS:-$(nproc)}
LLAMA_OPT=${E2E_LLAMA_OPT:--O0}

BIN=${PASSERELLE_BIN:-${1:-}}
if [[ -z "$BIN" ]]; then
    for candidate in "$REPO/build/dev/app/passerelle" "$REPO/build/ci/app/passerelle" \
                     "$REPO/build/release/app/passerelle" "$REPO/build/app/passerelle"; do
        if [[ -x "$candidate" ]]; then BIN=$candidate; break; fi
    done
fi
[[ -n "$BIN" && -x "$BIN" ]] || { echo "e2e: no passerelle binary (build first, or pass its path)" >&2; exit 2; }

MODEL=${LLAMA_MODEL:-}
if [[ -z "$MODEL" ]]; then
    for candidate in "$REPO/../shared/models/tiny-random-llama.gguf" "/work/shared/models/tiny-random-llama.gguf"; do
        if [[ -f "$candidate" ]]; then MODEL=$(cd "$(dirname "$candidate")" && pwd)/$(basename "$candidate"); break; fi
    done
fi
[[ -n "$MODEL" && -f "$MODEL" ]] || { echo "e2e: tiny-random-llama.gguf not found (set LLAMA_MODEL)" >&2; exit 2; }

command -v node >/dev/null && command -v npm >/dev/null || { echo "e2e: node and npm are needed" >&2; exit 2; }

declare -a TIMINGS=()
phase_start() { PHASE_NAME=$1; PHASE_T0=$(date +%s.%N); echo "== $1"; }
phase_end() {
    local t; t=$(awk -v a="$PHASE_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
    TIMINGS+=("$(printf '%-62s %7s s' "$PHASE_NAME${1:+ ($1)}" "$t")")
    echo "   done in ${t} s${1:+ ($1)}"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/passerelle-e2e.XXXXXX")
LLAMA_PID=""
GATEWAY_PID=""
cleanup() {
    [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
    [[ -n "$LLAMA_PID" ]] && kill "$LLAMA_PID" 2>/dev/null && wait "$LLAMA_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_http() { # url seconds
    node -e '
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

# 1. node-llama-cpp from npm
phase_start "npm install node-llama-cpp@$NODE_LLAMA_CPP_VERSION"
NPM_DIR="$CACHE/npm-$NODE_LLAMA_CPP_VERSION"
PKG="$NPM_DIR/node_modules/node-llama-cpp"
if [[ -f "$PKG/package.json" ]] && grep -q "\"version\": \"$NODE_LLAMA_CPP_VERSION\"" "$PKG/package.json"; then
    phase_end "cached"
else
    mkdir -p "$NPM_DIR"
    [[ -f "$NPM_DIR/package.json" ]] || echo '{"name":"passerelle-e2e-llama","private":true}' > "$NPM_DIR/package.json"
    # --ignore-scripts: its postinstall would try to fetch or build binaries on its own.
    npm install --prefix "$NPM_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error \
        "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >/dev/null
    phase_end
fi

# 2. a llama-server binary
phase_start "llama-server binary"
if [[ -n "${LLAMA_SERVER:-}" ]]; then
    [[ -x "$LLAMA_SERVER" ]] || { echo "e2e: LLAMA_SERVER=$LLAMA_SERVER is not executable" >&2; exit 2; }
    phase_end "given: $LLAMA_SERVER"
else
LLAMA_SERVER=$(find "$NPM_DIR/node_modules/@node-llama-cpp" -type f -name 'llama-server' -perm -u+x 2>/dev/null | grep linux-x64 | head -n1 || true)
if [[ -n "$LLAMA_SERVER" ]]; then
    phase_end "prebuilt: $LLAMA_SERVER"
else
    TAG=$(node -e 'console.log(require(process.argv[1]).tag)' "$PKG/llama/llama.cpp.info.json")
    SRC="$CACHE/llama.cpp-$TAG"
    LLAMA_SERVER="$SRC/build/bin/llama-server"
    if [[ -x "$LLAMA_SERVER" ]]; then
        phase_end "cached build of llama.cpp $TAG"
    else
        echo "   no prebuilt llama-server in @node-llama-cpp/* (only libraries): building llama.cpp $TAG from the bundled source"
        rm -rf "$SRC"
        git clone --quiet "$PKG/llama/gitRelease.bundle" "$SRC" 2>/dev/null
        # -O0 by default: about a fifth less compile time than -O3 (the build is the long phase), and
        # the tiny model still answers in well under a second (E2E_LLAMA_OPT=-O3 for a fast server).
        cmake -S "$SRC" -B "$SRC/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            "-DCMAKE_C_FLAGS_RELEASE=$LLAMA_OPT -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELEASE=$LLAMA_OPT -DNDEBUG" \
            -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON \
            -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
            -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
            > "$SRC/configure.log" 2>&1 || { tail -30 "$SRC/configure.log"; exit 1; }
        cmake --build "$SRC/build" --target llama-server -j "$JOBS" > "$SRC/build.log" 2>&1 \
            || { tail -30 "$SRC/build.log"; exit 1; }
        phase_end "built llama.cpp $TAG, $LLAMA_OPT, $JOBS jobs"
    fi
fi
fi

# 3. llama-server with the tiny model
phase_start "start llama-server"
LLAMA_PORT=$(free_port)
# No prompt cache: a cached prefix changes the arithmetic a little, and with random weights that
# can flip a greedy token; every request then computes the same way. A long context: Claude Code's
# system prompt and tools take about 17k tokens (the tiny model declares 1024, which caps -c unless
# overridden).
"$LLAMA_SERVER" -m "$MODEL" --host 127.0.0.1 --port "$LLAMA_PORT" -c 32768 -np 1 -t 2 \
    --override-kv llama.context_length=int:32768 \
    --no-cache-prompt --no-webui --offline > "$WORK/llama-server.log" 2>&1 &
LLAMA_PID=$!
wait_for_http "http://127.0.0.1:$LLAMA_PORT/health" 120 || { tail -30 "$WORK/llama-server.log"; exit 1; }
phase_end "port $LLAMA_PORT"

# 4. the gateway in front of it
phase_start "start passerelle --headless"
TOKEN=e2e-$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
mkdir -p "$WORK/home"
cat > "$WORK/passerelle.json" <<EOF
{
  // written by tests/e2e/llama_server.sh
  gateway: {
    port: 0,
    auth: { mode: 'token', token: '$TOKEN' },
    http: { endpoints: { chatCompletions: { enabled: true } } },
  },
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
    "$BIN" --headless --config "$WORK/passerelle.json" --port 0 > "$WORK/passerelle.log" 2>&1 &
GATEWAY_PID=$!
GATEWAY_URL=""
for _ in $(seq 1 100); do
    GATEWAY_URL=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$WORK/passerelle.log" | head -n1 | sed 's/listening on //' || true)
    [[ -n "$GATEWAY_URL" ]] && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || break
    sleep 0.1
done
[[ -n "$GATEWAY_URL" ]] || { cat "$WORK/passerelle.log"; exit 1; }
phase_end "$GATEWAY_URL"

# 5. the same answers directly and through the relay
phase_start "requests (direct vs. through Passerelle)"
node "$HERE/llama_server_check.mjs" "http://127.0.0.1:$LLAMA_PORT/v1" "$GATEWAY_URL/v1" "$TOKEN" \
    || { echo "--- passerelle log"; tail -40 "$WORK/passerelle.log"; echo "--- llama-server log"; tail -20 "$WORK/llama-server.log"; exit 1; }
node "$HERE/messages_check.mjs" "http://127.0.0.1:$LLAMA_PORT/v1" "$GATEWAY_URL" "$TOKEN" \
    || { echo "--- passerelle log"; tail -40 "$WORK/passerelle.log"; exit 1; }
phase_end

# 6. Claude Code through Passerelle on llama-server
phase_start "claude -p through Passerelle (@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION)"
CC_DIR="$CACHE/npm-claude-code-$CLAUDE_CODE_VERSION"
CLAUDE="$CC_DIR/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
if [[ ! -x "$CLAUDE" ]] || ! "$CLAUDE" --version >/dev/null 2>&1; then
    mkdir -p "$CC_DIR"
    [[ -f "$CC_DIR/package.json" ]] || echo '{"name":"passerelle-e2e-claude","private":true}' > "$CC_DIR/package.json"
    npm install --prefix "$CC_DIR" --no-audit --no-fund --loglevel=error \
        "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" >/dev/null
fi
mkdir -p "$WORK/claude-home/work"
# A random-weight model never ends its turn: Claude Code would go on asking it to continue, each
# round minutes of prompt processing here. The check is its first round: Claude Code's own request
# (system prompt, tools and all, about 17k tokens) relayed to llama-server and its streamed answer
# back as Anthropic events, 200 in the gateway's log; then Claude Code is stopped. (With the echo
# agent the suite runs `claude -p` to its end: tests/clients/claude-code.test.mjs.)
(cd "$WORK/claude-home/work" && exec env -i PATH="$PATH" HOME="$WORK/claude-home" \
    ANTHROPIC_BASE_URL="$GATEWAY_URL" ANTHROPIC_API_KEY="$TOKEN" \
    DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 CLAUDE_CODE_MAX_OUTPUT_TOKENS=32 \
    "$CLAUDE" -p "Say hello" > "$WORK/claude.out" 2> "$WORK/claude.err") &
CLAUDE_PID=$!
ANSWERED=""
for _ in $(seq 1 1200); do
    ANSWERED=$(grep -E 'POST /v1/messages 200 [0-9]+ms agent=main stream tokens=[0-9]{4,}\+[1-9]' "$WORK/passerelle.log" | head -n1 || true)
    [[ -n "$ANSWERED" ]] && break
    kill -0 "$CLAUDE_PID" 2>/dev/null || break
    sleep 0.5
done
kill "$CLAUDE_PID" 2>/dev/null; wait "$CLAUDE_PID" 2>/dev/null || true
if [[ -z "$ANSWERED" ]]; then
    echo "no streamed 200 for Claude Code's request"; cat "$WORK/claude.out" "$WORK/claude.err"
    echo "--- passerelle log"; tail -20 "$WORK/passerelle.log"; exit 1
fi
echo "   $ANSWERED"
phase_end

TOTAL=$(awk -v a="$T_ALL" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
echo
echo "Timings:"
printf '  %s\n' "${TIMINGS[@]}"
printf '  %-62s %7s s\n' "total" "$TOTAL"
echo "e2e llama-server: 3 passed, 0 failed"
