#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing
# (scripts/test-prerequisites.sh), then runs `dotnet test` with the arguments given, e.g.
#   scripts/test.sh --filter-class 'ImageService.Tests.Cli.*'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-prerequisites.sh
exec dotnet test "$@"
