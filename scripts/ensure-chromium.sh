#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed and prints its path on stdout.
# Used by test/outcomes/patient-html-chromium.test.ts; on Debian/Ubuntu installs the `chromium`
# package with apt-get when it is missing (needs root, as in CI containers). Progress goes to stderr.
set -euo pipefail

find_chromium() {
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if path=$(find_chromium); then
  echo "$path"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no chromium found and no apt-get to install it; install Chromium and put it on PATH" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: chromium is missing; installing it needs root: sudo apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: installing the Debian package 'chromium' (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2
apt-get install -y --no-install-recommends chromium >&2
find_chromium
