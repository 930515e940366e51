# Sourced by the bench scripts: the service build they measure, and the metadata and storage
# providers a benchmark asks for.
#
#   bench_publish <output folder>
#
# publishes the service as it would be deployed (Release, ReadyToRun for this machine's
# architecture, docs/deploy.md), so a cold process does not spend the first seconds of a run
# compiling; prints the path of ImageService.Api.dll.
#
#   bench_backends_start <sqlite|postgres> <files|s3>
#
# PostgreSQL and the S3 store (OpenStack Swift's s3api) come from scripts/ (docs/test-servers.md),
# on free loopback ports, as several nodes would use them; the function exports the service's own settings
# (Data__Provider, ConnectionStrings__Images, Storage__*) for the processes started after it.
# bench_backends_stop stops whatever it started; call it from the script's EXIT trap.
# bench_backends_label prints the pair in words for the report.
#
#   bench_need <command> <Debian package>
#
# installs the package when the command is missing.
#
#   bench_random_qcow2 <MiB> <path>
#
# writes a qcow2 holding that many MiB of random data: incompressible, and every cluster allocated,
# so neither the hashes nor the store can take a shortcut.
#
#   bench_start_nginx <work folder> <document root> [server directives]
#
# starts Debian's nginx (sendfile on, no access log) on a free loopback port, serving the root,
# with its config, pid and error log in the work folder; sets nginx_port and nginx_pid (the
# process to kill in the caller's cleanup). The directives go into the server block, e.g.
# "limit_rate 50m;".
#
#   bench_start_service <ImageService.Api.dll> <log file>
#
# starts the service on a free loopback port with the settings the caller exported (migrating
# PostgreSQL first when bench_backends_start chose it), waits until it is ready, creates an access
# key and exports SCP_ENDPOINT, SCP_ACCESS_KEY and SCP_SECRET_KEY for imagectl and scp-sign.sh. It
# sets service_pid (the process to kill in the caller's cleanup) and service_port.

bench_publish() {
  local out=$1 rid
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) rid="" ;;
  esac
  echo "== publishing the service (Release${rid:+, ReadyToRun for $rid})" >&2
  if [ -n "$rid" ]; then
    dotnet publish "$(dirname "${BASH_SOURCE[0]}")/../src/ImageService.Api" -c Release -r "$rid" --self-contained false \
      -p:PublishReadyToRun=true -o "$out" -v q -nologo >&2 || return 1
  else
    dotnet publish "$(dirname "${BASH_SOURCE[0]}")/../src/ImageService.Api" -c Release -o "$out" -v q -nologo >&2 || return 1
  fi
  echo "$out/ImageService.Api.dll"
}

bench_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")/../scripts" && pwd)
bench_started_pg=""
bench_started_s3=""

# n free loopback ports in a row (Swift uses S3_PORT to S3_PORT+4).
bench_free_ports() {
  "$bench_scripts/free-ports.sh" "$1"
}

bench_backends_start() {
  local db=$1 storage=$2
  case "$db" in sqlite | postgres) ;; *) echo "unknown --db '$db' (sqlite or postgres)" >&2; return 2 ;; esac
  case "$storage" in files | s3) ;; *) echo "unknown --storage '$storage' (files or s3)" >&2; return 2 ;; esac
  if [ "$db" = postgres ]; then
    echo "== starting PostgreSQL (scripts/postgres-start.sh)" >&2
    PGPORT=$(bench_free_ports 1); export PGPORT
    bench_started_pg=1
    local pg_conn
    pg_conn=$("$bench_scripts/postgres-start.sh")
    export Data__Provider=Postgres ConnectionStrings__Images="$pg_conn"
  fi
  if [ "$storage" = s3 ]; then
    echo "== starting an S3 store (scripts/s3-start.sh: Swift s3api)" >&2
    S3_PORT=$(bench_free_ports 5); export S3_PORT
    bench_started_s3=1
    local name value
    while IFS='=' read -r name value; do
      case "$name" in
        S3_ENDPOINT) export Storage__S3__Endpoint="$value" ;;
        S3_ACCESS_KEY) export Storage__S3__AccessKey="$value" ;;
        S3_SECRET_KEY) export Storage__S3__SecretKey="$value" ;;
        S3_REGION) export Storage__S3__Region="$value" ;;
      esac
    done <<<"$("$bench_scripts/s3-start.sh")"
    export Storage__Provider=S3 Storage__S3__Bucket="bench-$(date +%s)"
  fi
}

bench_backends_stop() {
  if [ -n "$bench_started_s3" ]; then "$bench_scripts/s3-stop.sh" >/dev/null 2>&1 || true; fi
  if [ -n "$bench_started_pg" ]; then "$bench_scripts/postgres-stop.sh" >/dev/null 2>&1 || true; fi
}

bench_backends_label() {
  local db=$1 storage=$2
  printf '%s + %s\n' "$([ "$db" = postgres ] && echo PostgreSQL || echo SQLite)" \
    "$([ "$storage" = s3 ] && echo 'S3 (Swift s3api, loopback)' || echo files)"
}

# CPU seconds a process has spent (user + system, from /proc/<pid>/stat), to tell a pipeline that
# waits from one that has no core left.
bench_cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

bench_need() {
  command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
}

bench_random_qcow2() {
  local mib=$1 path=$2
  echo "== making a qcow2 with ${mib} MiB of random data" >&2
  mkdir -p "$(dirname "$path")"
  head -c "${mib}M" /dev/urandom >"$path.raw"
  qemu-img convert -q -f raw -O qcow2 "$path.raw" "$path"
  rm "$path.raw"
}

bench_start_service() {
  local dll=$1 log=$2 key
  service_port=$(bench_free_ports 1)
  if [ "${Data__Provider:-}" = Postgres ]; then
    (cd "$(dirname "$dll")" && dotnet "$dll" db migrate >/dev/null)
  fi
  (cd "$(dirname "$dll")" && exec dotnet "$dll" --urls "http://127.0.0.1:$service_port" >"$log" 2>&1) &
  service_pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$service_port/readyz" >/dev/null && break; sleep 0.1; done
  key=$(cd "$(dirname "$dll")" && dotnet "$dll" keys create --account bench --account-name Bench --user-name bench)
  export SCP_ENDPOINT="http://127.0.0.1:$service_port"
  SCP_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])' <<<"$key")
  SCP_SECRET_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secret_key"])' <<<"$key")
  export SCP_ACCESS_KEY SCP_SECRET_KEY
}

bench_start_nginx() {
  local work=$1 docroot=$2 directives=${3:-}
  nginx_port=$(bench_free_ports 1)
  cat >"$work/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:$nginx_port; root $docroot; $directives }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work" &
  nginx_pid=$!
}
