#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed and prints its path on stdout.
# Used by test/outcomes/patient-html-chromium.test.ts and the web-diary browser tests; on Debian/Ubuntu
# installs the `chromium` package with apt-get when it is missing (scripts/ensure-package.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-package.sh"

find_chromium() {
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

ensure_package chromium chromium find_chromium
