import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMessage } from '../protocol/index.js';
import { rssMb, spawnInPty, type PtyProcess } from './lib/pty-process.js';
import { createPtyRig } from './lib/pty-rig.js';
import { buildScs, withFreshBundle, type FreshBundleStats } from './lib/scs-bundle.js';
import { atMost, hasFlag, intFlag, isMain, printJson, printTable, printVerdicts, round, sleep } from './lib/stats.js';
import { installedLaunches, TSX_LAUNCHES } from './startup.js';

/**
 * 7. Memory of the real bedside UI process (`scs --port PTY`, spawned in a pty, CI unset) connected to
 * the simulator on another pty: RSS once the connected frame is on screen, then over a simulated hour
 * of 50 Hz telemetry (180 000 TEL lines) fed faster than real time. RSS is read from /proc/PID/status.
 * The UI is started as installed (`node bin/scs.js` on a fresh dist/scs.mjs, plain node); the anchor
 * is the bare Ink program bundled and run by plain node; the tsx-run pair is shown as secondary.
 * Beside it: the memory the UI still holds
 * after a forced full collection at start and end (main-thread heap used + external; a preload runs
 * gc() on SIGUSR2 and reports), which tells held memory from garbage V8 has not collected yet. Targets: RSS after start-up ≤ 120 MB, growth ≤ 5 MB per simulated hour.
 */

const TELEMETRY_HZ = 50;
const GC_PRELOAD = fileURLToPath(new URL('./lib/gc-on-signal.cjs', import.meta.url));

export interface MemorySample {
  simulatedMinutes: number;
  rssMb: number;
}

export interface MemoryResult {
  bench: 'memory';
  unit: 'MB';
  process: string;
  simulatedSeconds: number;
  speedup: number;
  telemetryLines: number;
  wallSeconds: number;
  /** Bundle builds (scripts/build.mjs) and start-ups redone because a source changed meanwhile. */
  bundle: FreshBundleStats;
  bareInkRssMb: number;
  startupRssMb: number;
  /** The same two through tsx's loader (no bundle): what a stale or missing dist/ costs. */
  tsx: { bareInkRssMb: number; uiStartupRssMb: number };
  startupToBare: number;
  endRssMb: number;
  /** RSS once the end's full collection has run: how much of the raw growth V8 gives back. */
  endRssAfterGcMb: number;
  peakRssMb: number;
  growthMb: number;
  growthMbPerHour: number;
  /** Heap used + external of the main thread after a full collection. */
  heldAfterGc: {
    startMb: number;
    endMb: number;
    growthMb: number;
    growthMbPerHour: number;
    heapUsedMb: [number, number];
    externalMb: [number, number];
    heapTotalMb: [number, number];
  };
  samples: MemorySample[];
  target: {
    startupMaxMb: 120;
    growthMaxMbPerHour: 5;
    startupMet: boolean;
    growthMet: boolean;
    retainedGrowthMet: boolean;
  };
}

const MEMORY_FILE = path.join(os.tmpdir(), `scs-bench-memory-${process.pid}.json`);

/** Heap used + external of the child's main thread after a full collection (SIGUSR2 → gc() → file). */
async function heldAfterGc(
  child: PtyProcess,
): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number; heldMb: number }> {
  fs.rmSync(MEMORY_FILE, { force: true });
  process.kill(child.pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !fs.existsSync(MEMORY_FILE); i++) await sleep(50);
  await sleep(50);
  const usage = JSON.parse(fs.readFileSync(MEMORY_FILE, 'utf8')) as NodeJS.MemoryUsage;
  fs.rmSync(MEMORY_FILE, { force: true });
  const mb = (bytes: number) => bytes / 1048576;
  return {
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    heldMb: mb(usage.heapUsed + usage.external),
  };
}

