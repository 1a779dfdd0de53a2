#!/usr/bin/env bash
# Where a read's time goes: perf (Debian's linux-perf) samples the release build while
# wrk (2 threads, 50 connections, 10 s) reads one route, on the national-sized copy
# bench/compare.sh left in target/bench-cache/compare-run/, and prints the top frames
# by self time and by time with children.
# Usage: bench/profile.sh [json|page|dashboard]   (run bench/compare.sh first; the
# binary is target/release/rapid-review as it is; loopback only; it stops by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${1:-json}
PASSWORD='bench-Compare-password-2026'
# shellcheck source=bench/session.sh
source bench/session.sh
serve_copy 18193 profile-serve.log
COOKIE=$(sign_in "$BASE" bench@example.org "$PASSWORD" "$RUN/profile-cookies")
ID=$(full_case "$BASE" "$TOKEN")
case "$ROUTE" in
  json) path="/api/v1/cases/$ID"; header="Authorization: Bearer $TOKEN" ;;
  page) path="/cases/$ID"; header="Cookie: $COOKIE" ;;
  dashboard) path="/"; header="Cookie: $COOKIE" ;;
  *) echo "json, page or dashboard" >&2; exit 2 ;;
esac
perf record -F 999 -g -p $SERVER -o "$RUN/perf.data" -- sleep 10 2>/dev/null &
PERF=$!
wrk -t2 -c50 -d10s --latency -H "$header" "$BASE$path" | grep -E "Requests/sec|99%"
wait $PERF || true
echo "== top frames by self time ($ROUTE)"
perf report -i "$RUN/perf.data" --no-children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+%' | sed -E 's/[ -]+$//' | head -20 || true
echo "== top frames with their children ($ROUTE)"
perf report -i "$RUN/perf.data" --children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+%' | sed -E 's/[ -]+$//' | cut -c1-160 | head -25 || true
