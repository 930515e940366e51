#!/usr/bin/env bash
# Stops what scripts/test-servers-start.sh started, found by the PGPORT and S3_PORT it exported.
# Exits 0 when nothing runs, so it is safe in a trap.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGPORT:?set PGPORT (test-servers-start.sh exports it)}" "${S3_PORT:?set S3_PORT}"
"$here/s3-stop.sh"
"$here/postgres-stop.sh"
exit 0
