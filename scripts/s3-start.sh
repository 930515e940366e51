#!/usr/bin/env bash
# s3-start.sh - start a throwaway, real S3-compatible object store on 127.0.0.1 for the tests and
# the benchmarks (docs/test-servers.md):
# OpenStack Swift (Debian packages) as a "Swift All In One": one account, one
# container and one object server (single replica, rings built here) plus a
# proxy whose pipeline carries the s3api (S3 API) and tempauth middlewares.
#
# stdout (and nothing else goes to stdout):
#   S3_ENDPOINT=http://127.0.0.1:<S3_PORT>
#   S3_ACCESS_KEY=<account:user>
#   S3_SECRET_KEY=<secret>
#   S3_REGION=<region>
# Progress and errors go to stderr.  Use path-style addressing.
#
# Env knobs (all optional):
#   S3_DIR         data/config/log/pid directory (default: new mktemp dir /tmp/imageservice-s3.XXXXXX)
#   S3_PORT        proxy (S3 endpoint) port, default 8089.  The backends use
#                  S3_PORT+1 (object), +2 (container), +3 (account).
#   S3_ACCESS_KEY  default imageservice:imageservice  (must be <account>:<user>, [A-Za-z0-9-] only)
#   S3_SECRET_KEY  default imageservice-secret
#   S3_REGION      default us-east-1 (s3api "location"; used for SigV4)
#   S3_WORKERS     proxy worker processes, default 0 (= serve in the main process)
#   S3_START_TIMEOUT seconds to wait for readiness, default 60
#   S3_FS          where object data lives (Swift needs user.* xattrs):
#                    auto  (default) plain dir if user xattrs work there, else like xfs
#                    dir   plain directory $S3_DIR/srv (ext4: <= ~3.5 KiB metadata+key per object)
#                    xfs   sparse image $S3_DIR/xfs.img, mkfs.xfs, loop-mounted (root; installs xfsprogs)
#                    tmpfs RAM-backed tmpfs (root; kernel >= 6.6 for user xattrs)
#   S3_FS_SIZE     size of the xfs image / tmpfs, default 20g (xfs, sparse) / 8g (tmpfs)
#   TEST_SERVERS_STATE_DIR  where the port->dir state file lives (default /tmp/imageservice-test-servers)
#
# Idempotent: if an instance started by this script already serves S3_PORT (or
# S3_DIR), it just prints the values again.  Stop with s3-stop.sh.
set -euo pipefail
scripts_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # before any cd

log() { printf 's3-start: %s\n' "$*" >&2; }
die() { printf 's3-start: ERROR: %s\n' "$*" >&2; exit 1; }

S3_PORT=${S3_PORT:-8089}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-imageservice:imageservice}
S3_SECRET_KEY=${S3_SECRET_KEY:-imageservice-secret}
S3_REGION=${S3_REGION:-us-east-1}
S3_WORKERS=${S3_WORKERS:-0}
S3_START_TIMEOUT=${S3_START_TIMEOUT:-60}
S3_FS=${S3_FS:-auto}
S3_FS_SIZE=${S3_FS_SIZE:-}
STATE_DIR=${TEST_SERVERS_STATE_DIR:-/tmp/imageservice-test-servers}
STATE_FILE="$STATE_DIR/s3-$S3_PORT.state"
PY=/usr/bin/python3            # Debian's python (swift lives in its dist-packages), not pyenv's
OBJ_PORT=$((S3_PORT + 1)); CONT_PORT=$((S3_PORT + 2)); ACC_PORT=$((S3_PORT + 3))

[[ "$S3_PORT" =~ ^[0-9]+$ ]] && (( S3_PORT > 0 && S3_PORT <= 65531 )) || die "bad S3_PORT '$S3_PORT'"
[[ "$S3_ACCESS_KEY" =~ ^([A-Za-z0-9-]+):([A-Za-z0-9-]+)$ ]] \
  || die "S3_ACCESS_KEY must look like <account>:<user> using [A-Za-z0-9-] (tempauth naming)"
