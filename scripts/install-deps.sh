#!/usr/bin/env bash
# Installs the Debian 12 packages Passerelle needs to build, run and test, only those missing.
# Usage: scripts/install-deps.sh [--test] [--dev] [--package]
#   --test: also what the tests need (Xvfb, Prometheus, wrk, nginx, a PostgreSQL server for the
#           several-gateways tests), and the real-client tests' pinned Node.js and npm packages
#           (scripts/install-clients.sh; once, into a cache outside the clone)
#   --dev: the formatting check's clang-format
#   --fuzz: clang and its libFuzzer/sanitizer runtimes for the fuzz and tsan presets
#   --package: what scripts/package.sh and its smoke test need (dpkg-shlibdeps, help2man, curl)
set -euo pipefail

packages=(cmake g++ ninja-build
          qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools
          qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 libgl-dev)
clients=false
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(xvfb xauth curl prometheus wrk nginx postgresql); clients=true # wrk, nginx: bench/run.sh --quick (ctest -L bench)
            command -v npm >/dev/null 2>&1 || packages+=(nodejs npm) ;;
    --dev) packages+=(clang-format) ;;
    --package) packages+=(dpkg-dev file help2man curl) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if $clients; then
  bash "$(dirname "$0")/install-clients.sh"
fi
