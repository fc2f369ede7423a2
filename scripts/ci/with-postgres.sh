#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 cluster on 127.0.0.1:
#   scripts/ci/with-postgres.sh COMMAND [ARGS...]
# Installs PostgreSQL 15 from Debian packages when missing, starts a cluster under a temporary
# directory, exports MRR_PG_HOST / MRR_PG_PORT / MRR_PG_USER / MRR_PG_DBNAME for the command
# (the project's profiles.yml reads them), and stops and removes the cluster afterwards,
# whatever the command's outcome. Exits with the command's status.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PORT="${MRR_PG_PORT:-54329}"

if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "PostgreSQL 15 is missing: installing it from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

# initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
as_owner() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mrr-postgres.XXXXXX")"
if [[ "$(id -u)" == "0" ]]; then
    chown postgres "$CLUSTER_DIR"
fi

stop_cluster() {
    as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$CLUSTER_DIR"
}
trap stop_cluster EXIT

echo "Starting a throw-away PostgreSQL cluster on 127.0.0.1:$PORT in $CLUSTER_DIR"
as_owner "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $CLUSTER_DIR -c fsync=off" start >/dev/null
as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres mrr

export MRR_PG_HOST=127.0.0.1 MRR_PG_PORT="$PORT" MRR_PG_USER=postgres MRR_PG_DBNAME=mrr
status=0
"$@" || status=$?
if [[ $status -ne 0 ]]; then
    echo "--- PostgreSQL server log (last 20 lines) ---"
    tail -n 20 "$CLUSTER_DIR/server.log" || true
fi
exit $status