SW_ACCOUNT=${BASH_REMATCH[1]}; SW_USER=${BASH_REMATCH[2]}
[[ "$S3_SECRET_KEY" =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "S3_SECRET_KEY: use [A-Za-z0-9._~+/=-] only"
[[ "$S3_REGION" =~ ^[a-z0-9-]+$ ]] || die "bad S3_REGION"

print_values() {
  printf 'S3_ENDPOINT=http://127.0.0.1:%s\n' "$S3_PORT"
  printf 'S3_ACCESS_KEY=%s\n' "$S3_ACCESS_KEY"
  printf 'S3_SECRET_KEY=%s\n' "$S3_SECRET_KEY"
  printf 'S3_REGION=%s\n' "$S3_REGION"
}

# pid file -> pid, only if that pid is alive AND is one of our swift processes for this dir
live_pid() {
  local f=$1 pid
  [[ -s "$f" ]] || return 1
  pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$S3_DIR/etc/"* ]] || return 1
  echo "$pid"
}

healthy() {  # all four servers answer /healthcheck
  local p
  for p in "$S3_PORT" "$OBJ_PORT" "$CONT_PORT" "$ACC_PORT"; do
    [[ "$(curl -s --max-time 2 --noproxy '*' "http://127.0.0.1:$p/healthcheck" 2>/dev/null)" == OK ]] || return 1
  done
}

# ---------------------------------------------------------------- reuse?
CREATED=0
if [[ -z "${S3_DIR:-}" && -s "$STATE_FILE" ]]; then
  S3_DIR=$(sed -n 's/^S3_DIR=//p' "$STATE_FILE"); CREATED=$(sed -n 's/^CREATED=//p' "$STATE_FILE")
  [[ -d "$S3_DIR" ]] || { S3_DIR=""; CREATED=0; }
fi
if [[ -n "${S3_DIR:-}" && -d "$S3_DIR/run" ]] && live_pid "$S3_DIR/run/proxy.pid" >/dev/null && healthy; then
  log "already running from $S3_DIR"
  if [[ -s "$S3_DIR/run/values.env" ]]; then
    [[ "$(print_values)" == "$(<"$S3_DIR/run/values.env")" ]] \
      || log "WARNING: running instance was started with other settings; printing those (stop it to change them)"
    cat "$S3_DIR/run/values.env"
  else print_values; fi
  exit 0
fi

# ---------------------------------------------------------------- install
# shellcheck source=install-packages.sh
source "$scripts_dir/install-packages.sh"

need=()
for p in swift swift-proxy swift-object swift-container swift-account; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == "install ok installed" ]] || need+=("$p")
done
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  log "installing ${need[*]} (first run only)"
  t0=$SECONDS
  install_pkgs "${need[@]}"
  log "install took $((SECONDS - t0))s"
fi
[[ -r /etc/swift/swift.conf ]] || die "/etc/swift/swift.conf missing (the swift package ships it; swift always reads the hash prefix/suffix and storage policies from there)"

# ---------------------------------------------------------------- ports free?
for p in "$S3_PORT" "$OBJ_PORT" "$CONT_PORT" "$ACC_PORT" "$((S3_PORT + 4))"; do
  if [[ -n "$(ss -Htln "sport = :$p")" ]]; then
    die "port $p already in use (S3_PORT=$S3_PORT uses $S3_PORT..$((S3_PORT + 4))); pick another S3_PORT or stop the old instance"
  fi
done

# ---------------------------------------------------------------- layout + storage filesystem
if [[ -z "${S3_DIR:-}" ]]; then
  S3_DIR=$(mktemp -d /tmp/imageservice-s3.XXXXXX); CREATED=1
fi
mkdir -p "$S3_DIR"
S3_DIR=$(cd "$S3_DIR" && pwd -P)
if [[ $(id -u) -eq 0 ]]; then RUN_USER=swift; id swift >/dev/null 2>&1 || die "no 'swift' user (package should create it)"
else RUN_USER=$(id -un); fi
mkdir -p "$S3_DIR"/{etc,srv,run,log,cache}
chmod 755 "$S3_DIR"          # mktemp makes 0700; the swift user must traverse it
# record the instance right away, so s3-stop.sh can also clean up a start that failed half-way
mkdir -p "$STATE_DIR"
printf 'S3_DIR=%s\nCREATED=%s\n' "$S3_DIR" "$CREATED" >"$STATE_FILE"

# Swift keeps each object's metadata (pickled, 254-byte chunks) in user.* xattrs of the data file.
xattr_probe() {  # $1 dir, $2 number of 254-byte chunks that must fit
  "$PY" - "$1" "$2" <<'EOF' >&2
import os, sys
p = os.path.join(sys.argv[1], ".xattr-probe")
open(p, "w").close()
try:
    for i in range(int(sys.argv[2])):
        os.setxattr(p, "user.swift.metadata%s" % (i or ""), b"x" * 254)
except OSError as e:
    print("s3-start: xattr probe on %s: %s" % (sys.argv[1], e)); sys.exit(1)
finally:
    os.unlink(p)
EOF
}
mount_srv() {  # $1 = xfs|tmpfs ; mounts $S3_DIR/srv (root only)
  [[ $(id -u) -eq 0 ]] || die "S3_FS=$1 needs root (mount)"
  mountpoint -q "$S3_DIR/srv" && return 0
  local size=${S3_FS_SIZE:-}
  [[ -n $size ]] || { [[ $1 == xfs ]] && size=20g || size=8g; }
  case $1 in
    xfs)
      command -v mkfs.xfs >/dev/null || { log "installing xfsprogs"; install_pkgs xfsprogs; }
      if [[ ! -s "$S3_DIR/xfs.img" ]]; then
        truncate -s "$size" "$S3_DIR/xfs.img"      # sparse: only written data uses disk
        mkfs.xfs -q -f "$S3_DIR/xfs.img" >&2
      fi
      mount -o loop,noatime "$S3_DIR/xfs.img" "$S3_DIR/srv" || die "loop mount of $S3_DIR/xfs.img failed (no loop devices?)";;
    tmpfs)
      mount -t tmpfs -o "size=$size,mode=755" imageservice-s3 "$S3_DIR/srv" || die "tmpfs mount failed";;
  esac
}
case $S3_FS in
  dir)  ;;
  xfs|tmpfs) mount_srv "$S3_FS" ;;
  auto) if [[ -s "$S3_DIR/xfs.img" ]]; then S3_FS=xfs; mount_srv xfs     # reused dir that had an image
        elif ! xattr_probe "$S3_DIR/srv" 8; then
          log "no usable user xattrs under $S3_DIR; falling back to a loop-mounted XFS image"
          S3_FS=xfs; mount_srv xfs
        else S3_FS=dir; fi ;;
  *) die "S3_FS must be auto|dir|xfs|tmpfs" ;;
