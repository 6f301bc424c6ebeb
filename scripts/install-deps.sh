#!/usr/bin/env bash
# Installs the Debian 12 packages Passerelle needs to build, run and test, only those missing.
# Usage: scripts/install-deps.sh [--test] [--dev]   (--dev: the formatting check's clang-format;
# --test: what the tests start: Xvfb, a PostgreSQL server and nginx for the several-gateways tests)
set -euo pipefail

packages=(cmake g++ ninja-build
          qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools
          qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 libgl-dev)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(xvfb xauth postgresql nginx) ;;
    --dev) packages+=(clang-format) ;;
  esac
done
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

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
