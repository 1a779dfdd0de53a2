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
