#!/usr/bin/env bash
# Builds the libFuzzer harnesses (preset `fuzz`: clang-14, ASan + UBSan) and runs each for a fixed time on a
# seed corpus made of the repository's fixtures and every issue-13 input (generated here, deterministically).
#
#   tools/fuzz.sh                  every harness, 60 s each
#   tools/fuzz.sh --seconds 300    longer
#   tools/fuzz.sh --ci             every harness, 15 s each (what `tools/bootstrap.sh test` runs after ctest);
#                                  findings of harnesses listed in fuzz/known-open.txt are reported, not fatal
#   tools/fuzz.sh --strict         every finding is fatal (the default without --ci)
#   tools/fuzz.sh fuzz_rules ...   only these harnesses
#
# Working corpora: build/fuzz/corpus/<harness> (kept between runs: they grow); findings (crashes, hangs over
# 10 s, out-of-memory over 2 GB) are written to build/fuzz/artifacts/<harness>/ and make the script exit 1.
# A summary line per harness: executions, corpus size, result. Contract checked: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
strict=1
harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --ci) seconds=15; strict=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
all=(fuzz_yaml_guard fuzz_json_guard fuzz_rules fuzz_registry fuzz_layers fuzz_roads fuzz_time fuzz_report
     fuzz_scenario fuzz_store_open)
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${harnesses[@]}"

out=build/fuzz
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds"

