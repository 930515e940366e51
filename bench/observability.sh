#!/usr/bin/env bash
# What metrics and the request log cost (issue 15: under 10% on show and list). Two copies of the
# same Release build run side by side on one data folder of seeded images: "on" as shipped
# (metrics, one log line per request written to a file), "off" with both turned off
# (Metrics:Enabled=false, the request log category at Warning). wrk then alternates between them,
# on, off, on, off, for BENCH_ROUNDS rounds per endpoint, so that a machine that gets busier or
# quieter during the run weighs on both alike.
#
# Two figures per endpoint, each the median over the rounds:
#   - requests/s, and the ratio on ÷ off;
#   - the service's CPU time per request (utime + stime from /proc, divided by the requests wrk
#     completed), and the ratio on ÷ off. This one barely moves with what else the machine runs,
#     so it is the figure the note quotes; "cost" is ratio - 1;
#   - with perf (Debian's linux-perf; BENCH_PROFILE=off skips it), one more run of the "on" copy
#     under `perf record`, and the share of its CPU samples whose stack is inside the request log
#     or inside metrics (bench/observability-profile.py): where the cost is, whatever else runs.
#
#   bench/observability.sh
#
# Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION (10s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_IMAGES (1000), BENCH_PROFILE (on).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$root/bench/common.sh"
[ $# -eq 0 ] || { echo "usage: $0 (settings in the environment)" >&2; exit 2; }
rounds=${BENCH_ROUNDS:-5}
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
images=${BENCH_IMAGES:-1000}
profile=${BENCH_PROFILE:-on}

work=$(mktemp -d -t imageservice-bench-XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_need wrk wrk
if [ "$profile" = on ]; then
    bench_need perf linux-perf
    # perf names JIT-compiled methods from the runtime's perf map; W^X off keeps the code at the
    # addresses the map gives. Both copies run so, to stay alike.
    export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi
api_dir=$(dirname "$(bench_publish "$root/artifacts/bench/service")")
dotnet build -c Release -v quiet -nologo "$root/bench/ApiSeed/ApiSeed.csproj" >&2
seed_dll="$root/artifacts/bin/ApiSeed/release/ApiSeed.dll"

export Data__Directory="$work/data" ASPNETCORE_ENVIRONMENT=Production
# Idle thread-pool workers spin before they sleep, and the spinning is CPU time that grows with how
# busy the machine is, not with the work done; without it the CPU per request measures the work.
# Both copies run so; it changes no request's path.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
# The seeded images name an object store that is never contacted: the import worker is off.
export Import__AllowedSources__0=https://object-store.example.com/ Import__RunWorker=false
(cd "$api_dir" && dotnet ImageService.Api.dll keys create \
    --account bench-account --account-name Bench --user-name bench@example.com) >"$work/key.json"

# start <name> <settings...>: starts one copy on a free port; sets its endpoint and pid.
declare -A endpoint pid
start() {
    local name=$1 port
    shift
    port=$(bench_free_ports 1)
    endpoint[$name]="http://127.0.0.1:$port"
    (cd "$api_dir" && exec dotnet ImageService.Api.dll --urls "${endpoint[$name]}" \
        --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning "$@") >"$work/$name.log" 2>&1 &
    pid[$name]=$!
    pids+=("$!")
    for _ in $(seq 1 100); do
        curl -fsS "${endpoint[$name]}/healthz" >/dev/null 2>&1 && return 0
        kill -0 "${pid[$name]}" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "the '$name' copy did not start" >&2
    exit 1
}
start on --Metrics:Enabled=true --Logging:LogLevel:ImageService.Api.Observability.RequestLogMiddleware=Information
start off --Metrics:Enabled=false --Logging:LogLevel:ImageService.Api.Observability.RequestLogMiddleware=Warning

echo "seeding ${images} images" >&2
image_id=$(dotnet "$seed_dll" seed "${endpoint[on]}" "$work/key.json" "$images")

# CPU ticks (utime + stime) the process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# measure <copy> <path>: one wrk run; prints "<requests/s> <CPU µs per request>". Signs the path
# for that copy's endpoint (a signature names the host), fails on any non-2xx answer.
measure() {
    local name=$1 path=$2 before after out requests
    local -a headers=()
    while IFS= read -r line; do headers+=(-H "$line"); done \
        < <(dotnet "$seed_dll" headers "${endpoint[$name]}" "$work/key.json" GET "$path")
    before=$(cpu_ticks "${pid[$name]}")
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" "${headers[@]}" "${endpoint[$name]}$path")
    after=$(cpu_ticks "${pid[$name]}")
    if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "non-2xx answers from $path" >&2; exit 1; fi
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    awk -v rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" -v t=$((after - before)) -v hz="$ticks_per_second" \
        -v n="$requests" 'BEGIN { printf "%s %.1f\n", rps, t / hz * 1e6 / n }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '\nmetrics and request log on vs off; SQLite + files; %s images; %s rounds of wrk -t%s -c%s -d%s each\n' \
    "$images" "$rounds" "$threads" "$connections" "$duration"
header() {
    printf '\n%-34s %10s %10s %7s %11s %11s %7s  %s\n' "endpoint" "on req/s" "off req/s" "ratio" "on CPU µs" "off CPU µs" "ratio" "cost (CPU), target < 10%"
}
profiles=""
rows=""
for row in "GET /v1/images/{id} (showImage)|/v1/images/${image_id}" "GET /v1/images?limit=20 (list)|/v1/images?limit=20"; do
    label=${row%%|*}
    path=${row#*|}
    # Warm-up of both copies (JIT, connection pools, page cache), not counted.
    for name in on off; do measure "$name" "$path" >/dev/null; done
    : >"$work/on.txt"
    : >"$work/off.txt"
    for _ in $(seq 1 "$rounds"); do
        for name in on off; do measure "$name" "$path" >>"$work/$name.txt"; done
    done
    on_rps=$(awk '{ print $1 }' "$work/on.txt" | median)
    off_rps=$(awk '{ print $1 }' "$work/off.txt" | median)
    on_cpu=$(awk '{ print $2 }' "$work/on.txt" | median)
    off_cpu=$(awk '{ print $2 }' "$work/off.txt" | median)
    rows+=$(awk -v l="$label" -v a="$on_rps" -v b="$off_rps" -v c="$on_cpu" -v d="$off_cpu" 'BEGIN {
        cost = c / d - 1
        printf "%-34s %10.0f %10.0f %7.3f %11.1f %11.1f %7.3f  %+.1f%%: %s\n", l, a, b, a / b, c, d, c / d, cost * 100, (cost < 0.10) ? "ok" : "missed"
    }')$'\n'
    if [ "$profile" = on ]; then
        perf record -F 499 -g -p "${pid[on]}" -o "$work/perf.data" -- sleep "${duration%s}" >/dev/null 2>&1 &
        recorder=$!
        measure on "$path" >/dev/null
        wait "$recorder" || true
        read -r samples log_share metrics_share < <(perf script -i "$work/perf.data" -F comm,tid,ip,sym 2>/dev/null |
            python3 "$root/bench/observability-profile.py")
        profiles+=$(printf '%-34s %8s %10s%% %10s%% %10s%%' "$label" "$samples" "$log_share" "$metrics_share" \
            "$(awk -v a="$log_share" -v b="$metrics_share" 'BEGIN { printf "%.2f", a + b }')")$'\n'
    fi
done
header
printf '%s' "$rows"
if [ -n "$profiles" ]; then
    printf '\nshare of the "on" copy'"'"'s CPU samples (perf record -F 499 -g, one run of %s per endpoint)\n' "$duration"
    printf '%-34s %8s %11s %11s %11s\n' "endpoint" "samples" "request log" "metrics" "together"
    printf '%s' "$profiles"
fi
