#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks (docs/postgresql.md, "Tests"):
#   tools/pg_cluster.sh start DIR [--durable]  initdb in DIR, start on a free port of 127.0.0.1, print the
#                                              environment for the tests (FIREBREAK_TEST_PG=..., FIREBREAK_TEST_PG_CLUSTER=DIR)
#   tools/pg_cluster.sh stop DIR               stop it (fast shutdown); DIR stays (remove it yourself)
#   tools/pg_cluster.sh restart DIR [MODE]     stop (MODE fast|immediate, default fast) and start on the same port
#   tools/pg_cluster.sh env DIR                print the environment again
# DIR must not exist or be empty. As root the server runs as the unprivileged user `postgres` (initdb refuses
# root); DIR is handed to that user. Only TCP on 127.0.0.1 (password, scram-sha-256) and a Unix socket inside DIR.
# Without --durable the cluster runs with fsync=off: a killed server keeps every committed transaction (the OS
# still has the WAL), only a power cut could lose some; tests do not need more and run faster. Benchmarks pass
# --durable (the server's defaults).
set -euo pipefail

die() { echo "pg_cluster: $*" >&2; exit 1; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)"
  echo "$d"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
EOF
}

print_env() {
  local dir=$1
  local port pw
  port=$(cat "$dir/port")
  pw=$(cat "$dir/admin.pw")
  echo "FIREBREAK_TEST_PG=postgresql://firebreak_admin:${pw}@127.0.0.1:${port}/firebreak_test"
  echo "FIREBREAK_TEST_PG_CLUSTER=$dir"
}

start_server() {
  local dir=$1 bin
  bin=$(bindir)
  local port
  port=$(cat "$dir/port")
  local extra=""
  [ -f "$dir/durable" ] || extra="-c fsync=off -c full_page_writes=off"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $extra" start >/dev/null ||
    { tail -20 "$dir/server.log" >&2; die "the server did not start (log: $dir/server.log)"; }
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: tools/pg_cluster.sh start|stop|restart|env DIR"
case "$cmd" in
  start)
    [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    bin=$(bindir)
    [ "$(id -u)" -ne 0 ] || { chown postgres: "$dir"; chmod 700 "$dir"; }
    python3 -c 'import secrets; print(secrets.token_hex(16))' >"$dir/admin.pw"
    chmod 600 "$dir/admin.pw"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/admin.pw"
    [ "${3:-}" != "--durable" ] || touch "$dir/durable"
    as_owner "$bin/initdb" -D "$dir/data" -U firebreak_admin --pwfile="$dir/admin.pw" -E UTF8 --locale=C.UTF-8 \
      --auth-host=scram-sha-256 --auth-local=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    free_port >"$dir/port"
    start_server "$dir"
    PGPASSWORD=$(cat "$dir/admin.pw") "$bin/psql" -qAt -h 127.0.0.1 -p "$(cat "$dir/port")" -U firebreak_admin \
      -d postgres -c "CREATE DATABASE firebreak_test" >/dev/null
    print_env "$dir"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  restart)
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w stop >/dev/null 2>&1 || true
    start_server "$dir"
    ;;
  env) print_env "$dir" ;;
  *) die "usage: tools/pg_cluster.sh start|stop|restart|env DIR" ;;
esac
