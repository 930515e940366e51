#!/usr/bin/env bash
# What the tests need beyond the .NET SDK, installed from Debian packages only when missing: as
# root directly, as a user through sudo. A machine that already has everything is left alone and
# needs neither root nor network. Add a tool the tests need as one more line of `needs`.
set -euo pipefail

# command the tests run   Debian packages that provide it   (why)
needs=(
  "qemu-img qemu-utils"                    # makes and reads real qcow2 files (Imports/, Cli/)
  "prometheus prometheus"                  # a real scrape of /metrics (Observability/)
  "promtool prometheus"                    # checks the exposition and the alert rules
  "systemd-analyze systemd"                # verifies the unit in deploy/systemd
  "chromium chromium fonts-dejavu-core"    # the web console's browser tests (WebConsole/), with a font to render text
)

missing=()
for need in "${needs[@]}"; do
  read -r command packages <<<"$need"
  # shellcheck disable=SC2206 # one need may name several packages, split on spaces
  command -v "$command" >/dev/null 2>&1 || missing+=($packages)
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "The tests need ${missing[*]}, and installing it needs root: run 'apt-get install -y ${missing[*]}' as root, then this again." >&2
  exit 1
fi

install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >&2
}
echo "== installing ${missing[*]} (what the tests need)" >&2
install || { "${as_root[@]}" apt-get update -q >&2 && install; }
