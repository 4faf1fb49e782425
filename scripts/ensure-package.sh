# Sourced by scripts/ensure-*.sh: the part they share. `ensure_package NAME PACKAGE FIND [--no-services]`
# prints what FIND (a shell function) prints when it succeeds; otherwise installs the Debian package
# PACKAGE with apt-get (needs root, as in CI containers) and runs FIND again. Progress goes to stderr.
# --no-services: the package's own services are not started by the install (policy-rc.d 101).

ensure_package() {
  local name=$1 package=$2 find=$3 services=${4:-}
  if $find; then return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-$name: $name is not installed and there is no apt-get to install it; install $package and put it on PATH" >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-$name: $name is missing; installing it needs root: sudo apt-get install -y $package" >&2
    return 1
  fi
  echo "ensure-$name: installing the Debian package '$package' (one time)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  local policy_added=0
  if [ "$services" = --no-services ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  local status=0
  { apt-get update && apt-get install -y --no-install-recommends "$package"; } >&2 || status=$?
  [ $policy_added -eq 0 ] || rm -f /usr/sbin/policy-rc.d
  [ $status -eq 0 ] || return $status
  $find
}
