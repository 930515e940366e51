#!/usr/bin/env bash
# Scale benchmark (issue 16, docs/scale.md): every listImages shape and the pending-images list,
# measured with wrk at a small and a large number of images, each large figure beside the small one
# and the target ratio. The images are written straight into the database through the service's
# own model (bench/ApiSeed db-seed), then a Release build serves them on 127.0.0.1.
#
#   bench/scale.sh [--db sqlite|postgres] [--layout one|spread|both] [--small N] [--large N]
#
# Layouts: "one" puts every image in one account; "spread" gives one account per 100 images, each
# with one image of another account shared with it and accepted (10,000 accounts and 10,000
# memberships at a million images). In both, another account has BENCH_PENDING images shared
# with it and not yet answered, for GET /v1/pending-images.
#
# Shapes: no filter or one filter (name, status, visibility, os_distro, scp_image_type,
# scp_original_image_type), each with the default sort and with each sort key; for each, the first
# page and the page after a marker in the middle of that list (bench/ApiSeed markers). Targets: a
# shape's p50 at the large size within 1.5x of its p50 at the small size; a page after a marker
# within 1.2x of the first page.
#
# Settings (environment): BENCH_PORT (18182), BENCH_DURATION (5s), BENCH_WARMUP (2s),
# BENCH_THREADS (2), BENCH_CONNECTIONS (16), BENCH_PENDING (500), BENCH_FILTERS and BENCH_SORTS
# (space-separated subsets of the lists below, for a quicker run).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$root/bench/common.sh"
db=sqlite
layout=both
small=1000
large=1000000
usage() { echo "usage: $0 [--db sqlite|postgres] [--layout one|spread|both] [--small N] [--large N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db=$2; shift 2 ;;
        --layout) layout=$2; shift 2 ;;
        --small) small=$2; shift 2 ;;
        --large) large=$2; shift 2 ;;
        *) usage ;;
    esac
done
case "$layout" in one) layouts=(one) ;; spread) layouts=(spread) ;; both) layouts=(one spread) ;; *) usage ;; esac
port=${BENCH_PORT:-18182}
duration=${BENCH_DURATION:-5s}
warmup=${BENCH_WARMUP:-2s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-16}
pending=${BENCH_PENDING:-500}
endpoint="http://127.0.0.1:${port}"
read -r -a filters <<<"${BENCH_FILTERS:-none name=bench-image-007 status=importing visibility=shared os_distro=rocky scp_image_type=standard scp_original_image_type=custom}"
read -r -a sorts <<<"${BENCH_SORTS:-default sort=created_at:asc sort=updated_at:desc sort=name:asc sort=status:desc sort=size:desc sort=id:asc}"

work=$(mktemp -d -t imageservice-scale-XXXXXX)
server_pid=""
started=$SECONDS

stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() {
    stop_server
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

bench_backends_start "$db" files
api_dir=$(dirname "$(bench_publish "$root/artifacts/bench/service")")
dotnet build -c Release -v quiet -nologo "$root/bench/ApiSeed/ApiSeed.csproj" >&2
seed_dll="$root/artifacts/bin/ApiSeed/release/ApiSeed.dll"

export ASPNETCORE_ENVIRONMENT=Production
export Import__AllowedSources__0=https://object-store.example.com/ Import__RunWorker=false
if [[ "$db" == postgres ]]; then
    (cd "$api_dir" && dotnet ImageService.Api.dll db migrate) >&2
fi

# The query string of a shape ("" for no filter and the default sort).
shape_query() {
    local parts=()
    [[ "$1" != none ]] && parts+=("$1")
    [[ "$2" != default ]] && parts+=("$2")
    local IFS='&'
    echo "${parts[*]}"
}

# Prints "<requests/s> <p50 ms>" for one path under wrk, after a warm-up; fails on any non-2xx answer.
measure() {
    local path=$1 key=$2
    local -a headers=()
    while IFS= read -r line; do headers+=(-H "$line"); done \
        < <(dotnet "$seed_dll" headers "$endpoint" "$key" GET "$path")
    wrk -t"$threads" -c"$connections" -d"$warmup" "${headers[@]}" "$endpoint$path" >/dev/null
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "${headers[@]}" "$endpoint$path")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$out" >&2
        echo "non-2xx answers from $path" >&2
        exit 1
    fi
    local rps p50
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    # A run with no completed request (a service still busy starting) would print 0 as a figure.
    if ! awk -v r="${rps:-0}" 'BEGIN { exit !(r > 0) }'; then
        echo "$out" >&2
        echo "no answers from $path" >&2
        exit 1
    fi
    p50=$(awk '$1 == "50%" {
        v = $2
        if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) }
        else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
        printf "%.3f", v
    }' <<<"$out")
    echo "$rps $p50"
}

