import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './pty-process.js';

/**
 * What a build step would change: the same entry points bundled by esbuild (tsx's own transformer,
 * already installed) into plain ESM that node runs without tsx's loader. Written under
 * node_modules/.cache so the packages resolve as they do for the sources. Null when esbuild is absent.
 */

export const BUILD_DIR = path.join(ROOT, 'node_modules', '.cache', 'scs-bench');

export async function bundle(entry: string, name: string): Promise<string | null> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = path.join(BUILD_DIR, `${name}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    jsx: 'automatic',
    outfile,
    logLevel: 'warning',
  });
  return path.relative(ROOT, outfile);
}
