#!/usr/bin/env bash
# Installs what is missing, builds Passerelle in Release and starts it: the control panel where
# there is a display, headless otherwise. The built-in echo agent answers on 127.0.0.1:18789.
# Extra arguments go to passerelle (e.g. --headless, --config PATH, --port N).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target passerelle
exec build/release/app/passerelle "$@"