# Seeds one layout at one size, serves it and measures every shape into $work/<layout>-<size>.tsv:
# label, first-page req/s and p50, marker-page req/s and p50.
run() {
    local layout=$1 images=$2 tag="$1-$2" account
    export Data__Directory="$work/data-$tag"
    echo "== $tag: seeding" >&2
    local seed_started=$SECONDS
    dotnet "$seed_dll" db-seed "$layout" "$images" "$pending" >&2
    echo "$((SECONDS - seed_started))" >"$work/seed-$tag.txt"
    account=$([[ "$layout" == spread ]] && echo bench-acct-00000 || echo bench-account)
    (cd "$api_dir" && dotnet ImageService.Api.dll keys create --account "$account" --account-name Bench --user-name bench@example.com) >"$work/key-$tag.json"
    (cd "$api_dir" && dotnet ImageService.Api.dll keys create --account bench-pending --account-name Pending --user-name pending@example.com) >"$work/pending-$tag.json"

    local -a labels=() queries=()
    local filter sort
    for filter in "${filters[@]}"; do
        for sort in "${sorts[@]}"; do
            labels+=("$filter $sort")
            queries+=("$(shape_query "$filter" "$sort")")
        done
    done
    local -a markers=()
    mapfile -t markers < <(printf '%s\n' "${queries[@]}" | dotnet "$seed_dll" markers "$account")

    (cd "$api_dir" && exec dotnet ImageService.Api.dll --urls "$endpoint" --Logging:LogLevel:Default=Warning \
        --Logging:LogLevel:Microsoft.AspNetCore=Warning) >"$work/server-$tag.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 150); do
        if curl -fsS "$endpoint/healthz" >/dev/null 2>&1; then break; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server-$tag.log" >&2; exit 1; fi
        sleep 0.2
    done

    echo "== $tag: measuring ${#queries[@]} shapes, first page and after a marker (wrk -t$threads -c$connections -d$duration)" >&2
    local i q first_rps first_p50 after_rps after_p50
    for i in "${!queries[@]}"; do
        q=${queries[$i]}
        read -r first_rps first_p50 < <(measure "/v1/images${q:+?$q}" "$work/key-$tag.json")
        read -r after_rps after_p50 < <(measure "/v1/images?${q:+$q&}marker=${markers[$i]}" "$work/key-$tag.json")
        [[ -n "$first_p50" && -n "$after_p50" ]] || { echo "measuring ${labels[$i]} failed" >&2; exit 1; }
        printf '%s\t%s\t%s\t%s\t%s\n' "${labels[$i]}" "$first_rps" "$first_p50" "$after_rps" "$after_p50" >>"$work/$tag.tsv"
    done
    read -r first_rps first_p50 < <(measure "/v1/pending-images" "$work/pending-$tag.json")
    [[ -n "$first_p50" ]] || { echo "measuring the pending-images list failed" >&2; exit 1; }
    printf '%s\t%s\t%s\t-\t-\n' "pending-images ($pending pending)" "$first_rps" "$first_p50" >>"$work/$tag.tsv"
    stop_server
}

for l in "${layouts[@]}"; do
    run "$l" "$small"
    run "$l" "$large"
done

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "-"; else print (v <= t) ? "ok" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

printf '\nproviders: %s; wrk -t%s -c%s -d%s; targets: p50 at %s within 1.5x of p50 at %s; after a marker within 1.2x of the first page\n' \
    "$(bench_backends_label "$db" files)" "$threads" "$connections" "$duration" "$large" "$small"
for l in "${layouts[@]}"; do
    printf '\nlayout %s (seeding: %s images %s s, %s images %s s)\n' "$l" "$small" "$(cat "$work/seed-$l-$small.txt")" "$large" "$(cat "$work/seed-$l-$large.txt")"
    printf '%-56s %-6s %10s %10s %7s %-6s %9s %9s %8s %-6s\n' "shape (filter, sort)" page "p50@small" "p50@large" "ratio" "<=1.5" "rps@small" "rps@large" "vs first" "<=1.2"
    paste "$work/$l-$small.tsv" "$work/$l-$large.tsv" | while IFS=$'\t' read -r label s_frps s_fp50 s_mrps s_mp50 _ l_frps l_fp50 l_mrps l_mp50; do
        r=$(ratio "$l_fp50" "$s_fp50")
        printf '%-56s %-6s %10s %10s %7s %-6s %9.0f %9.0f %8s %-6s\n' "$label" first "$s_fp50" "$l_fp50" "$r" "$(verdict "$r" 1.5)" "$s_frps" "$l_frps" - -
        if [[ "$s_mrps" != "-" ]]; then
            r=$(ratio "$l_mp50" "$s_mp50")
            m=$(ratio "$l_mp50" "$l_fp50")
            printf '%-56s %-6s %10s %10s %7s %-6s %9.0f %9.0f %8s %-6s\n' "" marker "$s_mp50" "$l_mp50" "$r" "$(verdict "$r" 1.5)" "$s_mrps" "$l_mrps" "$m" "$(verdict "$m" 1.2)"
        fi
    done
done
printf '\nwhole run: %d s\n' "$((SECONDS - started))"
