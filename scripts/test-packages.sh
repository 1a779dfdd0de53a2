#!/usr/bin/env bash
# What the tests need from Debian, installed when missing (as root), or named (as
# anyone else): Chromium for the browser tests, LibreOffice and poppler to prove the
# documents open, nginx as the load balancer in front of two instances, PostgreSQL's
# server programs (initdb, pg_ctl) and client (psql, pg_dump), and Python's venv for
# aiosmtpd and Schemathesis.
set -euo pipefail
missing=()
browser=()
command -v chromium >/dev/null 2>&1 || browser+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ $((${#missing[@]} + ${#browser[@]})) -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "the tests need these Debian packages: sudo apt-get install ${browser[*]} ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  # Chromium with its recommended fonts; the rest without.
  if [ ${#browser[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${browser[@]}" >/dev/null
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
node_version="$(node --version 2>/dev/null || echo none)"
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "the tests need Node 20.19 or newer (found $node_version)" >&2
  exit 1
fi
