#!/usr/bin/env bash
# Throwaway PostgreSQL clusters for the tests, for a machine where none answers on
# 127.0.0.1:5432: one with TLS (Debian's snakeoil certificate, as the system cluster
# has it) and one without (for the test that sslmode=require fails closed), each under
# target/test-postgres/ on a free port, with trust authentication for `postgres`.
#   scripts/test-postgres.sh start   starts them; prints the variables to export
#   scripts/test-postgres.sh stop    stops them (their files stay until the next start)
# Uses initdb and pg_ctl from Debian's postgresql package; run as root, they run as the
# postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD/target/test-postgres"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_one() { # name, port, extra server options
  local dir="$root/$1" port="$2"
  shift 2
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300 $*" start >/dev/null
}

case "${1:-}" in
  start)
    mkdir -p "$root"
    [ "$(id -u)" = 0 ] && chown postgres "$root"
    tls="" 
    if as_server test -r /etc/ssl/private/ssl-cert-snakeoil.key; then
      tls="-c ssl=on -c ssl_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem -c ssl_key_file=/etc/ssl/private/ssl-cert-snakeoil.key"
    fi
    main="$(free_port)"
    start_one main "$main" $tls
    plain="$(free_port)"
    start_one plain "$plain" -c ssl=off
    echo "export RAPID_REVIEW_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$main/postgres"
    echo "export RAPID_REVIEW_TEST_PLAIN_POSTGRES_URL=postgres://postgres@127.0.0.1:$plain/postgres"
    ;;
  stop)
    for name in main plain; do
      if [ -f "$root/$name/data/postmaster.pid" ]; then
        as_server "$bin/pg_ctl" -D "$root/$name/data" -m fast -w stop >/dev/null || true
      fi
    done
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
