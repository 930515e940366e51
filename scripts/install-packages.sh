# Sourced by postgres-start.sh and s3-start.sh (which define log and die):
#   install_pkgs PACKAGE...
# apt-get install as root, with service starts denied, so that a package's postinst starts no
# daemon (PostgreSQL's default cluster on :5432, Swift's stock servers on 0.0.0.0), serialized
# across the scripts by a lock file; runs apt-get update first only when apt has no candidate,
# and retries once after an update.
install_pkgs() {
  [[ $(id -u) -eq 0 ]] || die "packages $* missing and not root; install them first"
  mkdir -p /run/lock
  (
    flock -w 600 9 || die "could not take apt lock"
    created_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; created_policy=1
    fi
    trap '[[ $created_policy = 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)
    pol=$(apt-cache policy "$@" 2>/dev/null || true)   # (no "| grep -q" under pipefail: SIGPIPE)
    if (( $(grep -c 'Candidate: [0-9]' <<<"$pol" || true) < $# )); then
      log "apt-get update"; apt-get update -q >&2
    fi
    apt-get install "${apt_opts[@]}" "$@" >&2 || { log "retrying after apt-get update"; apt-get update -q >&2; apt-get install "${apt_opts[@]}" "$@" >&2; }
  ) 9>/run/lock/imageservice-test-servers-apt.lock
}
