# Sourced by the benches that read as a signed-in browser and as an API client.

# Signs in as a browser does (the form's token, then the form) and prints the session
# cookie as "rr_session=…". Usage: sign_in BASE EMAIL PASSWORD JAR
sign_in() {
  local base=$1 email=$2 password=$3 jar=$4 csrf
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/sign-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/sign-in"
  awk '$6 == "rr_session" {print $6 "=" $7}' "$jar" | head -1
}

# Prints the id of a case that went all the way (past the agency returns), or else the
# first case listed. Usage: full_case BASE TOKEN
full_case() {
  curl -sf -H "Authorization: Bearer $2" "$1/api/v1/cases?limit=100" | python3 -c '
import json, sys
cases = json.load(sys.stdin)["cases"]
after = ("rapid_review_meeting", "submission", "follow_up", "lcspr")
print(next((c["id"] for c in cases if c.get("stage") in after), cases[0]["id"]))'
}

# Serves the national-sized copy bench/compare.sh left (target/bench-cache/compare-run)
# with the release binary on loopback PORT, waits until it is ready, and stops it when
# the calling script exits. Sets RUN, BIN, URL, TOKEN (a fresh API token), SERVER (the
# process) and BASE. Usage: serve_copy PORT LOG_NAME
serve_copy() {
  local port=$1 log=$2
  RUN=target/bench-cache/compare-run
  [ -f "$RUN/rapid-review.db" ] || { echo "run bench/compare.sh first" >&2; exit 1; }
  BIN=target/release/rapid-review
  URL="sqlite://$PWD/$RUN/rapid-review.db"
  TOKEN=$($BIN tokens issue --email bench@example.org --database "$URL" | tail -1)
  RAPID_REVIEW_TWO_FACTOR=optional RUST_LOG=warn $BIN serve --listen "127.0.0.1:$port" --database "$URL" \
    --today 2026-11-27 > "$RUN/$log" 2>&1 &
  SERVER=$!
  trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; true' EXIT
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done
}
