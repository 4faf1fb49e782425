import path from 'node:path';
import { packAndInstall, type PackedInstall } from '../test/helpers/packed-install.js';
import { bundle } from './lib/build-bundle.js';
import { spawnInPty } from './lib/pty-process.js';
import { buildScs, withFreshBundle, type FreshBundleStats } from './lib/scs-bundle.js';
import {
  atMost,
  intFlag,
  isMain,
  printJson,
  printTable,
  printVerdicts,
  ratio,
  round,
  spread,
  type Spread,
} from './lib/stats.js';
import { roundSpread } from './round-trip.js';

/**
 * 6. Start-up: process start to the first UI frame connected to the built-in simulator, against a bare
 * Ink program that renders one line, started the same way. Primary (as installed, `npm start`):
 * `node bin/scs.js` with a fresh dist/scs.mjs (built first by scripts/build.mjs; bin/scs.js then
 * runs it on plain node) against the bare Ink program bundled by esbuild and run by plain node.
 * Secondary: both through tsx's loader (what a checkout whose bundle is stale or missing costs).
 * Each is spawned in a real pty with CI unset; the frame is detected by its text. `scs --plain`
 * (first "connected to generator" line) is shown beside them. Installed: the tarball of `npm pack`
 * installed with `npm install -g --prefix TMP` (test/helpers/packed-install.ts), its bin/scs.js run
 * the same way: what a clinic runs. Target: ratio ≤ 1.5 for both.
 */

export interface Launch {
  name: string;
  args: string[];
  /** Text of the frame that counts as started. */
  ready: string;
  /** Runs bin/scs.js, which must find a fresh bundle to measure plain node. */
  needsBundle?: boolean;
}

const UI_READY = 'Link: connected';
const BARE_READY = 'bare ink ready';

/** Launches that need no build step: the tsx pair (secondary table). */
export const TSX_LAUNCHES = {
  bare: {
    name: 'bare Ink, one line, tsx loader (anchor)',
    args: ['bench/fixtures/bare-ink.js', '--stay'],
    ready: BARE_READY,
  },
  ui: { name: 'scs UI, tsx loader (bin/scs.js fallback)', args: ['bench/fixtures/scs-tsx.js'], ready: UI_READY },
} satisfies Record<string, Launch>;

/** The primary launches: bin/scs.js on a fresh bundle, the bare Ink program bundled (built here). */
export async function installedLaunches(): Promise<{ bare: Launch; ui: Launch; plain: Launch }> {
  const bare = await bundle('bench/fixtures/bare-ink.tsx', 'bare-ink');
  if (!bare) throw new Error('esbuild is not installed: no bundle of the bare Ink anchor');
  return {
    bare: { name: 'bare Ink, one line, bundled, plain node (anchor)', args: [bare, '--stay'], ready: BARE_READY },
    ui: {
      name: 'scs (bin/scs.js → dist/scs.mjs), UI connected',
      args: ['bin/scs.js'],
      ready: UI_READY,
      needsBundle: true,
    },
    plain: {
      name: 'scs --plain (bin/scs.js → dist), connected line',
      args: ['bin/scs.js', '--plain'],
      ready: 'connected to generator',
      needsBundle: true,
    },
  };
}

/** `scs` from `npm pack` + `npm install -g --prefix TMP`; `remove()` deletes the temporary install. */
export function packedLaunch(): { launch: Launch; installed: PackedInstall } {
  const installed = packAndInstall();
  const launch = {
    name: 'scs installed from the packed tarball (npm install -g), UI connected',
    args: [path.join(installed.packageDir, 'bin', 'scs.js')],
    ready: UI_READY,
  };
  return { launch, installed };
}

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
  entry: string;
  /** Bundle builds (scripts/build.mjs) and measurements redone because a source changed meanwhile. */
  bundle: FreshBundleStats;
  ui: Spread;
  /** The packed tarball installed with npm install -g, started from its own bin/scs.js. */
  installed: Spread;
  bare: Spread;
  plain: Spread;
  ratio: { uiMedianToBare: number; installedMedianToBare: number; plainMedianToBare: number };
  /** Both through tsx's loader, no bundle: the cost of a stale or missing dist/. */
  tsx: { ui: Spread; bare: Spread; uiMedianToBare: number };
  /** Met when both the checkout's bundle and the installed package start within 1.5× bare Ink. */
  target: { maxRatio: 1.5; met: boolean };
}

