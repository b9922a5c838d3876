#!/usr/bin/env bash
# The web desk under load (docs/benchmarks.md, docs/bench/g.md), on the release build:
#   1. the HTTP library choice: the desk's Beast layer vs cpp-httplib (default, and with TCP_NODELAY) serving the
#      same assess call and event streams (bench/http_choice): wrk, 64 keep-alive connections, 2 threads, 10 s;
#      200 open event streams (bench/sse_fanout): how many connect, a plain request's latency, fan-out latency;
#   2. `firebreak serve` itself: POST /api/assess (full decision, ?detail=compact, ?view=verdict, ?format=text) with wrk as above,
#      beside the same library call in-process (bench/server_bench); 200 open pages and the time until each sees
#      a change (the test clock moves: the server recomputes and pushes the status);
#   3. first page load from a cold server in headless Chromium (bench/first_load.mjs).
#   tools/bench_server.sh [BUILD_DIR] [PARTS]   (needs wrk, chromium, tests/e2e/node_modules; PARTS: e.g. "2" or "1 2 3", default all)
set -euo pipefail
cd "$(dirname "$0")/.."
b=${1:-build/release}
parts=" ${2:-1 2 3} "
fb=$b/cli/firebreak
report=tests/engine/data/iii-area-casualties-night.json
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk_post() {  # URL [COOKIE CSRF]
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = [[$(tr -d '\n' < "$report")]]"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    if [ $# -ge 3 ]; then
      echo "wrk.headers[\"Cookie\"] = \"$2\""
      echo "wrk.headers[\"X-CSRF-Token\"] = \"$3\""
    fi
  } > "$work/post.lua"
  wrk -t2 -c64 -d10s --latency -s "$work/post.lua" "$1" | awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} / 50%/ {p50=$2} /Non-2xx/ {bad=$NF} END {printf "requests/s=%s p50=%s p99=%s non2xx=%s\n", rps, p50, p99, bad+0}'
}

if [[ $parts == *" 1 "* ]]; then
echo "== 1. HTTP library choice (bench/http_choice) =="
port=19300
for impl in beast httplib httplib-nodelay; do
  port=$((port + 1))
  "$b/bench/http_choice" "$impl" "$port" & pids+=($!)
  sleep 0.5
  echo "-- $impl: assess, 64 keep-alive connections"
  wrk_post "http://127.0.0.1:$port/assess"
  echo "-- $impl: 200 open event streams"
  "$b/bench/sse_fanout" --port "$port" --path /events --streams 200 --trigger-path /poke --rounds 10 --probe-path /probe
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
done

fi

if [[ $parts == *" 2 "* ]]; then
echo "== 2. firebreak serve =="
echo "correct horse battery" | "$fb" users add bench --role city_hq_office --store "$work/desk.sqlite" >/dev/null
"$fb" serve --store "$work/desk.sqlite" --listen 127.0.0.1:19399 --test-clock 2026-03-14T22:00:00+08:00 \
  > "$work/serve.log" 2>&1 & pids+=($!)
sleep 1
base=http://127.0.0.1:19399
login=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' -d '{"username":"bench","password":"correct horse battery"}' "$base/api/login")
csrf=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf"])' "$login")
sid=$(awk '/fb_session/ {print $7}' "$work/jar")
curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' --data @"$report" "$base/api/reports" >/dev/null
echo "-- POST /api/assess (full decision JSON, $(curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' --data @"$report" "$base/api/assess" | wc -c) bytes)"
wrk_post "$base/api/assess" "fb_session=$sid" "$csrf"
echo "-- POST /api/assess?detail=compact (the CLI's default JSON, $(curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' --data @"$report" "$base/api/assess?detail=compact" | wc -c) bytes)"
wrk_post "$base/api/assess?detail=compact" "fb_session=$sid" "$csrf"
echo "-- POST /api/assess?view=verdict"
wrk_post "$base/api/assess?view=verdict" "fb_session=$sid" "$csrf"
echo "-- POST /api/assess?format=text"
wrk_post "$base/api/assess?format=text" "fb_session=$sid" "$csrf"
echo "-- the same library call in-process (bench/server_bench)"
"$b/bench/server_bench" --benchmark_filter='AssessLibrary' --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "median|Benchmark"
echo "-- 200 open pages: a change (the test clock moves 1 s) reaches each"
"$b/bench/sse_fanout" --port 19399 --streams 200 --cookie "fb_session=$sid" --csrf "$csrf" \
  --trigger-path /api/test/clock --trigger-body '{"advance_s":1}' --rounds 20 --probe-path /api/session

fi

if [[ $parts == *" 3 "* ]]; then
echo "== 3. first page load from a cold server (bench/first_load.mjs) =="
FIREBREAK_BINARY="$fb" node bench/first_load.mjs 5
fi
