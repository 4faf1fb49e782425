#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed and prints the
# directory holding them on stdout. Used by the tests' throwaway server (test/pg/throwaway-server.ts);
# on Debian/Ubuntu installs the `postgresql` package with apt-get when missing (needs root, as in CI
# containers; scripts/ensure-package.sh). Progress goes to stderr. The package's own cluster is not
# needed and is not started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-package.sh"

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

ensure_package postgresql postgresql find_bindir --no-services
