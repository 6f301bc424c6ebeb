#!/usr/bin/env bash
# Smoke test of the installed Debian package (.ci/run: after `apt-get install ./passerelle_*.deb`):
# its files are where a desktop and systemd look for them, `passerelle --version` runs, and a
# first headless start in an empty HOME prints a token that then works: /health and one chat
# completion from the echo agent.
# Usage: tests/e2e/package_smoke.sh [path/to/passerelle]   (default /usr/bin/passerelle)
set -euo pipefail
BIN=${1:-/usr/bin/passerelle}
fail() { echo "package smoke: $*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "   ok $*"; }

version=$("$BIN" --version) || fail "$BIN --version failed"
[[ "$version" =~ ^passerelle\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "unexpected --version: $version"
ok "$BIN --version: $version"

for f in /usr/share/applications/passerelle.desktop \
         /usr/share/icons/hicolor/scalable/apps/passerelle.svg \
         /usr/share/man/man1/passerelle.1.gz \
         /usr/lib/systemd/user/passerelle.service \
         /usr/share/passerelle/translations/passerelle_fr.qm \
         /usr/share/passerelle/translations/passerelle_en.qm; do
  [[ -s "$f" ]] || fail "$f is missing"
done
ok "desktop file, icon, man page, user unit and catalogues installed"
for option in headless config port version; do # the OPTIONS section, from --help
  zcat /usr/share/man/man1/passerelle.1.gz | grep -qF "\\fB\\-\\-$option" || fail "the man page lacks --$option"
done
grep -q '^ExecStart=/usr/bin/passerelle --headless$' /usr/lib/systemd/user/passerelle.service \
  || fail "the user unit does not run /usr/bin/passerelle --headless"
grep -q '^Exec=passerelle$' /usr/share/applications/passerelle.desktop || fail "the desktop file's Exec"
ok "man page from --help, unit and desktop file name the installed binary"
if command -v systemd-analyze >/dev/null 2>&1; then
  runtime=$(mktemp -d) # a user manager's runtime directory, for the offline check
  XDG_RUNTIME_DIR=$runtime systemd-analyze verify --user --man=no /usr/lib/systemd/user/passerelle.service \
    || fail "systemd-analyze verify found problems in the user unit"
  rm -rf "$runtime"
  ok "systemd-analyze verify --user: the user unit is valid"
fi

home=$(mktemp -d)
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$home"
}
trap cleanup EXIT
env -i PATH=/usr/bin:/bin HOME="$home" "$BIN" --headless --port 0 >"$home/out.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$home/out.log" | sed 's/listening on //' || true)
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$home/out.log"; fail "passerelle --headless exited"; }
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$home/out.log"; fail "passerelle --headless did not start listening"; }
token=$(grep -A1 '^First run: created the config' "$home/out.log" | tail -n1 | tr -d ' ')
[[ -n "$token" ]] || { cat "$home/out.log"; fail "no first-run token printed"; }
[[ -f "$home/.config/passerelle/passerelle.json" ]] || fail "no config written in the temporary HOME"
ok "first headless start: listening on $url, config and token written"

health=$(curl -sS "$url/health")
[[ "$health" == '{"ok":true,"status":"live"}' ]] || fail "/health answered $health"
ok "/health: $health"
answer=$(curl -sS "$url/v1/chat/completions" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d '{"model":"openclaw","messages":[{"role":"user","content":"smoke test of the package"}]}')
grep -q '"content":"smoke test of the package"' <<<"$answer" || fail "chat completion answered $answer"
ok "chat completion with the first-run token: the echo agent answered"
denied=$(curl -sS -o /dev/null -w '%{http_code}' "$url/v1/chat/completions" -H 'Authorization: Bearer wrong' \
  -H 'Content-Type: application/json' -d '{"model":"openclaw","messages":[{"role":"user","content":"x"}]}')
[[ "$denied" == 401 ]] || fail "a wrong token got $denied, not 401"
ok "a wrong token: 401"
kill "$pid"
wait "$pid" && status=0 || status=$?
pid=""
[[ $status -eq 0 ]] || fail "passerelle exited $status on SIGTERM"
ok "clean exit on SIGTERM"
echo "package smoke: $passed passed, 0 failed"
