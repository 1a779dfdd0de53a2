#!/usr/bin/env bash
# Schemathesis against /api/v1/openapi.json: the debug binary serves the demo partnership
# on a fresh SQLite file; a token of the Partnership Manager and the ids of a real case,
# agency and return link let the generated requests reach past "not found". It fails on
# any 5xx, any status the description does not document, and any response body or
# content type outside it. Schemathesis comes from PyPI into .venv-schemathesis.
# One worker: Python 3.11 keeps the AST parser's recursion depth per interpreter, and
# Hypothesis parsing lambdas on two threads at once fails at random with "AST constructor
# recursion depth mismatch" (CPython gh-106905), which once failed CI.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.32.5
venv=.venv-schemathesis
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
bin=target/debug/rapid-review
dir="$(mktemp -d)"
db="sqlite://$dir/rr.db"
port="${SCHEMATHESIS_PORT:-8391}"
RAPID_REVIEW_TWO_FACTOR=optional RUST_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --database "$db" \
  --demo --today 2026-11-27 >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.5; done
token="$("$bin" tokens issue --email manager@demo.rapid-review.test --database "$db" | tail -1)"
# A case with agency requests, one of its agencies and that agency's return link.
read -r case_id agency link <<<"$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/cases" |
  python3 -c '
import json, sys, urllib.request
cases = json.load(sys.stdin)["cases"]
for c in cases:
    url = "http://127.0.0.1:'"$port"'/api/v1/cases/" + c["id"]
    req = urllib.request.Request(url, headers={"Authorization": "Bearer '"$token"'"})
    case = json.load(urllib.request.urlopen(req))
    links = [r for r in case["agency_requests"] if r.get("return_link")]
    if links:
        print(c["id"], links[0]["agency"], links[0]["return_link"].rsplit("/", 1)[1])
        break
')"
echo "case $case_id, agency $agency, link ${link:0:8}…"
cat >"$dir/schemathesis.toml" <<TOML
[parameters]
"path.id" = "$case_id"
"path.agency" = "$agency"
"path.token" = "$link"
TOML
# The return link's own routes first, with the link live: submitting it (or reissuing,
# withdrawing or going ahead without it, which the run after may do) would make every
# later request a 409 or 404, and the routes would not really be fuzzed.
"$venv/bin/schemathesis" --config-file "$dir/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --include-path-regex '^/api/v1/returns/' --exclude-path-regex '/submit$' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 40 --workers 1 --seed 20261128 --no-color
status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/returns/$link")"
if [ "$status" != 200 ]; then
  echo "the return link stopped working during its own run (status $status): the return routes were not fuzzed" >&2
  exit 1
fi
"$venv/bin/schemathesis" --config-file "$dir/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 40 --workers 1 --seed 20261128 --no-color
# The administrators' routes, as an administrator (the run above is refused them).
admin="$("$bin" tokens issue --email admin@demo.rapid-review.test --database "$db" | tail -1)"
"$venv/bin/schemathesis" --config-file "$dir/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $admin" --include-path /api/v1/outbox \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 40 --workers 1 --seed 20261128 --no-color
