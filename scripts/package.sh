#!/usr/bin/env bash
# Builds the Debian package passerelle_<version>_amd64.deb into the repository's root: a Release
# build (the `package` preset, build/package) and `cpack -G DEB` (packaging/CMakeLists.txt).
# Install it with: sudo apt-get install ./passerelle_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --package
# With ccache, the objects of an earlier `ci` build (same flags) are reused: paths are made
# relative to the clone.
if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
start=$(date +%s)
cmake --preset package >/dev/null
cmake --build --preset package
rm -f build/package/passerelle_*.deb
(cd build/package && cpack -G DEB >cpack.log 2>&1) || { tail -30 build/package/cpack.log; exit 1; }
deb=$(cd build/package && ls passerelle_*_*.deb)
rm -f passerelle_*.deb
mv "build/package/$deb" .
echo "Built $deb in $(( $(date +%s) - start )) s: $(du -k "$deb" | cut -f1) KiB;" \
     "$(dpkg-deb -f "$deb" Installed-Size) KiB installed"
echo "Depends: $(dpkg-deb -f "$deb" Depends)"
