#!/usr/bin/env bash
# Parallel ranged download benchmark (issue 13): nginx from Debian caps each connection at --rate
# (limit_rate, default 50m = 50 MiB/s) and serves a qcow2 of N GiB of random data on loopback. The
# service imports it once with one connection (Import:ParallelConnections=1) and once with the
# default parallel setting; md5sum and sha512sum time the same file. Prints both import times, the
# speed-up, and the parallel time against the larger of the slower hash and size / (4 x cap).
#
#   bench/import-parallel.sh [--gib N | --mib N] [--rate 50m]
#
# Targets (issue 13): parallel at least 3x faster than one connection, and within 1.3x of
# max(slower hash, size / (4 x cap)).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"
mib=2048
rate=50m
usage() { echo "usage: $0 [--gib N | --mib N] [--rate 50m]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --gib) mib=$(($2 * 1024)); shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    *) usage ;;
  esac
done
case "$rate" in *m) cap=$(( ${rate%m} << 20 )) ;; *k) cap=$(( ${rate%k} << 10 )) ;; *) cap=$rate ;; esac

bench_need qemu-img qemu-utils
bench_need nginx nginx-light
bench_need curl curl

work=$(mktemp -d /tmp/imageservice-bench.XXXXXX)
chmod 755 "$work"
service_pid=""; nginx_pid=""
stop_service() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  service_pid=""
}
cleanup() {
  stop_service
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dll=$(bench_publish "$root/artifacts/bench/service")

mkdir -p "$work/www/bucket"
file="$work/www/bucket/image.qcow2"
bench_random_qcow2 "$mib" "$file"
size=$(stat -c %s "$file")
# Each service imports this one first, untimed: a fresh process compiles its hot paths (and then
# recompiles them optimised, on a thread of its own) during its first imports, which on two cores
# takes CPU from the hashes; a node that has run a while has done that long ago. 128 MiB is above
# Import:ParallelThresholdBytes, so the warm-up takes the parallel path too.
bench_random_qcow2 128 "$work/www/bucket/warm-up.qcow2"

# limit_rate caps each request (here each connection) at the rate; nginx answers ranges and
# If-Range on static files and sends a strong ETag.
bench_start_nginx "$work" "$work/www" "limit_rate $rate;"

# One service per setting (the options are read at start); each gets a fresh data folder.
import_with() {
  local connections=$1 pid
  rm -rf "$work/data"
  export Data__Directory="$work/data" Import__AllowedSources__0="http://127.0.0.1:$nginx_port/" Logging__LogLevel__Default=Warning
  if [ -n "$connections" ]; then export Import__ParallelConnections="$connections"; else unset Import__ParallelConnections; fi
  bench_start_service "$dll" "$work/service.log"
  pid=$(pgrep -f "ImageService.Api.dll --urls http://127.0.0.1:$service_port" | head -1)
  read -r _ status _ < <(python3 "$here/import-once.py" "$SCP_ENDPOINT" "http://127.0.0.1:$nginx_port/bucket/warm-up.qcow2" "$pid")
  [ "$status" = "active" ] || { echo "the warm-up import ended $status" >&2; exit 1; }
  read -r _ status start end _ < <(python3 "$here/import-once.py" "$SCP_ENDPOINT" "http://127.0.0.1:$nginx_port/bucket/image.qcow2" "$pid")
  stop_service
  [ "$status" = "active" ] || { echo "the import ended $status" >&2; exit 1; }
  python3 -c "print($end - $start)"
}

echo "== importing ($size bytes) over one connection" >&2
one=$(import_with 1)
echo "== importing over the default parallel setting" >&2
parallel=$(import_with "")
t0=$(date +%s.%N); md5sum "$file" >/dev/null; t1=$(date +%s.%N); sha512sum "$file" >/dev/null; t2=$(date +%s.%N)

python3 - "$size" "$cap" "$one" "$parallel" "$t0" "$t1" "$t2" <<'PY'
import sys
size, cap = int(sys.argv[1]), int(sys.argv[2])
one, parallel, t0, t1, t2 = map(float, sys.argv[3:])
hash_s = max(t1 - t0, t2 - t1)
floor = max(hash_s, size / (4 * cap))
print(f"image size:            {size / 2**20:.0f} MiB, cap {cap / 2**20:.0f} MiB/s per connection")
print(f"one connection:        {one:.2f} s  ({size / one / 2**20:.0f} MiB/s)")
print(f"parallel (default):    {parallel:.2f} s  ({size / parallel / 2**20:.0f} MiB/s)")
print(f"speed-up:              {one / parallel:.2f}  (target >= 3)")
print(f"slower hash:           {hash_s:.2f} s; size / (4 x cap): {size / (4 * cap):.2f} s")
print(f"parallel / max(those): {parallel / floor:.2f}  (target <= 1.3)")
PY
