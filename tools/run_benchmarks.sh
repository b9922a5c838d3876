#!/usr/bin/env bash
# Runs every benchmark program of a Release build and the whole-process timings, printing the machine first.
# Results are recorded by hand in docs/benchmarks.md with this command and the machine line.
#   tools/run_benchmarks.sh [BUILD_DIR]      (default build/release)
#   FIREBREAK_BENCH_QUICK=1 skips the 10,000 x 10,000 DEM cases of gis_bench (they take minutes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build/release"}
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== commit: $(git -C "$root" rev-parse --short HEAD)  build: $build"
filter_gis=()
[ "${FIREBREAK_BENCH_QUICK:-0}" = 1 ] && filter_gis=(--benchmark_filter='Missoula|Local5km/')
for b in engine_bench rules_bench lint_bench store_bench forces_bench; do
  echo "== $b"
  (cd "$root" && "$build/bench/$b" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
done
echo "== gis_bench (with gdaldem side by side)"
(cd /tmp && "$build/bench/gis_bench" "${filter_gis[@]}")
echo "== fire_bench (surface mix, FWI station-year; the 5,000 x 5,000 grid unless quick)"
(cd "$root" && "$build/bench/fire_bench" --benchmark_filter='Surface|Station' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true)
if [ "${FIREBREAK_BENCH_QUICK:-0}" = 1 ]; then
  (cd "$root" && FIREBREAK_BENCH_GRID_SIDE=1000 "$build/bench/fire_bench" --benchmark_filter=Grid)
else
  (cd "$root" && "$build/bench/fire_bench" --benchmark_filter=Grid)
fi
echo "== whole process: firebreak assess"
"$root/tools/bench_assess_process.sh" "$build" 100
echo "== forecast_bench (24 h on 1,000 x 1,000, ensemble of 100 on two threads, the whole process, flat 600 x 600)"
(cd "$root" && "$build/bench/forecast_bench")
echo "== whole process: firebreak forecast on example_lcp.tif, 12 h"
hyperfine -N --warmup 2 --runs 10 "$build/cli/firebreak forecast $root/tests/forecast/data/mt_golden_report.json \
  --landscape $root/../shared/data/fallback_dem_montana_idaho/example_lcp.tif --hours 12 --moisture D1L1 --format json"