esac
echo "$S3_FS" >"$S3_DIR/run/fs"
mkdir -p "$S3_DIR/srv/node/d1"
if [[ $(id -u) -eq 0 ]]; then chown -R swift:swift "$S3_DIR"/{srv,cache,run,log}; fi
xattr_probe "$S3_DIR/srv/node/d1" 8 \
  || die "filesystem under $S3_DIR/srv lacks usable user xattrs; use S3_FS=xfs (loop image) or S3_FS=tmpfs"

# ---------------------------------------------------------------- config
LOGSOCK="$S3_DIR/run/log.sock"                     # AF_UNIX paths must stay < 108 bytes
(( ${#LOGSOCK} < 100 )) || { mkdir -p "$STATE_DIR"; LOGSOCK="$STATE_DIR/s3-$S3_PORT-log.sock"; }
(( ${#LOGSOCK} < 100 )) || die "cannot place the log socket on a short path; use a shorter S3_DIR"
LOGCONF="log_address = $LOGSOCK"

common() {  # $1 port, $2 workers
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = $2
user = $RUN_USER
swift_dir = $S3_DIR/etc
devices = $S3_DIR/srv/node
mount_check = false
recon_cache_path = $S3_DIR/cache
$LOGCONF
log_level = INFO
EOF
}

for srv in account container object; do
  case $srv in account) port=$ACC_PORT;; container) port=$CONT_PORT;; object) port=$OBJ_PORT;; esac
  extra=""
  [[ $srv == object ]] && extra=$'network_chunk_size = 1048576\ndisk_chunk_size = 1048576'
  {
    common "$port" 0
    cat <<EOF
log_name = $srv-server

[pipeline:main]
pipeline = healthcheck $srv-server

[app:$srv-server]
use = egg:swift#$srv
$extra

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  } >"$S3_DIR/etc/$srv-server.conf"
done

{
  common "$S3_PORT" "$S3_WORKERS"
  cat <<EOF
log_name = proxy-server
client_timeout = 120

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
client_chunk_size = 1048576
object_chunk_size = 1048576

[filter:s3api]
use = egg:swift#s3api
location = $S3_REGION
dns_compliant_bucket_names = true
# S3 allows 10000 parts; swift's default is 1000 (keep slo max_manifest_segments in step)
max_upload_part_num = 10000
s3_acl = false

[filter:tempauth]
use = egg:swift#tempauth
user_${SW_ACCOUNT}_${SW_USER} = $S3_SECRET_KEY .admin

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000
max_manifest_size = 16777216

[filter:dlo]
use = egg:swift#dlo

[filter:copy]
use = egg:swift#copy

[filter:bulk]
use = egg:swift#bulk

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:cache]
use = egg:swift#memcache
# no memcached is run: S3 (SigV2/V4) auth via tempauth works without it. This loopback
# port (S3_PORT+4) is deliberately left unserved, so cache lookups just miss.
memcache_servers = 127.0.0.1:$((S3_PORT + 4))

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:catch_errors]
use = egg:swift#catch_errors
EOF
} >"$S3_DIR/etc/proxy-server.conf"

# ---------------------------------------------------------------- rings (one process, no CLI round trips)
"$PY" - "$S3_DIR/etc" "$ACC_PORT" "$CONT_PORT" "$OBJ_PORT" <<'EOF' >&2
import sys, os
from swift.common.ring import RingBuilder
d, ports = sys.argv[1], dict(zip(("account", "container", "object"), map(int, sys.argv[2:5])))
for name, port in ports.items():
    b = RingBuilder(8, 1, 1)          # 2^8 partitions, 1 replica, min_part_hours 1
    b.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": port,
               "replication_ip": "127.0.0.1", "replication_port": port,
               "device": "d1", "weight": 100, "meta": ""})
    b.rebalance()
    b.save(os.path.join(d, name + ".builder"))
    b.get_ring().save(os.path.join(d, name + ".ring.gz"))
