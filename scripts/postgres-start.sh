#!/usr/bin/env bash
# postgres-start.sh - start a throwaway PostgreSQL cluster (Debian packages) on 127.0.0.1, for the
# tests (.ci/run, README "Tests on PostgreSQL and S3") and the benchmarks (bench/common.sh).
# docs/test-servers.md explains what it does and why.
#
# stdout: exactly one line, the Npgsql connection string
#   Host=127.0.0.1;Port=<PGPORT>;Database=<PG_DB>;Username=<PG_USER>;Password=<PG_PASSWORD>
# Progress and errors go to stderr.
#
# Env knobs (all optional):
#   PGDATA_DIR    cluster data directory (default: new mktemp dir /tmp/imageservice-pg.XXXXXX).
#                 Empty/missing -> initdb; already initialised -> reused (started if stopped).
#   PGPORT        TCP port on 127.0.0.1, default 54329 (also used for the unix socket name)
#   PG_DB         database to create, default imageservice
#   PG_USER       login role to create (owner of PG_DB, CREATEDB), default imageservice
#   PG_PASSWORD   its password, default imageservice
#   PG_START_TIMEOUT  seconds to wait for readiness, default 60
#   TEST_SERVERS_STATE_DIR  where the port->datadir state file lives (default /tmp/imageservice-test-servers)
#
# Runs the server as the 'postgres' OS user when invoked as root (as the invoking user otherwise).
# TCP listens on 127.0.0.1 only; the unix socket lives inside PGDATA_DIR.  Host connections use
# scram-sha-256 passwords; local-socket connections are trusted (superuser 'postgres', no password).
# fsync/synchronous_commit/full_page_writes are left at their defaults.
# Idempotent: if a cluster started by this script already serves PGPORT (or PGDATA_DIR), it
# just makes sure the role/database exist and prints the line again.  Stop with postgres-stop.sh.
set -euo pipefail
scripts_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # before any cd

log() { printf 'postgres-start: %s\n' "$*" >&2; }
die() { printf 'postgres-start: ERROR: %s\n' "$*" >&2; exit 1; }

PGPORT=${PGPORT:-54329}
PG_DB=${PG_DB:-imageservice}
PG_USER=${PG_USER:-imageservice}
PG_PASSWORD=${PG_PASSWORD:-imageservice}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
STATE_DIR=${TEST_SERVERS_STATE_DIR:-/tmp/imageservice-test-servers}
STATE_FILE="$STATE_DIR/pg-$PGPORT.state"
[[ "$PGPORT" =~ ^[0-9]+$ ]] && (( PGPORT > 0 && PGPORT < 65536 )) || die "bad PGPORT '$PGPORT'"
# libpq env vars of the caller must not redirect the script's own psql/pg_ctl calls
unset PGHOST PGHOSTADDR PGDATABASE PGUSER PGPASSWORD PGSERVICE PGOPTIONS PGSSLMODE PGDATA PGPASSFILE
cd /   # the postgres user cannot read e.g. /root; avoids "could not change directory" noise

