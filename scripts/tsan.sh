#!/usr/bin/env bash
# Builds the core, the binary and their tests with ThreadSanitizer (preset `tsan`, clang; no
# widgets) and runs the suite but the npm clients. Any data race, lock-order inversion or
# thread leak fails its test. Usage: scripts/tsan.sh [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --fuzz --test
cmake --preset tsan >/dev/null
cmake --build --preset tsan
# ignore_noninstrumented_modules: accesses made by interceptors (memcpy, free...) called from Qt's
# own libraries, which Debian does not build with TSan, are not checked; every access of
# Passerelle's code still is. tests/tsan.supp: only documented races inside Qt.
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$PWD/tests/tsan.supp"
ctest --preset tsan -j2 "$@"
