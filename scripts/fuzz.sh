#!/usr/bin/env bash
# Builds the libFuzzer harnesses (preset `fuzz`: clang, ASan, UBSan) and runs each one listed in
# fuzz/CMakeLists.txt for [seconds] (default 60) from its committed seeds in fuzz/corpus/<name>/
# (and its dictionary fuzz/<name>.dict when there is one). What a run adds to the corpus stays in
# build/fuzz/corpus/; a crash, hang, leak or sanitizer report leaves its input in
# build/fuzz/artifacts/<name>/ and fails the script, as does a listed harness that did not build.
# CI runs it for a few seconds each.
# Usage: scripts/fuzz.sh [seconds] [name...]   (names: those of PASSERELLE_FUZZERS)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bash scripts/install-deps.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# The names of set(PASSERELLE_FUZZERS ...), one per line up to its closing parenthesis.
mapfile -t listed < <(sed -n '/^set(PASSERELLE_FUZZERS/,/)/{s/^set(PASSERELLE_FUZZERS//;s/[()]//g;s/^ *//;s/ *$//;/^$/d;p}' fuzz/CMakeLists.txt)
[ ${#listed[@]} -gt 0 ] || { echo "no harness listed in fuzz/CMakeLists.txt"; exit 1; }
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${listed[@]}")

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export QT_LOGGING_RULES="*.debug=false;*.warning=false"
failed=()
for name in "${names[@]}"; do
  exe=build/fuzz/fuzz/fuzz_$name
  if [[ ! " ${listed[*]} " == *" $name "* ]] || [ ! -x "$exe" ]; then
    echo "fuzz_$name: not a harness of fuzz/CMakeLists.txt, or not built"
    failed+=("$name")
    continue
  fi
  work=build/fuzz/corpus/$name
  artifacts=build/fuzz/artifacts/$name
  mkdir -p "$work" "$artifacts"
  log=build/fuzz/$name.log
  # -timeout: one input taking over 5 s is a hang. -max_len bounds inputs to what a parser's
  # slices see: JSON bodies well under 64 KiB here; the HTTP parsers get room past their 64 KiB
  # head limits so that what happens at the limit is fuzzed too.
  max_len=65536
  case $name in
    requesthead | httprequest | httpresponse | wshandshake) max_len=139264 ;;
  esac
  extra=()
  [ -f "fuzz/$name.dict" ] && extra+=("-dict=fuzz/$name.dict")
  if "$exe" "$work" "fuzz/corpus/$name" -max_total_time="$seconds" -timeout=5 \
       -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 \
       -artifact_prefix="$artifacts/" "${extra[@]}" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$name: ${runs:-?} executions in ${seconds} s, no finding"
  else
    echo "fuzz_$name: FAILED (see $log and $artifacts/)"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly signal|timeout' "$log" || true
    failed+=("$name")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz findings: ${failed[*]}"; exit 1; }
