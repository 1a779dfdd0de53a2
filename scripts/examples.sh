#!/usr/bin/env bash
# Regenerates docs/examples/: one of each paper the service writes, from the demo
# partnership (synthetic people and cases only). Runs the service with --demo on a
# throwaway SQLite file and a frozen date, and fetches each paper through the API as
# the Partnership Manager would.
set -euo pipefail
cd "$(dirname "$0")/.."
TODAY=2026-11-27
PORT=18089
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cargo build --quiet --bin rapid-review
BIN=target/debug/rapid-review
DB="sqlite://$WORK/demo.db"
RAPID_REVIEW_KEY_FILE="$WORK/rapid-review.key" "$BIN" serve --demo --database "$DB" --today "$TODAY" \
  --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done
TOKEN=$(RAPID_REVIEW_KEY_FILE="$WORK/rapid-review.key" "$BIN" tokens issue --database "$DB" \
  --email manager@demo.rapid-review.test --label examples | tail -1)
api() { curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/$1"; }
# The demo case furthest along the serious harm path: submitted, with its outcome told.
CASE=$(api "cases?state=open&limit=1000" | python3 -c '
import json, sys
cases = json.load(sys.stdin)["cases"]
done = [c for c in cases if c["path"] == "serious_harm" and c["stage"] not in ("referral", "notification", "agency_returns", "meeting")]
print(sorted(done, key=lambda c: c["aware_on"])[0]["id"])')
AGENCY=$(api "cases/$CASE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["agency_requests"][0]["agency"])')
OUT=docs/examples
mkdir -p "$OUT"
api "cases/$CASE/rapid-review-template.docx" >"$OUT/rapid-review-template.docx"
api "cases/$CASE/panel-letter.docx" >"$OUT/panel-letter.docx"
api "cases/$CASE/outcome-letter.docx?agency=$AGENCY" >"$OUT/outcome-letter.docx"
api "cases/$CASE/referral.docx" >"$OUT/referral-form.docx"
api "cases/$CASE/meeting.ics" >"$OUT/meeting.ics"
ls -l "$OUT"
