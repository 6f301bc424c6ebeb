#!/usr/bin/env bash
# Fails when a C++ file is not in the project's .clang-format style.
# Usage: scripts/check-format.sh [--changed BASE]   (default: every tracked .cpp/.h file;
#        --changed: only those changed since BASE, e.g. origin/main or HEAD~3)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null 2>&1 || { echo "check-format: clang-format is not installed (apt-get install clang-format)"; exit 2; }
if [ "${1:-}" = "--changed" ]; then
  files=$(git diff --name-only --diff-filter=d "${2:?a base revision}" -- '*.cpp' '*.h')
else
  files=$(git ls-files '*.cpp' '*.h')
fi
mapfile -t bad < <(for f in $files; do [ -f "$f" ] && echo "$f"; done \
  | xargs -r -n 8 -P 2 sh -c 'for f; do clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done' _)
if [ ${#bad[@]} -gt 0 ]; then
  echo "Not in .clang-format style (run: clang-format -i <file>):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "Formatting: $(echo "$files" | grep -c . || true) files checked, all in style."
