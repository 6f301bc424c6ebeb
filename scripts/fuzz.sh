#!/usr/bin/env bash
# Builds the libFuzzer harnesses (preset `fuzz`: clang, ASan, UBSan) and runs each for [seconds]
# (default 60) from its committed seeds in fuzz/corpus/<name>/. What a run adds to the corpus stays
# in build/fuzz/corpus/; a crash, hang or leak leaves its input in build/fuzz/artifacts/<name>/
# and fails the script. CI runs it for a few seconds each.
# Usage: scripts/fuzz.sh [seconds] [name...]   (names: requesthead sseparser json5 ...)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bash scripts/install-deps.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for exe in build/fuzz/fuzz/fuzz_*; do
    [ -f "$exe" ] && [ -x "$exe" ] && names+=("${exe##*/fuzz_}")
  done
fi
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export QT_LOGGING_RULES="*.debug=false;*.warning=false"
failed=()
for name in "${names[@]}"; do
  work=build/fuzz/corpus/$name
  artifacts=build/fuzz/artifacts/$name
  mkdir -p "$work" "$artifacts"
  log=build/fuzz/$name.log
  # -timeout: one input taking over 5 s is a hang; -max_len bounds inputs to what a parser's
  # slices see (a head is at most 64 KiB; JSON bodies well under it here).
  if build/fuzz/fuzz/fuzz_"$name" "$work" "fuzz/corpus/$name" -max_total_time="$seconds" \
       -timeout=5 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$artifacts/" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$name: ${runs:-?} executions in ${seconds} s, no finding"
  else
    echo "fuzz_$name: FAILED (see $log and $artifacts/)"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly signal|timeout' "$log" || true
    failed+=("$name")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz findings: ${failed[*]}"; exit 1; }
