#!/bin/sh
# Wall time of whole `firebreak assess` processes on one report (rule loading + parsing + assessment + output).
# Usage: tools/bench_assess_process.sh [BUILD_DIR] [RUNS]   (default build/b-rel, 200 runs)
# Uses hyperfine when installed (Debian: apt-get install -y hyperfine), else a timed shell loop.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build/b-rel"}
runs=${2:-200}
bin="$build/cli/firebreak"
report="$root/tests/engine/data/iii-area-casualties-night.json"
[ -x "$bin" ] || { echo "no $bin: build the firebreak target in a Release dir first" >&2; exit 2; }
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 10 --runs "$runs" \
    "$bin assess $report" \
    "$bin assess --format json $report"
else
  start=$(date +%s%N)
  i=0
  while [ "$i" -lt "$runs" ]; do "$bin" assess "$report" >/dev/null; i=$((i + 1)); done
  end=$(date +%s%N)
  echo "text: $(( (end - start) / runs / 1000 )) us per process over $runs runs"
fi
