#!/usr/bin/env bash
# Starts the servers the suite's second run stores into, a PostgreSQL and an S3 store (Swift
# s3api) on free loopback ports, and prints the shell lines that point the suite at them:
#   eval "$(scripts/test-servers-start.sh)"; dotnet test; scripts/test-servers-stop.sh
# PGPORT and S3_PORT, when already set, choose the ports. docs/test-servers.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGPORT=${PGPORT:-$("$here/free-ports.sh" 1)}
S3_PORT=${S3_PORT:-$("$here/free-ports.sh" 5)}
export PGPORT S3_PORT

pg_conn=$("$here/postgres-start.sh")
s3_values=$("$here/s3-start.sh")
printf 'export PGPORT=%q S3_PORT=%q\n' "$PGPORT" "$S3_PORT"
printf 'export IMAGESERVICE_TEST_POSTGRES=%q\n' "${pg_conn:?postgres-start.sh printed no connection string}"
while IFS='=' read -r name value; do
  case "$name" in
    S3_ENDPOINT | S3_ACCESS_KEY | S3_SECRET_KEY | S3_REGION) printf 'export IMAGESERVICE_TEST_%s=%q\n' "$name" "$value" ;;
  esac
done <<<"$s3_values"
