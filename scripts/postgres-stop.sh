#!/usr/bin/env bash
# postgres-stop.sh - stop exactly the cluster postgres-start.sh started: pg_ctl stop -D <data dir>.
# docs/test-servers.md.
#
# Data dir: $PGDATA_DIR if set, else the one recorded by postgres-start.sh for $PGPORT
# (default 54329) in $TEST_SERVERS_STATE_DIR/pg-<port>.state.
# Env knobs:
#   PG_KEEP_DATA=1     keep the data dir even if postgres-start.sh created it with mktemp
#   PG_REMOVE_DATA=1   remove the data dir even if the caller supplied it
#   PG_STOP_MODE       pg_ctl shutdown mode, default fast (smart|fast|immediate)
# Exit status 0 also when nothing was running (safe in a trap).
set -uo pipefail

log() { printf 'postgres-stop: %s\n' "$*" >&2; }

PGPORT=${PGPORT:-54329}
STATE_DIR=${TEST_SERVERS_STATE_DIR:-/tmp/imageservice-test-servers}
STATE_FILE="$STATE_DIR/pg-$PGPORT.state"
MODE=${PG_STOP_MODE:-fast}
unset PGDATA PGHOST PGUSER PGDATABASE PGPASSWORD
cd /

CREATED=0; st_match=0
if [[ -s "$STATE_FILE" ]]; then
  st_dir=$(sed -n 's/^PGDATA_DIR=//p' "$STATE_FILE")
  if [[ -z "${PGDATA_DIR:-}" || "$(cd "$PGDATA_DIR" 2>/dev/null && pwd -P)" == "$st_dir" ]]; then
    PGDATA_DIR=$st_dir; CREATED=$(sed -n 's/^CREATED=//p' "$STATE_FILE"); st_match=1
  fi
fi
if [[ -z "${PGDATA_DIR:-}" || ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
  log "no cluster found (PGDATA_DIR='${PGDATA_DIR:-}', state file $STATE_FILE); nothing to stop"
  (( st_match )) && rm -f "$STATE_FILE"
  exit 0
fi
PGDATA_DIR=$(cd "$PGDATA_DIR" && pwd -P)

ver=$(<"$PGDATA_DIR/PG_VERSION")
BINDIR=/usr/lib/postgresql/$ver/bin
[[ -x $BINDIR/pg_ctl ]] || BINDIR=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -x $BINDIR/pg_ctl ]] || { log "no pg_ctl found under /usr/lib/postgresql"; exit 1; }
owner=$(stat -c %U "$PGDATA_DIR")
RUNAS=()
[[ $(id -u) -eq 0 && "$owner" != root ]] && RUNAS=(runuser -u "$owner" --)

if "${RUNAS[@]}" "$BINDIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; then
  log "pg_ctl stop -D $PGDATA_DIR -m $MODE"
  "${RUNAS[@]}" "$BINDIR/pg_ctl" stop -D "$PGDATA_DIR" -m "$MODE" -w -t 60 -s >&2 \
    || { log "fast stop failed, trying immediate"; "${RUNAS[@]}" "$BINDIR/pg_ctl" stop -D "$PGDATA_DIR" -m immediate -w -t 30 -s >&2; }
else
  log "not running: $PGDATA_DIR"
fi

if [[ "${PG_REMOVE_DATA:-0}" == 1 || ( "$CREATED" == 1 && "${PG_KEEP_DATA:-0}" != 1 ) ]]; then
  if "${RUNAS[@]}" "$BINDIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; then
    log "still running; NOT removing $PGDATA_DIR"
  else
    log "removing $PGDATA_DIR"; rm -rf -- "$PGDATA_DIR"
  fi
else
  log "data kept in $PGDATA_DIR"
fi
(( st_match )) && rm -f "$STATE_FILE"
log "stopped"
