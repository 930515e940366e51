#!/usr/bin/env bash
# API benchmark: show-image, list-images (limit=20) and list-images (limit=1000, what the SCP
# Terraform provider sends on every image data-source read) under wrk, against a Release build on
# 127.0.0.1 with its own temporary data folder and 1,000 seeded images. Each figure is printed
# with its ratio to /healthz (the framework floor) measured in the same run on the same box, so
# runs on different machines compare by ratio.
#
# wrk cannot compute HMAC-SHA256, so each URL gets one signed header set from bench/ApiSeed just
# before its run: a signature stays valid for 15 minutes (docs/signing.md), longer than a run.
#
#   bench/api.sh [--db sqlite|postgres] [--storage files|s3]
#
# --db postgres keeps the metadata in PostgreSQL and --storage s3 configures an S3 bucket (Swift's
# s3api), both started on loopback by scripts/ (see bench/common.sh). The store is not
# read by these reads, but the service then runs as a node of a scaled-out deployment would.
#
# Settings (environment): BENCH_PORT (18181), BENCH_DURATION (15s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_BIG_CONNECTIONS (16, for limit=1000), BENCH_IMAGES (1000),
# BENCH_OBSERVABILITY (on): "on" runs the service as shipped, with metrics and one log line per
# request (written to a file); "off" turns both off (Metrics:Enabled=false, the request log category
# at Warning), to measure what they cost.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$root/bench/common.sh"
db=sqlite
storage=files
usage() { echo "usage: $0 [--db sqlite|postgres] [--storage files|s3]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db=$2; shift 2 ;;
        --storage) storage=$2; shift 2 ;;
        *) usage ;;
    esac
done
port=${BENCH_PORT:-18181}
duration=${BENCH_DURATION:-15s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
images=${BENCH_IMAGES:-1000}
# The limit=1000 row runs with 16 connections, as issue 16 measured it (bench/ApiSeed's scale runs).
big_connections=${BENCH_BIG_CONNECTIONS:-16}
endpoint="http://127.0.0.1:${port}"

work=$(mktemp -d -t imageservice-bench-XXXXXX)
server_pid=""

cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    bench_backends_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null; then
    echo "wrk is missing; installing it" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >&2; else sudo apt-get install -y wrk >&2; fi
fi

if ss -ltn "sport = :${port}" | grep -q LISTEN; then
    echo "port ${port} is in use; set BENCH_PORT" >&2
    exit 1
fi

bench_backends_start "$db" "$storage"

api_dir=$(dirname "$(bench_publish "$root/artifacts/bench/service")")
dotnet build -c Release -v quiet -nologo "$root/bench/ApiSeed/ApiSeed.csproj" >&2
seed_dll="$root/artifacts/bin/ApiSeed/release/ApiSeed.dll"

# The service reads appsettings.json from its content root, the build output folder.
export Data__Directory="$work/data"
export ASPNETCORE_ENVIRONMENT=Production
# The seeded images name an object store that is never contacted: the import worker is off, so the
# figures are the API's alone.
export Import__AllowedSources__0=https://object-store.example.com/ Import__RunWorker=false
if [[ "$db" == postgres ]]; then
    (cd "$api_dir" && dotnet ImageService.Api.dll db migrate) >&2
fi
(cd "$api_dir" && dotnet ImageService.Api.dll keys create \
    --account bench-account --account-name Bench --user-name bench@example.com) >"$work/key.json"

case "${BENCH_OBSERVABILITY:-on}" in
    on) observability=(--Metrics:Enabled=true --Logging:LogLevel:ImageService.Api.Observability.RequestLogMiddleware=Information) ;;
    off) observability=(--Metrics:Enabled=false --Logging:LogLevel:ImageService.Api.Observability.RequestLogMiddleware=Warning) ;;
    *) echo "BENCH_OBSERVABILITY must be on or off" >&2; exit 2 ;;