# Npgsql (DbConnectionStringBuilder) quoting: quote values containing ; = " ' or outer spaces
csq() {
  local v=$1
  if [[ "$v" == *[\;=\"\']* || "$v" =~ ^[[:space:]] || "$v" =~ [[:space:]]$ ]]; then
    printf '"%s"' "${v//\"/\"\"}"
  else printf '%s' "$v"; fi
}
print_conn() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' \
    "$PGPORT" "$(csq "$PG_DB")" "$(csq "$PG_USER")" "$(csq "$PG_PASSWORD")"
}

# ---------------------------------------------------------------- install
# shellcheck source=install-packages.sh
source "$scripts_dir/install-packages.sh"

find_bindir() {
  local d best=""
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && best=$d
  done
  echo "$best"
}
BINDIR=$(find_bindir)
if [[ -z "$BINDIR" ]] || ! command -v psql >/dev/null; then
  log "installing postgresql (first run only)"
  t0=$SECONDS
  install_pkgs postgresql
  log "install took $((SECONDS - t0))s"
  BINDIR=$(find_bindir)
  [[ -n "$BINDIR" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
fi
PSQL="$BINDIR/psql"; [[ -x "$PSQL" ]] || PSQL=$(command -v psql)

if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (the package creates it)"
  RUNAS=(runuser -u postgres --); OWNER=postgres
else
  RUNAS=(); OWNER=$(id -un)
fi

# ---------------------------------------------------------------- which data dir
CREATED=0
if [[ -z "${PGDATA_DIR:-}" && -s "$STATE_FILE" ]]; then
  PGDATA_DIR=$(sed -n 's/^PGDATA_DIR=//p' "$STATE_FILE")
  CREATED=$(sed -n 's/^CREATED=//p' "$STATE_FILE")
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] || { PGDATA_DIR=""; CREATED=0; }
fi
if [[ -z "${PGDATA_DIR:-}" ]]; then
  PGDATA_DIR=$(mktemp -d /tmp/imageservice-pg.XXXXXX); CREATED=1
fi
mkdir -p "$PGDATA_DIR"
PGDATA_DIR=$(cd "$PGDATA_DIR" && pwd -P)
(( ${#PGDATA_DIR} <= 90 )) || die "PGDATA_DIR path too long for the unix socket (keep it <= 90 chars)"

running() { "${RUNAS[@]}" "$BINDIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; }

# ---------------------------------------------------------------- init
if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
  [[ -z "$(ls -A "$PGDATA_DIR")" ]] || die "$PGDATA_DIR is neither empty nor a PostgreSQL data directory"
  [[ $(id -u) -eq 0 ]] && chown "$OWNER:" "$PGDATA_DIR"
  chmod 700 "$PGDATA_DIR"
  log "initdb $PGDATA_DIR"
  "${RUNAS[@]}" "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$PGDATA_DIR.initdb.log" 2>&1 \
    || { cat "$PGDATA_DIR.initdb.log" >&2; die "initdb failed"; }
  rm -f "$PGDATA_DIR.initdb.log"
  # pg_hba from initdb: local=trust, host 127.0.0.1/32 and ::1/128 = scram-sha-256
fi

# ---------------------------------------------------------------- start
if running; then
  runport=$(sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
  [[ "$runport" == "$PGPORT" ]] || die "$PGDATA_DIR is already running on port '$runport', not $PGPORT"
  log "already running: $PGDATA_DIR"
else
  if [[ -n "$(ss -Htln "sport = :$PGPORT")" ]]; then
    die "port $PGPORT on this host is already in use by another process; choose another PGPORT"
  fi
  # (re)write our settings block so a reused data dir follows the current PGPORT
  "${RUNAS[@]}" sed -i '/^# ---- added by postgres-start.sh/,$d' "$PGDATA_DIR/postgresql.conf"
  "${RUNAS[@]}" tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<EOF
# ---- added by postgres-start.sh (throwaway test cluster; everything below is rewritten on start) ----
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA_DIR'
max_connections = 200
EOF
  log "starting postgres on 127.0.0.1:$PGPORT"
  "${RUNAS[@]}" "$BINDIR/pg_ctl" start -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t "$PG_START_TIMEOUT" -s >&2 \
    || { tail -n 30 "$PGDATA_DIR/server.log" >&2 || true; die "pg_ctl start failed"; }
fi
mkdir -p "$STATE_DIR"
printf 'PGDATA_DIR=%s\nCREATED=%s\n' "$PGDATA_DIR" "$CREATED" >"$STATE_FILE"

deadline=$((SECONDS + PG_START_TIMEOUT))
until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -d postgres; do
  (( SECONDS < deadline )) || die "not accepting connections on 127.0.0.1:$PGPORT after ${PG_START_TIMEOUT}s"
  sleep 0.2
done

# ---------------------------------------------------------------- role + database (idempotent)
"${RUNAS[@]}" "$PSQL" -X -q -h "$PGDATA_DIR" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -v role="$PG_USER" -v pw="$PG_PASSWORD" -v db="$PG_DB" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
-- The suite drops each test's database WITH (FORCE), which must also end an autovacuum worker that
-- happens to be in it; a worker has no role, so only pg_signal_backend may (CI: 42501 "must be a
-- member of the role whose process is being terminated or member of pg_signal_backend").
SELECT format('GRANT pg_signal_backend TO %I', :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
# public schema of the new database: give it to the role (PG15 no longer grants CREATE to PUBLIC)
"${RUNAS[@]}" "$PSQL" -X -q -h "$PGDATA_DIR" -p "$PGPORT" -U postgres -d "$PG_DB" -v ON_ERROR_STOP=1 \
  -v role="$PG_USER" >&2 <<'SQL'
SELECT format('ALTER SCHEMA public OWNER TO %I', :'role') \gexec
SQL

# end-to-end check over TCP with the password, exactly as the service will connect
PGPASSWORD="$PG_PASSWORD" "$PSQL" -X -q -t -A -h 127.0.0.1 -p "$PGPORT" -U "$PG_USER" -d "$PG_DB" \
  -c 'select 1' >/dev/null || die "password login as $PG_USER over 127.0.0.1:$PGPORT failed; see $PGDATA_DIR/server.log"

log "ready: $("$PSQL" --version | head -n1) data $PGDATA_DIR"
print_conn
