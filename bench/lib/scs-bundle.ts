import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './pty-process.js';

/**
 * The installed entry point: `bin/scs.js` runs dist/scs.mjs on plain node while that bundle is newer
 * than every .ts/.tsx under src/, protocol/ and firmware-sim/, else the sources through tsx. A
 * benchmark of "scs as started" must therefore build first and make sure no source edit (the tree
 * is shared) made bin/scs.js fall back to tsx during a measurement. Same rule as bin/scs.js.
 */

export const SCS_BUNDLE = path.join(ROOT, 'dist', 'scs.mjs');
const SOURCE_DIRS = ['src', 'protocol', 'firmware-sim'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when bin/scs.js would run the bundle now. */
export function bundleIsFresh(): boolean {
  if (!fs.existsSync(SCS_BUNDLE)) return false;
  const built = fs.statSync(SCS_BUNDLE).mtimeMs;
  return SOURCE_DIRS.every((d) => newestSource(path.join(ROOT, d)) <= built);
}

/** `node scripts/build.mjs` (what `npm start` runs first). */
export function buildScs(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`scripts/build.mjs failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
}

export interface FreshBundleStats {
  /** Builds done (the first one included). */
  builds: number;
  /** Measurements thrown away because a source changed while they ran (bin/scs.js may have used tsx). */
  discarded: number;
}

/**
 * Runs `measure` with a fresh bundle: rebuilds when stale, and repeats the measurement when the
 * bundle is stale afterwards (a source file changed meanwhile, so bin/scs.js may have chosen tsx).
 * Fresh afterwards implies fresh when bin/scs.js checked, since mtimes only move forward.
 * `discard` releases a result thrown away (e.g. stops a process that is still running).
 */
export async function withFreshBundle<T>(
  measure: () => Promise<T>,
  stats: FreshBundleStats,
  tries = 5,
  discard: (result: T) => unknown = () => {},
): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt++) {
    if (!bundleIsFresh()) {
      buildScs();
      stats.builds++;
    }
    const result = await measure();
    if (bundleIsFresh()) return result;
    stats.discarded++;
    await discard(result);
  }
  throw new Error(`sources kept changing: no measurement of the bundle in ${tries} tries`);
}
