#!/usr/bin/env bash
# Import benchmark (issue 5): a qcow2 holding N GiB of random data, served from a loopback nginx,
# imported by the service (create -> active), against md5sum and sha512sum of the same file in the
# same run. Prints the import time, its ratio to the slower hash command, and the service's peak RSS.
#
#   bench/import.sh [--gib N] [--runs N] [--storage files|s3] [--db sqlite|postgres]
#
# Each of the --runs rounds (default 3) imports the file once more into the same service and then
# times md5sum and sha512sum of it, so a drift in the machine's speed reaches both sides of a
# round's ratio; the median ratio is the figure to quote. The first round is the process's first
# import (cold: connection pools, tiered JIT).
#
# --storage s3 stores the image in an S3 bucket (OpenStack Swift's s3api) and --db postgres keeps
# the metadata in PostgreSQL, both started on loopback from Debian packages by scripts/
# (as several nodes would use them) and stopped afterwards. Note that the store then runs on the
# same cores as the service and the hash commands.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"
gib=1
runs=3
storage=files
db=sqlite
usage() { echo "usage: $0 [--gib N] [--runs N] [--storage files|s3] [--db sqlite|postgres]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --gib) gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --storage) storage=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    *) usage ;;
  esac
done

bench_need qemu-img qemu-utils
bench_need nginx nginx-light
bench_need curl curl

work=$(mktemp -d /tmp/imageservice-bench.XXXXXX)
chmod 755 "$work"
service_pid=""; nginx_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  bench_backends_stop
  rm -rf "$work"
}
trap cleanup EXIT

bench_backends_start "$db" "$storage"

dll=$(bench_publish "$root/artifacts/bench/service")

file="$work/www/bucket/image.qcow2"
bench_random_qcow2 "$((gib * 1024))" "$file"
size=$(stat -c %s "$file")

bench_start_nginx "$work" "$work/www"

export Data__Directory="$work/data" Import__AllowedSources__0="http://127.0.0.1:$nginx_port/" Logging__LogLevel__Default=Warning
bench_start_service "$dll" "$work/service.log"
pid=$(pgrep -f "ImageService.Api.dll --urls http://127.0.0.1:$service_port" | head -1)

# Resident memory in KiB, and its parts: private (anonymous: heaps, JIT data), file-backed (the
# mapped code of the runtime, the framework and the libraries, shared with every process that maps
# the same files) and shared memory (the JIT's double-mapped code pages).
rss_parts() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { printf "%s ", $2 } END { print "" }' "/proc/$1/status"; }
sleep 1
read -r rss_start anon_start file_start shmem_start < <(rss_parts "$pid")
rss_before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
if [ -n "${BENCH_TRACE:-}" ]; then
  (sleep 1; dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration 00:00:00:05 -o "$BENCH_TRACE" >/dev/null 2>&1) &
fi
: >"$work/rounds"
for round in $(seq "$runs"); do
  echo "== round $round of $runs: importing ($size bytes), then md5sum and sha512sum" >&2
  cpu_before=$(bench_cpu_seconds "$pid")
  read -r id status start end peak < <(python3 "$here/import-once.py" "$SCP_ENDPOINT" "http://127.0.0.1:$nginx_port/bucket/image.qcow2" "$pid")
  cpu_after=$(bench_cpu_seconds "$pid")
  [ "$status" = "active" ] || exit 1
  t0=$(date +%s.%N); md5sum "$file" >/dev/null; t1=$(date +%s.%N); sha512sum "$file" >/dev/null; t2=$(date +%s.%N)
  echo "$start $end $t0 $t1 $t2 $cpu_before $cpu_after $peak" >>"$work/rounds"
  if [ "$round" = 1 ]; then read -r rss_one anon_one file_one shmem_one < <(rss_parts "$pid"); fi
done
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

python3 - "$work/rounds" "$size" "$rss_before" "$hwm" "$(bench_backends_label "$db" "$storage")" \
  "$rss_start $anon_start $file_start $shmem_start" "$rss_one $anon_one $file_one $shmem_one" <<'PY'
import statistics, sys
rounds = [list(map(float, line.split())) for line in open(sys.argv[1])]
size, before, hwm = map(int, sys.argv[2:5])
rss_start, rss_one = (list(map(int, a.split())) for a in sys.argv[6:8])
print(f"providers:             {sys.argv[5]}")
print(f"image size:            {size / 2**30:.2f} GiB, {len(rounds)} rounds")
print(f"{'round':>5} {'import s':>9} {'MiB/s':>6} {'md5sum s':>9} {'sha512sum s':>12} {'ratio':>6} {'CPU s':>6} {'cores':>6}")
ratios, imports, cpus = [], [], []
for i, (start, end, t0, t1, t2, cpu0, cpu1, peak) in enumerate(rounds, 1):
    imp, md5, sha, cpu = end - start, t1 - t0, t2 - t1, cpu1 - cpu0
    ratios.append(imp / max(md5, sha)); imports.append(imp); cpus.append(cpu)
    note = "  (cold: the process's first import)" if i == 1 else ""
    print(f"{i:>5} {imp:>9.2f} {size / imp / 2**20:>6.0f} {md5:>9.2f} {sha:>12.2f} {ratios[-1]:>6.2f} {cpu:>6.2f} {cpu / imp:>6.2f}{note}")
print(f"median import:         {statistics.median(imports):.2f} s  ({size / statistics.median(imports) / 2**20:.0f} MiB/s); "
      f"service CPU {statistics.median(cpus):.2f} s (user + system)")
print(f"median ratio import/slower hash: {statistics.median(ratios):.2f}  (target <= 1.5)")
def rss(label, parts):
    total, anon, mapped, shmem = (v / 1024 for v in parts)
    verdict = "ok" if total <= 100 else "missed"
    print(f"{label:<22} {total:.0f} MiB  (private {anon:.0f}, mapped files {mapped:.0f}, JIT code {shmem:.0f}; "
          f"target <= 100: {verdict}; ratio to the start {total * 1024 / rss_start[0]:.2f})")
rss("RSS after start:", rss_start)
rss("RSS after one import:", rss_one)
print(f"service peak RSS:      {hwm / 1024:.0f} MiB  (VmHWM over all rounds; {before / 1024:.0f} MiB before the first import; target <= 100)")
PY
