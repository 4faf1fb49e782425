// Bundles the companion's own TypeScript into dist/scs.mjs (+ dist/chunks/) (packages stay in node_modules), so the
// installed `scs` starts on plain node without tsx's loader thread: faster start-up, less memory.
// bin/scs.js runs the bundle only while it is newer than every source file, so it is never stale.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// A clean directory: chunk names carry hashes, so old ones would pile up.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  entryNames: 'scs',
  // Split at dynamic imports so a subcommand's packages (node-pty for `scs sim`, SQLite for the
  // diary) load only when that subcommand runs, as they do from the sources.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
});