# ---- seeds: the repository's fixtures ----
add() {  # add HARNESS FILE...
  local h=$1
  shift
  mkdir -p "$seeds/$h"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$seeds/$h/$(echo "$f" | tr '/' '_')"; done
  return 0
}
add fuzz_rules rules/*.yaml tests/rules/data/*.yaml tests/rules/data/bad/*.yaml tests/rules/data/lint/*.yaml
add fuzz_registry data/forces/liuzhou-demo.yaml
add fuzz_roads data/forces/roads-config.example.yaml
add fuzz_report tests/engine/data/*
add fuzz_scenario scenarios/*.yaml
add fuzz_yaml_guard data/forces/*.yaml scenarios/01-level-iv-area.yaml tests/engine/data/*.yaml
add fuzz_json_guard tests/engine/data/*.json
# The layers config of the demo world and the documented example (from docs/layers-config.md).
mkdir -p "$seeds/fuzz_layers"
sed -n '/^```yaml$/,/^```$/p' docs/layers-config.md | sed '/^```/d' > "$seeds/fuzz_layers/docs-example.yaml"
cat > "$seeds/fuzz_layers/demo.yaml" <<'YAML'
counties: {file: counties.geojson, name_field: name, code_field: adcode}
city: {file: city.geojson, name_field: name}
places: {file: places.geojson, name_field: name, threat_km: 2}
key_targets: {file: targets.geojson, name_field: name, type_field: type, threat_km: 3, types: {railway: railway}}
fuel: {file: fuel.tif, band: 1, dangerous: {shrub: [121-124, 141-149], meadow: [101-109]}, dangerous_fraction: 0.25}
county_near_km: 5
feature_radius_m: 500
YAML
mkdir -p "$seeds/fuzz_time"
printf '2026-03-14T09:30:00+08:00' > "$seeds/fuzz_time/iso"
printf '2026-03-14T01:30:00Z' > "$seeds/fuzz_time/iso-z"
printf '+2h30m' > "$seeds/fuzz_time/relative"
FIREBREAK_FUZZ_MAKE_SEEDS="$seeds/fuzz_store_open" "$out/fuzz/fuzz_store_open" >/dev/null 2>&1 || true

# ---- seeds: every issue-13 input, as regression seeds ----
python3 - "$seeds" <<'PY'
import os, sys
seeds = sys.argv[1]
def put(h, name, data):
    os.makedirs(os.path.join(seeds, h), exist_ok=True)
    with open(os.path.join(seeds, h, "issue13-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
prev = "a"
for c in "bcdefghi":
    bomb += "%s: &%s [%s]\n" % (c, c, ",".join("*" + prev for _ in range(10)))
    prev = c
deep = "a: " + "[" * 200000 + "]" * 200000 + "\n"
block = "a:\n" + "".join(" " * (2 * i) + "k:\n" for i in range(1, 300))
yaml_attacks = {
    "alias-bomb": bomb, "deep-flow": deep, "deep-block": block, "unterminated": "a: " + "[" * 200000,
    "invalid-utf8": b"meta:\n  id: \xff\xfe\n", "gbk": "meta:\n  id: ".encode() + "柳州".encode("gbk") + b"\n",
    "nul": b"meta:\n  id: a\x00b\n", "dup-key": "meta: {id: a}\nmeta: {id: b}\n",
    "second-doc": "meta: {id: a}\n---\nmeta: {id: b}\n", "complex-key": "? [a, b]\n: 1\n",
    "merge-key": "base: &b {x: 1}\nuse:\n  <<: *b\n",
}
json_attacks = {
    "deep": "[" * 200000 + "]" * 200000, "unterminated": "[" * 200000,
    "dup-area": '{"incident_id":"X","reported_at":"2026-03-14T09:30:00+08:00","burned_area_ha":600,"burned_area_ha":0}',
    "invalid-utf8": b'{"incident_id":"\xff","reported_at":"2026-03-14T09:30:00+08:00"}',
    "lone-surrogate": '{"incident_id":"\\ud800","reported_at":"2026-03-14T09:30:00+08:00"}',
    "two-values": '{"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00"} {}',
    "huge-number": '{"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00","burned_area_ha":1e999}',
}
for h in ["fuzz_rules", "fuzz_registry", "fuzz_layers", "fuzz_roads", "fuzz_yaml_guard", "fuzz_scenario", "fuzz_report"]:
    for n, d in yaml_attacks.items():
        put(h, n, d)
for h in ["fuzz_json_guard", "fuzz_report"]:
    for n, d in json_attacks.items():
        put(h, "json-" + n, d)
put("fuzz_layers", "feature-radius-1e9", "feature_radius_m: 1e9\n")
put("fuzz_layers", "threat-inf", "places: {file: p.geojson, name_field: n, threat_km: .inf}\n")
put("fuzz_roads", "snap-1e9", "speeds_kmh: {primary: 60}\nsnap_m: 1e9\n")
put("fuzz_roads", "class-field-map", "speeds_kmh: {primary: 60}\nclass_field: {a: b}\n")
put("fuzz_registry", "strength-1e9", "units:\n  - {id: a, name: A, type: pro, base: {lon: 109, lat: 24}, strength: 1e9, readiness_min: 1}\n")
for n, t in {"overflow": "+99999999999h", "neg-overflow": "-99999999999h", "year-9999": "9999-12-31T23:59:59+08:00", "leap-10000": "9999-12-31T23:59:60+08:00",
             "year-1970": "1970-01-01T00:00:00Z", "feb-30": "2026-02-30T10:00:00+08:00", "no-offset": "2026-03-14 09:30",
             "offset-99": "2026-03-14T09:30:00+99:00", "many-digits": "2026-03-14T09:30:00." + "9" * 5000 + "+08:00"}.items():
    put("fuzz_time", n, t)
put("fuzz_scenario", "until-far", "start: 2026-01-01T00:00:00+08:00\nuntil: +99999999999h\nreports:\n  - {incident_id: A, reported_at: +0, burned_area_ha: 60}\n")
put("fuzz_scenario", "relative-overflow", "start: 2026-01-01T00:00:00+08:00\nreports:\n  - {incident_id: A, reported_at: +99999999999h}\n")
put("fuzz_store_open", "empty", b"\x00")
put("fuzz_store_open", "header-only", b"\x00SQLite format 3\x00" + b"\xff" * 84)
PY

# ---- run ----
status=0
summary=()
for h in "${harnesses[@]}"; do
  corpus=$out/corpus/$h
  artifacts=$out/artifacts/$h
  mkdir -p "$corpus" "$artifacts"
  log=$out/$h.log
  set +e
  "$out/fuzz/$h" "$corpus" "$seeds/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  units=$(ls "$corpus" | wc -l)
  if [ $rc -eq 0 ]; then
    result=ok
  else
    result="FOUND ($(ls -t "$artifacts" | head -1)) see $log"
    known=$(awk -v h="$h" '$1 == h { $1 = ""; print substr($0, 2) }' fuzz/known-open.txt)
    if [ "$strict" -eq 0 ] && [ -n "$known" ]; then
      result="$result -- known open (fuzz/known-open.txt): $known"
    else
      status=1
    fi
  fi
  summary+=("$(printf '%-18s %8s execs  %6s corpus  %s' "$h" "$runs" "$units" "$result")")
done
echo "fuzz: ${seconds}s per harness"
printf '%s\n' "${summary[@]}"
exit $status
