#!/usr/bin/env bash
# Installs what is missing, builds every target and runs every test (unit, HTTP contract, widget,
# real-client suites). `--asan` builds and runs the same suite with ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=ci
[ "${1:-}" = "--asan" ] && preset=ci-asan
bash scripts/install-deps.sh --test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j2