EOF

# ---------------------------------------------------------------- start
# Servers run as $RUN_USER from exec on (setpriv, no fork); with workers=0 swift itself would
# never drop root.  setsid: each server is its own session/process group (a swift parent with
# workers>0 does killpg(0) on SIGTERM, which must not reach the caller's shell).
RUNAS=()
[[ $(id -u) -eq 0 ]] && RUNAS=(setpriv --reuid=swift --regid=swift --init-groups --)

rm -f "$LOGSOCK"
# tiny syslog sink: swift only logs via syslog; keep the lines in $S3_DIR/log/swift.log
setsid "${RUNAS[@]}" "$PY" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
f = open(sys.argv[2], "ab", 0)
while True:
    f.write(s.recv(65536).rstrip(b"\0\n") + b"\n")
' "$LOGSOCK" "$S3_DIR/log/swift.log" </dev/null >>"$S3_DIR/log/logsink.out" 2>&1 &
echo $! >"$S3_DIR/run/logsink.pid"
for _ in $(seq 50); do [[ -S "$LOGSOCK" ]] && break; sleep 0.1; done
[[ -S "$LOGSOCK" ]] || die "log sink did not start; see $S3_DIR/log/logsink.out"

# swift 2.30's proxy-logging middleware ignores log_address and would fall back to syslog over
# UDP to localhost:514 (an unconnected UDP socket, auto-bound to 0.0.0.0).  This launcher
# injects log_address for it, so every log line goes to the unix socket above.
cat >"$S3_DIR/etc/proxy-launcher.py" <<'EOF'
import sys
LOG_ADDRESS = sys.argv.pop(2)
try:
    import swift.common.middleware.proxy_logging as _pl
    _orig_get_logger = _pl.get_logger
    def _get_logger(conf, *a, **kw):
        conf = dict(conf or {})
        conf.setdefault("log_address", LOG_ADDRESS)
        return _orig_get_logger(conf, *a, **kw)
    _pl.get_logger = _get_logger
