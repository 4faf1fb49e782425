// Bundles the companion's own TypeScript into dist/scs.mjs (packages stay in node_modules), so the
// installed `scs` starts on plain node without tsx's loader thread: faster start-up, less memory.
// bin/scs.js runs the bundle only while it is newer than every source file, so it is never stale.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/scs.mjs',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
});
