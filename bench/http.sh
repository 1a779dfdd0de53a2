#!/usr/bin/env bash
# HTTP benchmark of the two hottest reads on a database of synthetic cases:
#   GET /api/v1/cases/{id}          (random case each request)
#   GET /api/v1/cases?overdue=true  (the overdue list)
# Usage: bench/http.sh [CASES] [DATABASE_URL]   (defaults: 25000, a fresh SQLite file)
# Needs wrk (apt-get install wrk). Loopback only; each run is 20 s per route.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-25000}
WORK=$(mktemp -d)
URL=${2:-sqlite://$WORK/bench.db}
TODAY=2026-11-27
PORT=18181
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}

cargo build --release --bin rapid-review --example seed
BIN=target/release/rapid-review
echo "== seeding $CASES cases into $URL"
case "$URL" in
  postgres*)
    # Seeding commits 200,000 times; skip the flush wait while seeding only.
    psql "$URL" -qc "ALTER DATABASE $(basename "${URL%%\?*}") SET synchronous_commit = off"
    target/release/examples/seed "$URL" "$CASES" "$TODAY"
    psql "$URL" -qc "ALTER DATABASE $(basename "${URL%%\?*}") SET synchronous_commit = on" ;;
  *) target/release/examples/seed "$URL" "$CASES" "$TODAY" ;;
esac
TOKEN=$($BIN tokens issue --email bench@example.org --database "$URL" | tail -1)

RUST_LOG=warn $BIN serve --listen 127.0.0.1:$PORT --database "$URL" --today $TODAY > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.2; done

# 1,000 case ids to pick from at random.
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases?limit=1000" \
  | python3 -c 'import json,sys; print("\n".join(c["id"] for c in json.load(sys.stdin)["cases"]))' > "$WORK/ids.txt"
OVERDUE=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases?overdue=true" \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))')
echo "== overdue list returns $OVERDUE cases (the first page)"

cat > "$WORK/case.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)])
end
LUA
cat > "$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

echo "== GET /api/v1/cases/{id}  ($CONNECTIONS connections, $DURATION)"
wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s "$WORK/case.lua" http://127.0.0.1:$PORT
echo "== GET /api/v1/cases?overdue=true  ($CONNECTIONS connections, $DURATION)"
wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s "$WORK/auth.lua" "http://127.0.0.1:$PORT/api/v1/cases?overdue=true"