export async function runStartup(runs = 15): Promise<StartupResult> {
  buildScs(); // as `npm start` does, whatever the bundle's age
  const stats: FreshBundleStats = { builds: 1, discarded: 0 };
  const installed = await installedLaunches();
  const packed = packedLaunch();
  try {
    return await measure(
      { ...installed, packed: packed.launch, tsxBare: TSX_LAUNCHES.bare, tsxUi: TSX_LAUNCHES.ui },
      runs,
      stats,
    );
  } finally {
    packed.installed.remove();
  }
}

async function measure(
  launches: Record<string, Launch>,
  runs: number,
  stats: FreshBundleStats,
): Promise<StartupResult> {
  const time = (launch: Launch) =>
    launch.needsBundle ? withFreshBundle(() => timeLaunch(launch), stats) : timeLaunch(launch);
  const order = Object.keys(launches);
  const samples: Record<string, number[]> = Object.fromEntries(order.map((k) => [k, []]));
  for (const key of order) await time(launches[key]!); // warm the disk cache and tsx's transform cache
  for (let i = 0; i < runs; i++) {
    // Rotate the order so drift in machine load spreads over all of them.
    for (let k = 0; k < order.length; k++) {
      const key = order[(i + k) % order.length]!;
      samples[key]!.push(await time(launches[key]!));
    }
  }
  const ui = spread(samples.ui!);
  const packed = spread(samples.packed!);
  const bare = spread(samples.bare!);
  const plain = spread(samples.plain!);
  const tsxUi = spread(samples.tsxUi!);
  const tsxBare = spread(samples.tsxBare!);
  const uiRatio = ratio(ui.median, bare.median);
  const packedRatio = ratio(packed.median, bare.median);
  return {
    bench: 'startup',
    unit: 'ms',
    runs,
    entry: 'node bin/scs.js → dist/scs.mjs (fresh, plain node)',
    bundle: stats,
    ui: roundSpread(ui),
    installed: roundSpread(packed),
    bare: roundSpread(bare),
    plain: roundSpread(plain),
    ratio: {
      uiMedianToBare: uiRatio,
      installedMedianToBare: packedRatio,
      plainMedianToBare: ratio(plain.median, bare.median),
    },
    tsx: { ui: roundSpread(tsxUi), bare: roundSpread(tsxBare), uiMedianToBare: ratio(tsxUi.median, tsxBare.median) },
    target: { maxRatio: 1.5, met: uiRatio <= 1.5 && packedRatio <= 1.5 },
  };
}

if (isMain(import.meta.url)) {
  const r = await runStartup(intFlag(process.argv, 'runs', 15));
  const row = (name: string, s: Spread, anchor: Spread) => [
    name,
    s.n,
    round(s.median, 1),
    round(s.min, 1),
    round(s.max, 1),
    ratio(s.median, anchor.median),
  ];
  printTable(
    'start-up as installed (npm start: bin/scs.js on a fresh bundle, plain node), real pty, spawn → text on screen, ms',
    [
      ['', 'n', 'median', 'min', 'max', 'median/bare'],
      row('bare Ink, one line, bundled (anchor)', r.bare, r.bare),
      row('scs (bedside UI, connected)', r.ui, r.bare),
      row('scs installed (npm pack + npm install -g), UI connected', r.installed, r.bare),
      row('scs --plain (connected line)', r.plain, r.bare),
    ],
  );
  printTable("secondary: both through tsx's loader (a checkout without a fresh bundle), ms", [
    ['', 'n', 'median', 'min', 'max', 'median/bare'],
    row('bare Ink, one line, tsx (anchor)', r.tsx.bare, r.tsx.bare),
    row('scs (bedside UI, connected), tsx', r.tsx.ui, r.tsx.bare),
  ]);
  process.stdout.write(
    `bundle: ${r.bundle.builds} build(s), ${r.bundle.discarded} measurement(s) redone after a source changed\n`,
  );
  printVerdicts([
    atMost('start-up ratio UI/bare Ink (checkout, fresh bundle)', r.ratio.uiMedianToBare, 1.5),
    atMost('start-up ratio UI/bare Ink (installed package)', r.ratio.installedMedianToBare, 1.5),
  ]);
  printJson(r);
  process.exit(0);
}
