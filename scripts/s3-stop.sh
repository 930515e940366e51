#!/usr/bin/env bash
# s3-stop.sh - stop exactly the Swift/s3api instance that s3-start.sh started (docs/test-servers.md).
#
# Finds the instance by $S3_DIR, or else by the state file that s3-start.sh wrote
# for $S3_PORT (default 8089).  Signals only the PIDs recorded in $S3_DIR/run/*.pid,
# and only if /proc/<pid>/cmdline still refers to that directory (no name-based kills).
#
# Env knobs:
#   S3_DIR / S3_PORT      which instance (see above)
#   S3_KEEP_DATA=1        keep the directory even if s3-start.sh created it with mktemp
#   S3_REMOVE_DATA=1      remove the directory even if the caller supplied it
#   TEST_SERVERS_STATE_DIR     default /tmp/imageservice-test-servers
# Exit status 0 also when nothing was running (safe in a trap).
set -uo pipefail

log() { printf 's3-stop: %s\n' "$*" >&2; }

S3_PORT=${S3_PORT:-8089}
STATE_DIR=${TEST_SERVERS_STATE_DIR:-/tmp/imageservice-test-servers}
STATE_FILE="$STATE_DIR/s3-$S3_PORT.state"
CREATED=0; st_match=0
if [[ -s "$STATE_FILE" ]]; then
  st_dir=$(sed -n 's/^S3_DIR=//p' "$STATE_FILE")
  if [[ -z "${S3_DIR:-}" || "$(cd "${S3_DIR}" 2>/dev/null && pwd -P)" == "$st_dir" ]]; then
    S3_DIR=$st_dir
    CREATED=$(sed -n 's/^CREATED=//p' "$STATE_FILE"); st_match=1
  fi
fi
if [[ -z "${S3_DIR:-}" || ! -d "$S3_DIR/run" ]]; then
  log "no instance found (S3_DIR='${S3_DIR:-}', state file $STATE_FILE); nothing to stop"
  exit 0
fi
S3_DIR=$(cd "$S3_DIR" && pwd -P)

ours() {  # pid file -> pid if alive and really ours
  local f=$1 pid
  [[ -s "$f" ]] || return 1
  pid=$(<"$f"); [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$S3_DIR/"* ]] || return 1
  echo "$pid"
}

pids=()
for srv in proxy object container account logsink; do
  if pid=$(ours "$S3_DIR/run/$srv.pid"); then pids+=("$pid"); log "stopping $srv (pid $pid)"; kill -TERM "$pid" 2>/dev/null; fi
done
# wait up to 15 s, then KILL whatever of ours is left (each server is its own process group
# because s3-start.sh used setsid, so a group kill reaches forked workers too)
for _ in $(seq 150); do
  alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  (( alive )) || break; sleep 0.1
done
for pid in "${pids[@]}"; do
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid still alive, SIGKILL to its process group"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; fi
done
# S3_FS=xfs|tmpfs: unmount the storage filesystem (the loop device detaches itself on umount)
if mountpoint -q "$S3_DIR/srv" 2>/dev/null; then
  log "umount $S3_DIR/srv"
  umount "$S3_DIR/srv" 2>/dev/null || { sleep 1; umount "$S3_DIR/srv"; } || log "WARNING: could not unmount $S3_DIR/srv"
fi
rm -f "$S3_DIR"/run/*.pid "$S3_DIR/run/log.sock" "$STATE_DIR/s3-$S3_PORT-log.sock"

if [[ "${S3_REMOVE_DATA:-0}" == 1 || ( "$CREATED" == 1 && "${S3_KEEP_DATA:-0}" != 1 ) ]]; then
  if mountpoint -q "$S3_DIR/srv" 2>/dev/null; then log "still mounted; NOT removing $S3_DIR"
  else log "removing $S3_DIR"; rm -rf --one-file-system -- "$S3_DIR"; fi
else
  log "data kept in $S3_DIR"
fi
(( st_match )) && rm -f "$STATE_FILE"
log "stopped"
