#!/usr/bin/env bash
# Resume benchmark (issue 13): a loopback source (bench/resume-source.py) serves a qcow2 of N GiB of
# random data with ranges and resets the connection three times during the import, at a quarter, a
# half and three quarters. Prints the bytes the source sent divided by the image size (target
# <= 1.05; a restart from zero would be about 2 to 4) and the resumes the import status counted.
#
#   bench/import-resume.sh [--gib N | --mib N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"
mib=1024
usage() { echo "usage: $0 [--gib N | --mib N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --gib) mib=$(($2 * 1024)); shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    *) usage ;;
  esac
done

bench_need qemu-img qemu-utils
bench_need curl curl

work=$(mktemp -d /tmp/imageservice-bench.XXXXXX)
service_pid=""; source_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null || true
  [ -n "$source_pid" ] && kill "$source_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dll=$(bench_publish "$root/artifacts/bench/service")
file="$work/image.qcow2"
bench_random_qcow2 "$mib" "$file"
size=$(stat -c %s "$file")

source_port=$(bench_free_ports 1)
python3 "$here/resume-source.py" "$source_port" "$file" "$work/sent" $((size / 4)) $((size / 2)) $((size * 3 / 4)) &
source_pid=$!
for _ in $(seq 50); do curl -sfI "http://127.0.0.1:$source_port/image.qcow2" >/dev/null && break; sleep 0.1; done

# The import is one stream here (the resume is what is measured, not the parallel download), with
# the default reconnection settings.
export Data__Directory="$work/data" Import__AllowedSources__0="http://127.0.0.1:$source_port/" Logging__LogLevel__Default=Warning \
  Import__ParallelConnections=1
bench_start_service "$dll" "$work/service.log"
pid=$(pgrep -f "ImageService.Api.dll --urls http://127.0.0.1:$service_port" | head -1)
: > "$work/sent"
# The HEAD above sent no body; count from the import's first request on.
echo "== importing ($size bytes); the source resets the connection three times" >&2
read -r id status start end _ < <(python3 "$here/import-once.py" "$SCP_ENDPOINT" "http://127.0.0.1:$source_port/image.qcow2" "$pid")
[ "$status" = "active" ] || { echo "the import ended $status" >&2; exit 1; }
# The import status's resume count, signed as import-once.py signs (docs/signing.md).
resumes=$(python3 - "$SCP_ENDPOINT" "$id" <<'PY'
import base64, hashlib, hmac, json, os, sys, time, urllib.request
endpoint, image = sys.argv[1], sys.argv[2]
access, secret = os.environ["SCP_ACCESS_KEY"], os.environ["SCP_SECRET_KEY"]
url = f"{endpoint}/v1/images/{image}/import"
ts = str(int(time.time() * 1000))
signature = base64.b64encode(hmac.new(secret.encode(), f"GET{url}{ts}{access}Openapi".encode(), hashlib.sha256).digest()).decode()
request = urllib.request.Request(url, headers={"Scp-AccessKey": access, "Scp-Timestamp": ts, "Scp-Signature": signature,
                                               "Scp-ClientType": "Openapi", "Scp-API-Version": "virtualserver 1.3"})
print(json.load(urllib.request.urlopen(request))["resumes"])
PY
)
python3 - "$size" "$(cat "$work/sent")" "$start" "$end" "$resumes" <<'PY'
import sys
size, sent = int(sys.argv[1]), int(sys.argv[2])
start, end = float(sys.argv[3]), float(sys.argv[4])
print(f"image size:            {size / 2**20:.0f} MiB; import {end - start:.2f} s; resumes counted: {sys.argv[5]}")
print(f"source sent / size:    {sent / size:.3f}  (target <= 1.05)")
PY
