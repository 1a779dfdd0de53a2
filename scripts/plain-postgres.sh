#!/usr/bin/env bash
# A second PostgreSQL cluster on 127.0.0.1:5433 with TLS turned off, for the test that
# `sslmode=require` fails closed against a server that offers no TLS. Idempotent: creates
# the cluster once (Debian's pg_createcluster), then makes sure it is running.
set -euo pipefail
version="$(ls /etc/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx plain; then
  pg_createcluster "$version" plain -p 5433 -- -A trust >/dev/null
  conf="/etc/postgresql/$version/plain/postgresql.conf"
  sed -i "s/^ssl = on/ssl = off/" "$conf"
  echo "listen_addresses = '127.0.0.1'" >> "$conf"
fi
if ! pg_isready -h 127.0.0.1 -p 5433 >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$version" plain start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5433 >/dev/null 2>&1 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5433
