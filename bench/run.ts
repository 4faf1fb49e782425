import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench` runs every benchmark, `npm run bench -- NAME [flags]` one. Each runs as its own
 * process (fresh heap, no JIT state shared between benchmarks) and prints a table and one JSON line.
 */

export const BENCHES = [
  'round-trip',
  'stop-latency',
  'paced',
  'diary',
  'cohort',
  'startup',
  'memory',
  'web-diary',
  'store',
] as const;

const [name, ...flags] = process.argv.slice(2);
if (name === '--help' || name === '-h') {
  process.stdout.write(
    `Usage: npm run bench [-- NAME [flags]]\n\nNAME: ${BENCHES.join(', ')}\nFlags are passed to the benchmark (e.g. --n 200).\n`,
  );
  process.exit(0);
}
if (name !== undefined && !(BENCHES as readonly string[]).includes(name)) {
  process.stderr.write(`bench: no benchmark '${name}'. Choose one of: ${BENCHES.join(', ')}\n`);
  process.exit(2);
}

const here = fileURLToPath(new URL('.', import.meta.url));
let failed = 0;
for (const bench of name === undefined ? BENCHES : [name]) {
  // The machine's load is part of every result: print it beside each benchmark.
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  process.stdout.write(`\n=== ${bench} === (${os.cpus().length} CPUs, load average before: ${load()})\n`);
  // --expose-gc lets the memory benchmark measure after a full collection.
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${here}${bench}.ts`, ...flags], {
    stdio: 'inherit',
  });
  process.stdout.write(`(load average after ${bench}: ${load()})\n`);
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${bench} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
