#!/usr/bin/env bash
# Runs one real-client suite (node's test runner) against the built binary, offline: on the pinned
# Node.js with the pinned packages that scripts/install-clients.sh installed (it never installs).
# Usage: run.sh <passerelle binary> <work dir> <test file>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$1"; work="$2"; suite="$3"
clients_src="$here"
# shellcheck source=../../scripts/clients-env.sh
source "$here/../../scripts/clients-env.sh"
for dir in "$PASSERELLE_RUNTIME_DIR" "$PASSERELLE_CLIENTS_DIR"; do
  if [ ! -f "$dir/.installed" ]; then
    echo "run.sh: the real-client packages pinned by tests/clients/package-lock.json are not" \
         "installed ($dir): run bash scripts/install-clients.sh (scripts/test.sh does)" >&2
    exit 1
  fi
done
touch "$PASSERELLE_RUNTIME_DIR/.installed" "$PASSERELLE_CLIENTS_DIR/.installed" # recently used

# The suite imports its packages from the work directory's node_modules (ES modules resolve from
# the importing file, so the suites are copied beside it); one directory per suite, as ctest runs
# them in parallel.
work="$work/${suite%%.*}"
mkdir -p "$work"
ln -sfn "$PASSERELLE_CLIENTS_DIR/node_modules" "$work/node_modules"
cp "$here"/*.mjs "$work/"
export PASSERELLE_BIN="$binary"
export PASSERELLE_README="$here/../../README.md"
export PASSERELLE_TESTS_DIR="$(cd "$here/.." && pwd)"
export PATH="$(dirname "$PASSERELLE_NODE"):$PASSERELLE_CLIENTS_DIR/node_modules/.bin:$PATH"
# No registry from here on: anything that would reach it fails at once.
export npm_config_offline=true
cd "$work"
exec "$PASSERELLE_NODE" --test --test-reporter=spec "$work/$suite"
