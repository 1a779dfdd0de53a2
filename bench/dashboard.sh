#!/usr/bin/env bash
# The dashboard and a case read at national scale, against the release build on SQLite
# with 25,000 synthetic cases (the seeded file is shared with bench/reports.sh):
#   - the dashboard's size, plain and gzipped, and its time over 20 requests;
#   - GET /api/v1/cases/{id} under wrk (2 threads, 50 connections, 10 s), first fetching
#     the body every time, then sending its ETag back (304s).
# Usage: bench/dashboard.sh [CASES]. Loopback only; it stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18183
# shellcheck source=bench/seeded.sh
source bench/seeded.sh "$@"
BASE="http://127.0.0.1:$PORT"
PASSWORD='bench-Dashboard-password-2026'
printf '%s\n' "$PASSWORD" | $BIN users set-password --email bench@example.org --database "$URL" >/dev/null
TOKEN=$($BIN tokens issue --email bench@example.org --database "$URL" | tail -1)
RAPID_REVIEW_TWO_FACTOR=optional RUST_LOG=warn $BIN serve --listen 127.0.0.1:$PORT --database "$URL" \
  --today $TODAY > "$CACHE/dashboard-serve.log" 2>&1 &
SERVER=$!
JAR=$(mktemp)
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -f "$JAR"' EXIT
for _ in $(seq 1 100); do curl -sf $BASE/api/v1/health >/dev/null && break; sleep 0.2; done

# shellcheck source=bench/session.sh
source bench/session.sh
sign_in "$BASE" bench@example.org "$PASSWORD" "$JAR" > /dev/null

plain=$(curl -s -b "$JAR" -o /dev/null -w '%{size_download}' $BASE/)
gzipped=$(curl -s -b "$JAR" -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' $BASE/)
echo "== $CASES cases: the dashboard is $((plain / 1024)) KB, $((gzipped / 1024)) KB gzipped"
times=()
for _ in $(seq 1 20); do times+=("$(curl -s -b "$JAR" -o /dev/null -w '%{time_total}' $BASE/)"); done
printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 * 1000 }
  END { printf "GET /  min %.0f ms  median %.0f ms  max %.0f ms (%d runs)\n", t[1], t[int((NR + 1) / 2)], t[NR], NR }'

id=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"][0]["id"])')
tag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases/$id" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
echo "== GET /api/v1/cases/{id}, the whole body each time"
wrk -t2 -c50 -d10s --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases/$id" | grep -E "Requests/sec|99%|Non-2xx"
echo "== the same, sending its ETag back (304)"
wrk -t2 -c50 -d10s --latency -H "Authorization: Bearer $TOKEN" -H "If-None-Match: $tag" "$BASE/api/v1/cases/$id" | grep -E "Requests/sec|99%|Non-2xx"
echo "== RSS of the service after: $(ps -o rss= -p $SERVER | awk '{printf "%.0f MB", $1/1024}')"
