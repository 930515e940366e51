#!/usr/bin/env bash
# Serving benchmark (issue 16, item 6): GET /v2/images/{id}/file of one imported image with curl on
# loopback, against Debian's nginx (sendfile on) serving the very same stored file in the same run.
#
#   bench/serve.sh [--gib N] [--runs N]
#
# The image (a qcow2 of N GiB of random data, default 1) is imported through the service, so the
# file nginx serves is the one the service stored (data/images/<id>). Each figure is curl's average
# download rate to /dev/null, and each round measures nginx and the service back to back, whole file
# and one ranged request (the middle half, 206), so the machine's drift reaches both sides of a
# round's ratio; the median ratio per kind is the figure to quote (target >= 0.8).
#
# Warm rounds read a file whose pages are in the page cache. The cold row first drops the file's
# pages (posix_fadvise DONTNEED, no root needed) before each side: the import writes with direct I/O,
# so the first download after an import reads from the disk, which then sets the pace for both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"
# shellcheck source=bench/scp-sign.sh
. "$here/scp-sign.sh"
gib=1
runs=5
usage() { echo "usage: $0 [--gib N] [--runs N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --gib) gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) usage ;;
  esac
done

bench_need qemu-img qemu-utils
bench_need nginx nginx-light
bench_need curl curl
bench_need openssl openssl

work=$(mktemp -d /tmp/imageservice-bench.XXXXXX)
chmod 755 "$work"
service_pid=""; nginx_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dll=$(bench_publish "$root/artifacts/bench/service")

bench_random_qcow2 "$((gib * 1024))" "$work/www/bucket/image.qcow2"

# One nginx serves the import's source and, under /data/, the service's own data folder.
bench_start_nginx "$work" "$work"

export Data__Directory="$work/data" Import__AllowedSources__0="http://127.0.0.1:$nginx_port/" Logging__LogLevel__Default=Warning
bench_start_service "$dll" "$work/service.log"

echo "== importing the image through the service" >&2
id=$(scp_call POST /v1/images "{\"name\":\"serve-bench\",\"os_distro\":\"ubuntu\",\"url\":\"http://127.0.0.1:$nginx_port/www/bucket/image.qcow2\"}" | json_field id)
status=importing
while [ "$status" = importing ]; do
  sleep 0.2
  status=$(scp_call GET "/v1/images/$id" | json_field status)
done
[ "$status" = active ] || { echo "the import ended $status" >&2; exit 1; }
stored="$work/data/images/$id"
size=$(stat -c %s "$stored")
half_from=$((size / 4))
half_to=$((size / 4 + size / 2 - 1))

# Drops the stored file's pages from the page cache (clean pages only, which these are).
drop_cache() {
  python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$stored"
}

# fetch <nginx|service> <full|range> -> bytes per second; fails on a wrong status or length.
fetch() {
  local who=$1 kind=$2 url expect_code expect_size out
  local -a args=(-sS -o /dev/null -w '%{http_code} %{size_download} %{speed_download}')
  if [ "$who" = nginx ]; then
    url="http://127.0.0.1:$nginx_port/data/images/$id"
  else
    local path="/v2/images/$id/file" ts sig
    url="$SCP_ENDPOINT$path"
    ts=$(date +%s%3N)
    sig=$(printf '%s' "GET${url}${ts}${SCP_ACCESS_KEY}Openapi" | openssl dgst -sha256 -hmac "$SCP_SECRET_KEY" -binary | base64)
    args+=(-H "Scp-AccessKey: $SCP_ACCESS_KEY" -H "Scp-Timestamp: $ts" -H "Scp-Signature: $sig" -H "Scp-ClientType: Openapi")
  fi
  if [ "$kind" = range ]; then
    args+=(-H "Range: bytes=$half_from-$half_to")
    expect_code=206 expect_size=$((half_to - half_from + 1))
  else
    expect_code=200 expect_size=$size
  fi
  read -r code got speed < <(curl "${args[@]}" "$url")
  if [ "$code" != "$expect_code" ] || [ "$got" != "$expect_size" ]; then
    echo "$who $kind: HTTP $code with $got bytes, expected $expect_code with $expect_size" >&2
    exit 1
  fi
  echo "$speed"
}

: >"$work/rounds"
echo "== cold: the stored file's pages dropped before each side" >&2
drop_cache; cold_service=$(fetch service full)
drop_cache; cold_nginx=$(fetch nginx full)
cat "$stored" >/dev/null
for round in $(seq "$runs"); do
  echo "== round $round of $runs (page cache warm)" >&2
  echo "full $(fetch nginx full) $(fetch service full)" >>"$work/rounds"
  echo "range $(fetch nginx range) $(fetch service range)" >>"$work/rounds"
done

python3 - "$work/rounds" "$size" "$cold_nginx" "$cold_service" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
size, cold_nginx, cold_service = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
gib = lambda v: float(v) / 2**30
print(f"image file:   {size / 2**30:.2f} GiB, {len(rows) // 2} warm rounds; curl on loopback, -o /dev/null")
print(f"{'request':<28} {'nginx GiB/s':>12} {'service GiB/s':>14} {'ratio':>6}")
for kind, label in (("full", "GET whole file (200)"), ("range", "GET middle half (206)")):
    ratios = []
    for r in (r for r in rows if r[0] == kind):
        ratios.append(float(r[2]) / float(r[1]))
        print(f"{label:<28} {gib(r[1]):>12.2f} {gib(r[2]):>14.2f} {ratios[-1]:>6.2f}")
    median = statistics.median(ratios)
    print(f"median ratio, {kind}: {median:.2f}  (target >= 0.8: {'ok' if median >= 0.8 else 'below target'})")
print(f"{'cold, whole file (disk)':<28} {gib(cold_nginx):>12.2f} {gib(cold_service):>14.2f} {cold_service / cold_nginx:>6.2f}")
PY
