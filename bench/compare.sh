#!/usr/bin/env bash
# The service against nginx serving the very same bytes, in one run, at national scale:
# the release build on SQLite with 25,000 synthetic cases, about 250,000 agency requests
# with submitted returns, 1,000,000 chronology entries and 5,000,000 audit rows (seeded
# once into target/bench-cache/full16-CASES/ and copied afresh for every run, so the
# cache never grows). wrk (2 threads, 50 connections, DURATION each) reads:
#   GET /api/v1/cases/{id}  the Case JSON, with an API token
#   GET /cases/{id}         the case page, signed in
#   GET /                   the dashboard, signed in
# and the same three files from nginx. It prints one markdown table: requests per
# second, the ratio to nginx, p99 latency, the size, and the service's peak RSS so far.
# Usage: bench/compare.sh [CASES]   (needs wrk and nginx-light; loopback only; it stops
# by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-25000}
TODAY=2026-11-27
DURATION=${DURATION:-10s}
PORT=18191
NGINX_PORT=18192
# The seed's shape is in the name: a cache seeded by an older shape is not reused.
SEEDED=target/bench-cache/full16-$CASES
RUN=target/bench-cache/compare-run
PASSWORD='bench-Compare-password-2026'

cargo build --release --bin rapid-review --example seed
BIN=target/release/rapid-review
if [ ! -f "$SEEDED/done" ]; then
  echo "== seeding $CASES cases with their returns and a 5,000,000-row audit chain (once; kept in $SEEDED)"
  rm -rf "$SEEDED" && mkdir -p "$SEEDED"
  target/release/examples/seed "sqlite://$PWD/$SEEDED/rapid-review.db" "$CASES" "$TODAY" --full
  touch "$SEEDED/done"
fi
if [ ! -f "$SEEDED/reminded" ]; then
  # The day's reminder pass, once: otherwise the service would run it over every case
  # at start-up, writing beside the reads being measured.
  $BIN reminders run --today "$TODAY" --database "sqlite://$PWD/$SEEDED/rapid-review.db"
  touch "$SEEDED/reminded"
fi
rm -rf "$RUN" && cp -r "$SEEDED" "$RUN"
# Written out before the loads start: 2 GB of dirty pages flushing meanwhile would slow
# every fsync the service makes and measure the disk, not the service.
sync "$RUN"/*
URL="sqlite://$PWD/$RUN/rapid-review.db"
printf '%s\n' "$PASSWORD" | $BIN users set-password --email bench@example.org --database "$URL" >/dev/null
TOKEN=$($BIN tokens issue --email bench@example.org --database "$URL" | tail -1)

RAPID_REVIEW_TWO_FACTOR=optional RUST_LOG=warn $BIN serve --listen 127.0.0.1:$PORT --database "$URL" \
  --today $TODAY > "$RUN/serve.log" 2>&1 &
SERVER=$!
NGINX=
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; [ -n "$NGINX" ] && kill -QUIT $NGINX 2>/dev/null; true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -sf $BASE/readyz >/dev/null && break; sleep 0.2; done

# shellcheck source=bench/session.sh
source bench/session.sh
COOKIE=$(sign_in "$BASE" bench@example.org "$PASSWORD" "$RUN/cookies")
# The case read is one that went all the way: sixteen returns and their links.
ID=$(full_case "$BASE" "$TOKEN")

# The very bytes the service answers, for nginx to serve.
ROOT="$RUN/www"
mkdir -p "$ROOT"
curl -sf -H "Authorization: Bearer $TOKEN" -o "$ROOT/case.json" "$BASE/api/v1/cases/$ID"
curl -sf -H "Cookie: $COOKIE" -o "$ROOT/case.html" "$BASE/cases/$ID"
curl -sf -H "Cookie: $COOKIE" -o "$ROOT/dashboard.html" "$BASE/"
cat > "$RUN/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $PWD/$RUN/nginx.pid;
error_log $PWD/$RUN/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $PWD/$RUN/body;
  proxy_temp_path $PWD/$RUN/proxy;
  fastcgi_temp_path $PWD/$RUN/fastcgi;
  uwsgi_temp_path $PWD/$RUN/uwsgi;
  scgi_temp_path $PWD/$RUN/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $PWD/$ROOT;
    location = /case.json { default_type application/json; }
    location / { default_type text/html; }
  }
}
EOF
/usr/sbin/nginx -c "$PWD/$RUN/nginx.conf" -p "$PWD/$RUN" &
NGINX=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/case.json" >/dev/null && break; sleep 0.1; done

# The service's largest RSS so far: the kernel's own high-water mark (VmHWM), so no
# sampler competes with the service for the two cores.
peak_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER/status"; }

# wrk's requests per second and p99 (in ms) for one URL and optional header.
load() {
  local url=$1 header=${2:-X-Bench: 1} out rps p99 errors
  out=$(wrk -t2 -c50 -d"$DURATION" --latency -H "$header" "$url")
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -n "$errors" ] && { echo "$url answered $errors non-2xx responses" >&2; exit 1; }
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}')
  echo "$rps $p99"
}

echo "| route | rapid-review | nginx, same bytes | ratio | p99 | size | peak RSS |"
echo "|---|---|---|---|---|---|---|"
row() {
  local label=$1 path=$2 header=$3 file=$4 ours theirs
  ours=$(load "$BASE$path" "$header")
  theirs=$(load "http://127.0.0.1:$NGINX_PORT/$file")
  python3 - "$label" "$ours" "$theirs" "$(stat -c %s "$ROOT/$file")" "$(peak_kib)" <<'PY'
import sys
label, ours, theirs, size, rss = sys.argv[1:]
rps, p99 = map(float, ours.split())
nginx = float(theirs.split()[0])
print(f"| {label} | {rps:,.0f} req/s | {nginx:,.0f} req/s | {rps / nginx:.3f} | {p99:.1f} ms "
      f"| {int(size) / 1024:.1f} KB | {int(rss) / 1024:.0f} MB |")
PY
}
row '`GET /api/v1/cases/{id}`' "/api/v1/cases/$ID" "Authorization: Bearer $TOKEN" case.json
row '`GET /cases/{id}` page' "/cases/$ID" "Cookie: $COOKIE" case.html
row '`GET /` dashboard' "/" "Cookie: $COOKIE" dashboard.html
echo
echo "$CASES cases; the case read has $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["agency_requests"]))' "$ROOT/case.json") agency requests; wrk -t2 -c50 -d$DURATION; $(nproc) cores."
