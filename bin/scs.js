#!/usr/bin/env node
// Entry point. Installed from the npm package there are no sources: it runs the bundle built by
// `prepack` (scripts/build.mjs) on plain node. In a checkout it runs the bundle while it is newer
// than every source file, otherwise the TypeScript sources through tsx (a dev dependency), so an
// edited checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = path.join(root, 'dist', 'scs.mjs');
const SOURCE_DIRS = ['src', 'protocol', 'firmware-sim'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const isCheckout = existsSync(path.join(root, 'src', 'cli', 'main.ts'));

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  if (!isCheckout) return true;
  const built = statSync(bundle).mtimeMs;
  return SOURCE_DIRS.every((d) => !existsSync(path.join(root, d)) || newestSource(path.join(root, d)) <= built);
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else if (!isCheckout) {
  process.stderr.write(`scs: the package is incomplete: ${bundle} is missing. Reinstall scs-companion.\n`);
  process.exitCode = 1;
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      "scs: the bundle is missing or older than the sources, and tsx is not installed to run them. Run 'npm run build' (or 'npm ci' for the dev tools).\n",
    );
    process.exit(1);
  }
  register();
  await import('../src/cli/main.ts');
}
