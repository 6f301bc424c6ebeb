#!/usr/bin/env bash
# Runs one real-client suite (node's test runner) against the built binary.
# Usage: run.sh <passerelle binary> <work dir> <test file>
# Installs the suite's npm packages into <work dir> once (from the npm registry).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$1"; work="$2"; suite="$3"
mkdir -p "$work"
if ! cmp -s "$here/package.json" "$work/package.json" || [ ! -d "$work/node_modules" ]; then
  cp "$here/package.json" "$work/package.json"
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
export PASSERELLE_BIN="$binary"
export PASSERELLE_TESTS_DIR="$(cd "$here/.." && pwd)"
export NODE_PATH="$work/node_modules"
cd "$work"
cp "$here"/*.mjs "$work/"
exec node --test --test-reporter=spec "$work/$suite"
