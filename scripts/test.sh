#!/usr/bin/env bash
# Runs every test of the project. This is the README's test command and what CI runs.
#  1. front-end packages from the lock file, and the assets the service embeds;
#  2. the Rust workspace: unit, property and integration tests (SQLite and PostgreSQL),
#     the notification tests against a real SMTP server (aiosmtpd from .venv-smtp);
#  3. Schemathesis against the OpenAPI description (scripts/schemathesis.sh);
#  4. the browser tests: the real binary in headless Debian Chromium, with axe-core.
# Needs PostgreSQL on 127.0.0.1:5432 and /usr/bin/chromium (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# The PostgreSQL cluster without TLS on 127.0.0.1:5433 (see scripts/plain-postgres.sh).
pg_isready -h 127.0.0.1 -p 5433 >/dev/null 2>&1 || ./scripts/plain-postgres.sh
npm ci --no-audit --no-fund
npm run build
./scripts/smtp-venv.sh >/dev/null
cargo test --workspace --locked
cargo build --locked --bin rapid-review
./scripts/schemathesis.sh
npm run test:browser
