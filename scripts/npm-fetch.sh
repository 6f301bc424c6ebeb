# Sourced by the scripts that fetch from the npm registry (install-clients.sh,
# tests/e2e/llama_server.sh): bounded fetch settings, and the one line that says why npm failed.
# A stalled download is abandoned after 2 minutes, retried once with a short back-off.
npm_fetch_opts=(--fetch-timeout=120000 --fetch-retries=1 --fetch-retry-mintimeout=1000
                --fetch-retry-maxtimeout=4000)

# npm_reason <npm log>: its first meaningful "npm error" line, e.g. "request to
# http://127.0.0.1:9/-/ping failed, reason: connect ECONNREFUSED 127.0.0.1:9".
npm_reason() {
  sed -n 's/^npm \(error\|ERR!\) //p' "$1" \
    | grep -v -E '^(code|errno|syscall|type) |^ +at |^ *[{}]|^ *[a-z]+: |^$|A complete log|If you are behind a proxy' \
    | head -n1 | sed 's/^FetchError: //' || true
}

# npm_registry_problem <log file>: empty when the configured registry answers a ping within
# 15 s, else why not.
npm_registry_problem() {
  if npm ping --fetch-timeout=15000 --fetch-retries=0 >"$1" 2>&1; then return 0; fi
  local reason
  reason=$(npm_reason "$1")
  echo "${reason:-no answer}"
}
