#!/usr/bin/env bash
# Reads of many cases: wrk (2 threads, 50 connections, 10 s) reads GET /api/v1/cases/{id}
# for one of N case ids picked at random each request (wrk's Lua), so that most reads
# miss the instance's kept copies and load, fold and render their case. Runs on the
# national-sized copy bench/compare.sh left in target/bench-cache/compare-run/, and
# prints requests per second, p50, p99 and the service's peak RSS.
# Usage: bench/many_cases.sh [N]   (default 1,000; run bench/compare.sh first; the binary
# is target/release/rapid-review as it is; loopback only; it stops by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
# shellcheck source=bench/session.sh
source bench/session.sh
serve_copy 18194 many-serve.log
LUA="$RUN/many.lua"
{
  echo "ids = {"
  offset=0
  while [ "$offset" -lt "$N" ]; do
    curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases?limit=1000&offset=$offset" |
      python3 -c 'import json, sys; [print("\"%s\"," % c["id"]) for c in json.load(sys.stdin)["cases"]]'
    offset=$((offset + 1000))
  done | head -n "$N"
  echo "}"
  cat <<LUA
math.randomseed(2026)
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $TOKEN"})
end
LUA
} > "$LUA"
wrk -t2 -c50 -d10s --latency -s "$LUA" "$BASE" | grep -E "Requests/sec| 50%| 99%|Non-2xx"
echo "peak RSS: $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' /proc/$SERVER/status)"