function withGcPreload(): void {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --expose-gc --require ${GC_PRELOAD}`.trim();
  process.env.SCS_BENCH_MEMORY_FILE = MEMORY_FILE;
}

/** RSS of a program one second after `ready` is on screen. */
export async function rssWhenReady(args: string[], ready: string): Promise<number> {
  const child = spawnInPty(args);
  try {
    await child.waitFor(ready);
    await sleep(1000);
    return rssMb(child.pid);
  } finally {
    await child.stop();
  }
}

async function tsxRss(): Promise<MemoryResult['tsx']> {
  return {
    bareInkRssMb: round(await rssWhenReady(TSX_LAUNCHES.bare.args, TSX_LAUNCHES.bare.ready), 1),
    uiStartupRssMb: round(await rssWhenReady(TSX_LAUNCHES.ui.args, TSX_LAUNCHES.ui.ready), 1),
  };
}

/** `bin/scs.js --port PATH` started on a fresh bundle, connected and settled; its RSS then. */
async function startInstalledUi(
  port: string,
  stats: FreshBundleStats,
): Promise<{ ui: PtyProcess; startupRssMb: number }> {
  return withFreshBundle(
    async () => {
      const ui = spawnInPty(['bin/scs.js', '--port', port]);
      try {
        await ui.waitFor('Link: connected');
        await sleep(1000); // let the first frames and heartbeats settle
        const startupRssMb = rssMb(ui.pid);
        // A source changed meanwhile: bin/scs.js may have taken tsx; withFreshBundle starts it again.
        return { ui, startupRssMb };
      } catch (error) {
        await ui.stop();
        throw error;
      }
    },
    stats,
    5,
    ({ ui }) => ui.stop(),
  );
}

export async function runMemory(simulatedSeconds = 3600, speedup = 60): Promise<MemoryResult> {
  withGcPreload();
  buildScs(); // as `npm start` does
  const stats: FreshBundleStats = { builds: 1, discarded: 0 };
  const installed = await installedLaunches();
  const bareInkRssMb = await rssWhenReady(installed.bare.args, installed.bare.ready);
  const tsx = await tsxRss();
  const rig = createPtyRig({ telemetryHz: 0 });
  rig.serveSimulator();
  const started = await startInstalledUi(rig.path, stats);
  const ui = started.ui;
  try {
    const startupRssMb = started.startupRssMb;
    const gcStart = await heldAfterGc(ui);
    const samples: MemorySample[] = [{ simulatedMinutes: 0, rssMb: startupRssMb }];
    const t0 = performance.now();
    let lines = 0;
    for (let second = 1; second <= simulatedSeconds; second++) {
      const line = Buffer.from(`${encodeMessage({ type: 'TEL', state: rig.server.model.state })}\n`, 'latin1');
      for (let k = 0; k < TELEMETRY_HZ; k++) {
        lines++;
        if (!rig.inject(line)) await rig.drained();
      }
      // One simulated second every 1000/speedup ms of wall time.
      const ahead = t0 + (second * 1000) / speedup - performance.now();
      if (ahead > 0) await sleep(ahead);
      if (ui.exited) throw new Error(`the UI exited during the run: ${ui.screen().slice(-400)}`);
      if (second % 300 === 0 || second === simulatedSeconds)
        samples.push({ simulatedMinutes: second / 60, rssMb: rssMb(ui.pid) });
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    if (!ui.screen().includes('Link: connected'))
      throw new Error(`the UI lost the link during the run: ${ui.screen().slice(-400)}`);
    const endRssMb = samples[samples.length - 1]!.rssMb;
    const gcEnd = await heldAfterGc(ui);
    await sleep(500);
    const endRssAfterGcMb = rssMb(ui.pid);
    const hours = simulatedSeconds / 3600;
    const growthMb = endRssMb - startupRssMb;
    const retained = gcEnd.heldMb - gcStart.heldMb;
    return {
      bench: 'memory',
      unit: 'MB',
      process: 'node bin/scs.js --port PTY (bedside UI, fresh dist/scs.mjs on plain node)',
      simulatedSeconds,
      speedup,
      telemetryLines: lines,
      wallSeconds: round(wallSeconds, 1),
      bundle: stats,
      bareInkRssMb: round(bareInkRssMb, 1),
      startupRssMb: round(startupRssMb, 1),
      tsx,
      startupToBare: round(startupRssMb / bareInkRssMb, 2),
      endRssMb: round(endRssMb, 1),
      endRssAfterGcMb: round(endRssAfterGcMb, 1),
      peakRssMb: round(Math.max(...samples.map((s) => s.rssMb)), 1),
      growthMb: round(growthMb, 1),
      growthMbPerHour: round(growthMb / hours, 1),
      heldAfterGc: {
        startMb: round(gcStart.heldMb, 1),
        endMb: round(gcEnd.heldMb, 1),
        growthMb: round(retained, 1),
        growthMbPerHour: round(retained / hours, 1),
        heapUsedMb: [round(gcStart.heapUsedMb, 1), round(gcEnd.heapUsedMb, 1)],
        externalMb: [round(gcStart.externalMb, 1), round(gcEnd.externalMb, 1)],
        heapTotalMb: [round(gcStart.heapTotalMb, 1), round(gcEnd.heapTotalMb, 1)],
      },
      samples: samples.map((s) => ({ simulatedMinutes: round(s.simulatedMinutes, 1), rssMb: round(s.rssMb, 1) })),
      target: {
        startupMaxMb: 120,
        growthMaxMbPerHour: 5,
        startupMet: startupRssMb <= 120,
        growthMet: growthMb / hours <= 5,
        retainedGrowthMet: retained / hours <= 5,
      },
    };
  } finally {
    await ui.stop();
    rig.close();
  }
}

if (isMain(import.meta.url)) {
  const r = await runMemory(
    hasFlag(process.argv, 'quick') ? 120 : intFlag(process.argv, 'seconds', 3600),
    intFlag(process.argv, 'speedup', 60),
  );
  printTable(
    `RSS of the bedside UI over ${r.simulatedSeconds / 60} simulated minutes of ${TELEMETRY_HZ} Hz telemetry (${r.telemetryLines} lines in ${r.wallSeconds} s, ×${r.speedup}), MB`,
    [['simulated minute', 'RSS'], ...r.samples.map((s) => [String(s.simulatedMinutes), s.rssMb])],
  );
  const perHour = (mb: number) => round((mb * 3600) / r.simulatedSeconds, 1);
  printTable('summary, MB', [
    ['', 'value', 'anchor / limit'],
    ['bare Ink, one line, bundled, plain node (anchor)', r.bareInkRssMb, ''],
    ['UI RSS after start-up (bin/scs.js, fresh bundle)', r.startupRssMb, `${r.startupToBare}× bare; limit 120`],
    ['secondary, tsx loader: bare Ink (anchor)', r.tsx.bareInkRssMb, ''],
    [
      'secondary, tsx loader: UI after start-up',
      r.tsx.uiStartupRssMb,
      `${round(r.tsx.uiStartupRssMb / r.tsx.bareInkRssMb, 2)}× bare`,
    ],
    ['UI RSS at the end / peak', `${r.endRssMb} / ${r.peakRssMb}`, ''],
    [
      'UI RSS at the end, after a full GC',
      r.endRssAfterGcMb,
      `${round(r.endRssAfterGcMb - r.startupRssMb, 1)} over start-up`,
    ],
    ['growth per simulated hour', perHour(r.growthMb), 'limit 5'],
    ['held after full GC (heap used + external): start → end', `${r.heldAfterGc.startMb} → ${r.heldAfterGc.endMb}`, ''],
    ['  of which heap used: start → end', `${r.heldAfterGc.heapUsedMb[0]} → ${r.heldAfterGc.heapUsedMb[1]}`, ''],
    ['  of which external: start → end', `${r.heldAfterGc.externalMb[0]} → ${r.heldAfterGc.externalMb[1]}`, ''],
    [
      'V8 heap reserved (heapTotal) after full GC: start → end',
      `${r.heldAfterGc.heapTotalMb[0]} → ${r.heldAfterGc.heapTotalMb[1]}`,
      '',
    ],
    ['held after full GC: growth per simulated hour', r.heldAfterGc.growthMbPerHour, 'limit 5'],
  ]);
  printVerdicts([
    atMost('RSS after start-up (MB)', r.startupRssMb, 120),
    atMost('RSS growth per simulated hour (MB)', perHour(r.growthMb), 5),
    atMost('held (after full GC) growth per simulated hour (MB)', r.heldAfterGc.growthMbPerHour, 5),
  ]);
  printJson(r);
  process.exit(0);
}