esac
(cd "$api_dir" && exec dotnet ImageService.Api.dll --urls "$endpoint" \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning "${observability[@]}") >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
    if curl -fsS "$endpoint/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
    sleep 0.2
done
curl -fsS "$endpoint/healthz" >/dev/null

echo "seeding ${images} images" >&2
image_id=$(dotnet "$seed_dll" seed "$endpoint" "$work/key.json" "$images")

# Runs wrk once to warm up (JIT, connection pools, SQLite page cache) and once to measure.
# Prints "<requests/s> <p50 ms> <p99 ms>"; fails on any non-2xx answer, which would measure the wrong thing.
measure() {
    local path=$1 signed=$2 connections=${3:-$connections}
    local -a headers=()
    if [[ "$signed" == yes ]]; then
        while IFS= read -r line; do headers+=(-H "$line"); done \
            < <(dotnet "$seed_dll" headers "$endpoint" "$work/key.json" GET "$path")
    fi

    wrk -t"$threads" -c"$connections" -d5s "${headers[@]}" "$endpoint$path" >/dev/null
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "${headers[@]}" "$endpoint$path")
    echo "$out" >"$work/wrk-$(echo "$path" | tr -c 'a-zA-Z0-9' '_').txt"
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$out" >&2
        echo "non-2xx answers from $path" >&2
        exit 1
    fi

    local rps p50 p99
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(latency_ms 50% <<<"$out")
    p99=$(latency_ms 99% <<<"$out")
    echo "$rps $p50 $p99"
}

# One percentile line of wrk --latency, in milliseconds.
latency_ms() {
    awk -v row="$1" '$1 == row {
        v = $2
        if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) }
        else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
        printf "%.2f", v
    }'
}

echo "measuring: wrk -t${threads} -c${connections} -d${duration}" >&2
read -r healthz_rps healthz_p50 healthz_p99 < <(measure "/healthz" no)
read -r show_rps show_p50 show_p99 < <(measure "/v1/images/${image_id}" yes)
read -r list_rps list_p50 list_p99 < <(measure "/v1/images?limit=20" yes)
read -r big_rps big_p50 big_p99 < <(measure "/v1/images?limit=1000" yes "$big_connections")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "min") ? v >= t : v <= t; print ok ? "ok" : "missed" }'; }

printf '\nproviders: %s; metrics and request log: %s; %s images; wrk -t%s -c%s -d%s\n' \
    "$(bench_backends_label "$db" "$storage")" "${BENCH_OBSERVABILITY:-on}" "$images" "$threads" "$connections" "$duration"
# Issue 16's targets (2-core machine, wrk on the same cores); each row also carries its ratio to
# /healthz from this run, the figure that compares across machines.
printf '\n%-36s %11s %8s %8s %9s  %s\n' "endpoint" "requests/s" "p50 ms" "p99 ms" "/healthz" "target"
row() {
    local label=$1 rps=$2 p50=$3 p99=$4 target=$5
    printf '%-36s %11.0f %8.2f %8.2f %9s  %s\n' "$label" "$rps" "$p50" "$p99" "$(ratio "$rps" "$healthz_rps")" "$target"
}
row "GET /healthz (baseline)" "$healthz_rps" "$healthz_p50" "$healthz_p99" "-"
row "GET /v1/images/{id} (showImage)" "$show_rps" "$show_p50" "$show_p99" \
    ">= 20000 req/s: $(verdict "$show_rps" 20000 min); p99 <= 10 ms: $(verdict "$show_p99" 10 max)"
row "GET /v1/images?limit=20 (list)" "$list_rps" "$list_p50" "$list_p99" \
    ">= 6000 req/s: $(verdict "$list_rps" 6000 min); p99 <= 10 ms: $(verdict "$list_p99" 10 max)"
row "GET /v1/images?limit=1000 (-c$big_connections)" "$big_rps" "$big_p50" "$big_p99" "p50 <= 20 ms: $(verdict "$big_p50" 20 max)"
