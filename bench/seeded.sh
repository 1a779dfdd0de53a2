# Sourced by the benches that need a national-sized history: builds the release binary
# and the seeder, and seeds $CASES synthetic cases (default 25,000) into a SQLite file
# kept in target/bench-cache/ and reused. Sets CASES, TODAY, CACHE, URL and BIN.
CASES=${1:-25000}
TODAY=2026-11-27
CACHE=target/bench-cache
mkdir -p "$CACHE"
URL="sqlite://$PWD/$CACHE/reports-$CASES.db"
cargo build --release --bin rapid-review --example seed
BIN=target/release/rapid-review
if [ ! -f "$CACHE/reports-$CASES.db" ]; then
  echo "== seeding $CASES cases (once; kept in $CACHE)"
  target/release/examples/seed "$URL" "$CASES" "$TODAY"
fi
