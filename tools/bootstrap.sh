#!/usr/bin/env bash
# One entry point for a newcomer on Debian 12 (as root) and for CI:
#   tools/bootstrap.sh demo   install what is missing, build (release), run the main job (a drill)
#   tools/bootstrap.sh serve  the same, then open the web duty desk on the drill's store (prints the URL and
#                             the demo users' passwords)
#   tools/bootstrap.sh test   install what is missing, build (asan: ASan+UBSan), run every test (including the
#                             browser tests: Debian's chromium driven by playwright-core from tests/e2e, npm ci;
#                             the PostgreSQL store tests against a throwaway cluster: tools/pg_cluster.sh, initdb in
#                             a temporary directory, 127.0.0.1, stopped and removed at the end), then a short fuzz run
#                             of every parser (tools/fuzz.sh --ci: clang-14 libFuzzer). Warnings as errors in that
#                             build (FIREBREAK_WERROR in the asan preset)
#   tools/bootstrap.sh fuzz   install, build the fuzz preset, fuzz every harness for 60 s (tools/fuzz.sh ARGS)
#   tools/bootstrap.sh deps   only install the Debian packages
#   tools/bootstrap.sh bench  install, build (release), run the benchmarks (see docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build pkg-config git ccache
  libboost-graph-dev libgdal-dev gdal-bin libeigen3-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libyaml-dev nlohmann-json3-dev libcli11-dev
  libssl-dev libutf8proc-dev hyperfine python3 python3-gdal python3-networkx
  libsodium-dev libjs-leaflet nodejs chromium fonts-wqy-microhei wrk libcpp-httplib-dev
  clang-14 libclang-rt-14-dev llvm-14  # clang-14 + compiler-rt: libFuzzer harnesses (tools/fuzz.sh)
  clang-format-14                      # the formatting test (tools/check_format.sh)
  postgresql libpq-dev)                 # the shared store's server (tests: tools/pg_cluster.sh) and client library

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm: Debian's package, unless a nodejs that bundles npm (e.g. NodeSource's) is installed.
  command -v npm >/dev/null || missing+=(npm)
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
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Paths relative to the clone, and no build directory in the hash: a second clone reuses the cache.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
  fi
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
    rc=0
    ./build/release/cli/firebreak drill scenarios/03-sensitive-clock-escalation.yaml \
      --store "$demo/duty-office.sqlite" --dem "$demo/dem.tif" --layers "$demo/layers.yaml" "$@" || rc=$?
    echo
    echo "值班台 / the web duty desk on this store:  bash tools/bootstrap.sh serve   (then open the URL it prints)"
    exit $rc
    ;;
  serve)
    install_deps
    build release firebreak
    demo=build/demo
    fb=./build/release/cli/firebreak
    [ -f "$demo/dem.tif" ] || $fb demo-data "$demo" >/dev/null
    [ -f "$demo/duty-office.sqlite" ] || $fb drill scenarios/03-sensitive-clock-escalation.yaml \
      --store "$demo/duty-office.sqlite" --dem "$demo/dem.tif" --layers "$demo/layers.yaml" >/dev/null || true
    # Demo users, one per deciding role and a duty officer, with random passwords (kept in users.txt).
    if [ "$($fb users list --store "$demo/duty-office.sqlite" --format json)" = "[]" ]; then
      umask 077
      : > "$demo/users.txt"
      for u in duty:city_hq_office:值班员 director:office_director:办公室主任 deputy:deputy_commander:副指挥长 \
               commander:commander:指挥长; do
        IFS=: read -r name role label <<< "$u"
        pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
        echo "$pw" | $fb users add "$name" --role "$role" --name "$label" --store "$demo/duty-office.sqlite" >/dev/null
        echo "$name  $pw  ($role)" >> "$demo/users.txt"
      done
    fi
    echo "Demo users (user  password  role), also in $demo/users.txt:"
    cat "$demo/users.txt" 2>/dev/null || echo "  (created earlier; see firebreak users list --store $demo/duty-office.sqlite)"
    exec $fb serve --store "$demo/duty-office.sqlite" --dem "$demo/dem.tif" --layers "$demo/layers.yaml" \
      --forces data/forces/liuzhou-demo.yaml "$@"
    ;;
  test)
    install_deps
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)  # browser tests
    build asan
    # A throwaway PostgreSQL cluster for the shared-store tests (FIREBREAK_TEST_PG; docs/postgresql.md, Tests).
    pgdir=$(mktemp -d /tmp/firebreak-pg.XXXXXX)
    trap 'tools/pg_cluster.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
    rmdir "$pgdir"
    eval "export $(tools/pg_cluster.sh start "$pgdir" | tr '\n' ' ')"
    ctest --preset asan -j "$(nproc)" "$@"
    tools/fuzz.sh --ci
    ;;
  fuzz)
    install_deps
    exec tools/fuzz.sh "$@"
    ;;
  bench)
    install_deps
    build release
    exec tools/run_benchmarks.sh "$@"
    ;;
  *) echo "usage: tools/bootstrap.sh demo|serve|test|deps|bench|fuzz" >&2; exit 2 ;;
esac
