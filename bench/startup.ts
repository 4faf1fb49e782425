import { bundle } from './lib/build-bundle.js';
import { spawnInPty } from './lib/pty-process.js';
import { atMost, intFlag, isMain, printJson, printTable, printVerdicts, ratio, round, spread, type Spread } from './lib/stats.js';
import { roundSpread } from './round-trip.js';

/**
 * 6. Start-up: process start to the first UI frame connected to the built-in simulator, against a bare
 * Ink program that renders one line, started the same way (node + tsx's loader in-process, as
 * bin/scs.js does), each spawned in a real pty with CI unset; the frame is detected by its text.
 * `scs --plain` (first "connected to generator" line) is shown beside them. Target: ratio ≤ 1.5.
 * Also both again as esbuild bundles run by plain node (no tsx loader): what a build step would give.
 */

export interface Launch {
  name: string;
  args: string[];
  /** Text of the frame that counts as started. */
  ready: string;
}

export const LAUNCHES = {
  ui: { name: 'scs (bedside UI, connected)', args: ['bin/scs.js'], ready: 'Link: connected' },
  bare: { name: 'bare Ink, one line (anchor)', args: ['bench/fixtures/bare-ink.js', '--stay'], ready: 'bare ink ready' },
  plain: { name: 'scs --plain (connected line)', args: ['bin/scs.js', '--plain'], ready: 'connected to generator' },
} satisfies Record<string, Launch>;

/** Milliseconds from spawn to `ready` on the pty; the process is then stopped. */
export async function timeLaunch(launch: Launch, timeoutMs = 30_000): Promise<number> {
  const child = spawnInPty(launch.args);
  try {
    return await child.waitFor(launch.ready, timeoutMs);
  } finally {
    await child.stop();
  }
}

export interface StartupResult {
  bench: 'startup';
  unit: 'ms';
  runs: number;
  ui: Spread;
  bare: Spread;
  plain: Spread;
  ratio: { uiMedianToBare: number; plainMedianToBare: number };
  /** The UI and the bare Ink anchor bundled by esbuild and run by plain node; null without esbuild. */
  built: { ui: Spread; bare: Spread; uiMedianToBare: number } | null;
  target: { maxRatio: 1.5; met: boolean };
}

export async function runStartup(runs = 15): Promise<StartupResult> {
  const builtUi = await bundle('src/cli/main.ts', 'scs');
  const builtBare = await bundle('bench/fixtures/bare-ink.tsx', 'bare-ink');
  const launches: Record<string, Launch> = { ...LAUNCHES };
  if (builtUi && builtBare) {
    launches.builtUi = { name: 'scs UI, esbuild bundle, plain node', args: [builtUi], ready: LAUNCHES.ui.ready };
    launches.builtBare = { name: 'bare Ink, esbuild bundle, plain node', args: [builtBare, '--stay'], ready: LAUNCHES.bare.ready };
  }
  const order = Object.keys(launches);
  const samples: Record<string, number[]> = Object.fromEntries(order.map((k) => [k, []]));
  for (const key of order) await timeLaunch(launches[key]!); // warm the disk cache and tsx's transform cache
  for (let i = 0; i < runs; i++) {
    // Rotate the order so drift in machine load spreads over all of them.
    for (let k = 0; k < order.length; k++) {
      const key = order[(i + k) % order.length]!;
      samples[key]!.push(await timeLaunch(launches[key]!));
    }
  }
  const ui = spread(samples.ui!);
  const bare = spread(samples.bare!);
  const plain = spread(samples.plain!);
  const uiRatio = ratio(ui.median, bare.median);
  let built: StartupResult['built'] = null;
  if (samples.builtUi && samples.builtBare) {
    const bu = spread(samples.builtUi);
    const bb = spread(samples.builtBare);
    built = { ui: roundSpread(bu), bare: roundSpread(bb), uiMedianToBare: ratio(bu.median, bb.median) };
  }
  return {
    bench: 'startup',
    unit: 'ms',
    runs,
    ui: roundSpread(ui),
    bare: roundSpread(bare),
    plain: roundSpread(plain),
    ratio: { uiMedianToBare: uiRatio, plainMedianToBare: ratio(plain.median, bare.median) },
    built,
    target: { maxRatio: 1.5, met: uiRatio <= 1.5 },
  };
}

if (isMain(import.meta.url)) {
  const r = await runStartup(intFlag(process.argv, 'runs', 15));
  const row = (name: string, s: Spread) => [name, s.n, round(s.median, 1), round(s.min, 1), round(s.max, 1), ratio(s.median, r.bare.median)];
  printTable('start-up in a real pty (CI unset), spawn → text on screen, ms', [
    ['', 'n', 'median', 'min', 'max', 'median/bare'],
    row(LAUNCHES.bare.name, r.bare),
    row(LAUNCHES.ui.name, r.ui),
    row(LAUNCHES.plain.name, r.plain),
  ]);
  if (r.built) {
    const b = r.built;
    const brow = (name: string, s: Spread) => [name, s.n, round(s.median, 1), round(s.min, 1), round(s.max, 1), ratio(s.median, b.bare.median)];
    printTable('the same, bundled by esbuild and run by plain node (no tsx loader), ms', [
      ['', 'n', 'median', 'min', 'max', 'median/bare'],
      brow('bare Ink, one line (anchor)', b.bare),
      brow('scs (bedside UI, connected)', b.ui),
    ]);
  }
  printVerdicts([atMost('start-up ratio UI/bare Ink', r.ratio.uiMedianToBare, 1.5)]);
  printJson(r);
  process.exit(0);
}
