#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed and prints the
# directory holding them on stdout. Used by the tests' throwaway server (test/pg/throwaway-server.ts);
# on Debian/Ubuntu installs the `postgresql` package with apt-get when missing (needs root, as in CI
# containers). Progress goes to stderr. The package's own cluster is not needed and is not started.
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"; return 0
  fi
  return 1
}

if d=$(find_bindir); then
  echo "$d"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-postgresql: no PostgreSQL server binaries found and no apt-get to install them; install PostgreSQL (initdb, pg_ctl) and put them on PATH" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-postgresql: PostgreSQL is missing; installing it needs root: sudo apt-get install -y postgresql" >&2
  exit 1
fi

echo "ensure-postgresql: installing the Debian package 'postgresql' (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the package's own cluster must not be started by the install.
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ $had_policy -eq 1 ] || printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
apt-get update >&2
apt-get install -y --no-install-recommends postgresql >&2
[ $had_policy -eq 1 ] || rm -f /usr/sbin/policy-rc.d
find_bindir
