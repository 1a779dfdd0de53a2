#!/usr/bin/env bash
# Runs every test of the project. This is the README's test command and what CI runs.
#  1. front-end packages from the lock file, and the assets the service embeds;
#  2. the Rust workspace: unit, property and integration tests (SQLite and PostgreSQL),
#     the notification tests against a real SMTP server (aiosmtpd from .venv-smtp);
#  3. Schemathesis against the OpenAPI description (scripts/schemathesis.sh);
#  4. the browser tests: the real binary in headless Debian Chromium, with axe-core.
# On a fresh Debian machine it installs what is missing (scripts/test-packages.sh, as
# root) and, unless PostgreSQL answers on 127.0.0.1:5432 and a second cluster without
# TLS on 127.0.0.1:5433 (or RAPID_REVIEW_TEST_POSTGRES_URL names one), starts two
# throwaway clusters of its own under target/ and stops them at the end
# (scripts/test-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/test-packages.sh
if [ -z "${RAPID_REVIEW_TEST_POSTGRES_URL:-}" ]; then
  if pg_isready -q -h 127.0.0.1 -p 5432 && pg_isready -q -h 127.0.0.1 -p 5433; then
    echo "Using PostgreSQL on 127.0.0.1:5432 (and :5433 without TLS)."
  else
    eval "$(./scripts/test-postgres.sh start)"
    trap './scripts/test-postgres.sh stop' EXIT
    echo "Started throwaway PostgreSQL clusters: $RAPID_REVIEW_TEST_POSTGRES_URL (TLS), $RAPID_REVIEW_TEST_PLAIN_POSTGRES_URL"
  fi
fi
npm ci --no-audit --no-fund
npm run build
./scripts/smtp-venv.sh >/dev/null
cargo test --workspace --locked
cargo build --locked --bin rapid-review
./scripts/schemathesis.sh
npm run test:browser
