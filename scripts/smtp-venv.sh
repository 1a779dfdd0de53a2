#!/usr/bin/env bash
# Makes .venv-smtp with aiosmtpd from PyPI: the SMTP server the tests run
# (scripts/smtp-sink.py). Prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.4.6
venv=.venv-smtp
if ! "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$version')" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$version" >&2
fi
echo "$PWD/$venv/bin/python"
