#!/usr/bin/env bash
# How fast the reports come back for a national-sized partnership's history:
#   GET /api/v1/reports/timeliness   and   GET /api/v1/reports/cases.csv
# over every case (the period 1995-01-01 to 2100-12-31), 20 times each, against the
# release build. The goal: the report for 25,000 cases in under 300 ms on 2 cores.
# Usage: bench/reports.sh [CASES]   (default 25,000; the seeded SQLite file is kept in
# target/bench-cache/ and reused). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18182
# shellcheck source=bench/seeded.sh
source bench/seeded.sh "$@"
TOKEN=$($BIN tokens issue --email bench@example.org --database "$URL" | tail -1)
RUST_LOG=warn $BIN serve --listen 127.0.0.1:$PORT --database "$URL" --today $TODAY > "$CACHE/reports-serve.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.2; done

measure() {
  local path=$1
  local times=()
  for _ in $(seq 1 20); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v path="$path" '
    { t[NR] = $1 * 1000 }
    END { printf "%-60s min %6.0f ms  median %6.0f ms  max %6.0f ms  (%d runs)\n", path, t[1], t[int((NR + 1) / 2)], t[NR], NR }'
}
echo "== $CASES cases; RSS of the service before: $(ps -o rss= -p $SERVER | awk '{printf "%.0f MB", $1/1024}')"
measure "/api/v1/reports/timeliness?from=1995-01-01&to=2100-12-31"
measure "/api/v1/reports/cases.csv?from=1995-01-01&to=2100-12-31"
echo "== RSS of the service after: $(ps -o rss= -p $SERVER | awk '{printf "%.0f MB", $1/1024}')"