except Exception as e:  # keep working if a future swift moves things around
    print("proxy-launcher: could not patch proxy_logging: %r" % (e,), file=sys.stderr)
from swift.common.utils import parse_options
from swift.common.wsgi import run_wsgi
conf_file, options = parse_options()
sys.exit(run_wsgi(conf_file, "proxy-server", **options))
EOF

for srv in account container object proxy; do
  if [[ $srv == proxy ]]; then cmd=("$PY" "$S3_DIR/etc/proxy-launcher.py" "$S3_DIR/etc/proxy-server.conf" "$LOGSOCK")
  else cmd=("/usr/bin/swift-$srv-server" "$S3_DIR/etc/$srv-server.conf"); fi
  setsid "${RUNAS[@]}" "${cmd[@]}" </dev/null >>"$S3_DIR/log/$srv.out" 2>&1 &
  echo $! >"$S3_DIR/run/$srv.pid"
done


deadline=$((SECONDS + S3_START_TIMEOUT))
until healthy; do
  for srv in account container object proxy; do
    live_pid "$S3_DIR/run/$srv.pid" >/dev/null || { tail -n 20 "$S3_DIR/log/$srv.out" >&2 || true; die "swift-$srv-server exited; see $S3_DIR/log/"; }
  done
  (( SECONDS < deadline )) || die "not healthy after ${S3_START_TIMEOUT}s; see $S3_DIR/log/"
  sleep 0.2
done

# end-to-end check through s3api + tempauth + account server: a SigV2-signed S3 ListBuckets
"$PY" - "$S3_PORT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" <<'EOF' >&2 || die "S3 ListBuckets probe failed; see $S3_DIR/log/"
import base64, hmac, hashlib, sys, urllib.request, email.utils
port, ak, sk = sys.argv[1:4]
date = email.utils.formatdate(usegmt=True)
sig = base64.b64encode(hmac.new(sk.encode(), ("GET\n\n\n%s\n/" % date).encode(), hashlib.sha1).digest()).decode()
req = urllib.request.Request("http://127.0.0.1:%s/" % port,
                             headers={"Date": date, "Authorization": "AWS %s:%s" % (ak, sig)})
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with opener.open(req, timeout=10) as r:
    body = r.read()
    assert r.status == 200 and b"ListAllMyBucketsResult" in body, (r.status, body[:300])
EOF

log "ready: swift s3api on 127.0.0.1:$S3_PORT (backends $OBJ_PORT-$ACC_PORT), dir $S3_DIR"
print_values >"$S3_DIR/run/values.env"
print_values
