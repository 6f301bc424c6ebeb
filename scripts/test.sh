#!/usr/bin/env bash
# Installs what is missing, builds every target and runs every test (unit, HTTP contract, widget,
# real-client suites). `--asan` builds and runs the same suite with ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=ci
if [ "${1:-}" = "--asan" ]; then
  preset=ci-asan
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
fi
bash scripts/install-deps.sh --test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j2
