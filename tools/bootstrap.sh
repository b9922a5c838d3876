#!/usr/bin/env bash
# One entry point for a newcomer on Debian 12 (as root) and for CI:
#   tools/bootstrap.sh demo   install what is missing, build (release), run the main job (a drill)
#   tools/bootstrap.sh test   install what is missing, build (asan: ASan+UBSan), run every test
#   tools/bootstrap.sh deps   only install the Debian packages
#   tools/bootstrap.sh bench  install, build (release), run the benchmarks (see docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build pkg-config git ccache
  libboost-graph-dev libgdal-dev gdal-bin libeigen3-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libssl-dev libutf8proc-dev hyperfine python3 python3-gdal python3-networkx)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  echo "bootstrap: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build PRESET [TARGET...]: configure and build (all targets unless some are named).
build() {
  local preset=$1
  shift
  local launcher=() targets=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  [ $# -gt 0 ] && targets=(--target "$@")
  cmake --preset "$preset" "${launcher[@]}" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
}

cmd=${1:-demo}
shift || true
case "$cmd" in
  deps) install_deps ;;
  demo)
    install_deps
    build release firebreak   # the binary and its geo plugin
    # The main job: a drill of a bundled scenario into a fresh SQLite file store, with the project's own
    # generated demo terrain (firebreak demo-data: a synthetic DEM, fuel raster and map layers).
    demo=build/demo
    ./build/release/cli/firebreak demo-data "$demo" >/dev/null
    rm -f "$demo"/duty-office.sqlite*
    exec ./build/release/cli/firebreak drill scenarios/03-sensitive-clock-escalation.yaml \
      --store "$demo/duty-office.sqlite" --dem "$demo/dem.tif" --layers "$demo/layers.yaml" "$@"
    ;;
  test)
    install_deps
    build asan
    ctest --preset asan -j "$(nproc)" "$@"
    ;;
  bench)
    install_deps
    build release
    exec tools/run_benchmarks.sh "$@"
    ;;
  *) echo "usage: tools/bootstrap.sh demo|test|deps|bench" >&2; exit 2 ;;
esac
