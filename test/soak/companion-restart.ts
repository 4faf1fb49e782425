import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPtyGenerator } from '../../firmware-sim/pty-generator.js';
import { int, rngFor } from '../fuzz/line-corpus.js';
import { trackChild } from '../helpers/child-registry.js';
import { ModelWatch } from './model-watch.js';
import { WireTrace } from './wire-trace.js';

/**
 * Soak phase: a real companion process (`scs script --port`, as a person runs it) is SIGKILLed in the
 * middle of a threshold search (or right after committing therapy) and a new one starts within the
 * generator's watchdog period. Invariants: the new companion's first line never shows search/tuning with
 * output it did not turn on (ModelWatch.checkNewSession); the generator's uncommitted test output is off
 * after the new HELLO, committed therapy keeps running (ModelWatch 'inherited'); and the model-level
 * invariants of model-watch.ts hold throughout.
 */

export interface RestartOptions {
  seed: number;
  rounds: number;
  /** performance.now() after which no further round starts (the phase's time box); the first always runs, rounds run whole. */
  stopAt?: number;
  /** Long enough that the new process starts inside it under load (tsx start-up is seconds). */
  watchdogMs?: number;
  log?: (line: string) => void;
}

export interface RestartReport {
  rounds: number;
  kills: number;
  /** Rounds whose killed companion left uncommitted test output / committed therapy running. */
  killedDuring: { test: number; therapy: number };
  invariants: ModelWatch['checks'];
  violations: string[];
  /** The wire around the first violation (last 50 lines each way), if any. */
  wireTrace?: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const SETUP = ['electrodes 1- 2+', 'rate 50', 'pw 300', 'search start'];
const UP = (n: number) => Array.from({ length: n }, () => 'amp up');
const THERAPY = [...SETUP, ...UP(3), 'mark sensory', ...UP(3), 'mark discomfort', 'amp set 0.3', 'commit'];
/** Generous per process: tsx start-up under a loaded machine plus a few dwells. */
const PROCESS_MS = 60_000;

interface Companion {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<void>;
}

function startCompanion(script: string[], dir: string, name: string, port: string): Companion {
  const file = path.join(dir, `${name}.scs`);
  fs.writeFileSync(file, `${script.join('\n')}\n`);
  const child = trackChild(
    spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'script', file, '--port', port, '--json', '--dwell-ms', '500'],
      { cwd: ROOT, env: { ...process.env, CI: 'true', SCS_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // not a JSON line (a warning): ignore
      }
    }
  });
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, lines, exited };
}

async function until(what: string, ok: () => boolean, ms = PROCESS_MS): Promise<void> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function runCompanionRestarts(options: RestartOptions): Promise<RestartReport> {
  const log = options.log ?? (() => {});
  const r = rngFor(options.seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-soak-restart-'));
  const trace = new WireTrace();
  let wireTrace: string | undefined;
  const linkPath = path.join(dir, 'generator');
  const gen = await startPtyGenerator({
    linkPath,
    telemetryHz: 10,
    config: { watchdogMs: options.watchdogMs ?? 15_000 },
    onWire: trace.record,
  });
  const started = performance.now();
  const watch = new ModelWatch(gen.server.model, { armed: true, patientCeilingUa: () => null }, () =>
    Math.round(performance.now() - started),
  );
  watch.onFirstViolation = () => (wireTrace = trace.snapshot());
  const report: RestartReport = {
    rounds: 0,
    kills: 0,
    killedDuring: { test: 0, therapy: 0 },
    invariants: watch.checks,
    violations: watch.violations,
  };
  const running: Companion[] = [];
  try {
    for (let round = 0; round < options.rounds && watch.violations.length === 0; round++) {
      if (round > 0 && options.stopAt !== undefined && performance.now() > options.stopAt) break;
      // Alternate: kill mid-search (uncommitted test output), then right after a commit (therapy).
      const therapy = round % 2 === 1;
      const steps = int(r, 1, 4);
      const first = startCompanion(therapy ? THERAPY : [...SETUP, ...UP(6)], dir, `a${round}`, linkPath);
      running.push(first);
      const seen = (command: string, n = 1) => first.lines.filter((l) => l.command === command).length >= n;
      await until(`round ${round}: first companion reaches the kill point`, () =>
        therapy ? seen('commit') : seen('amp up', steps),
      );
      const before = gen.server.model.state;
      first.child.kill('SIGKILL');
      await first.exited;
      report.kills++;
      if (before.output === 'on') report.killedDuring[before.committed ? 'therapy' : 'test']++;
      // A new companion at once, well inside the watchdog: it connects, looks, and ends its script.
      const second = startCompanion(['posture supine', 'wait 200'], dir, `b${round}`, linkPath);
      running.push(second);
      await until(`round ${round}: second companion's first line`, () => second.lines.length > 0);
      const line = second.lines[0]!;
      const cid = gen.server.model.session?.cid ?? '?';
      watch.checkNewSession(cid, String(line.state));
      if (before.committed)
        watch.check(
          'inherited',
          gen.server.model.state.committed && gen.server.model.state.output === 'on',
          () => `committed therapy did not survive the new companion: ${JSON.stringify(gen.server.model.state)}`,
        );
      let ended = false;
      void second.exited.then(() => (ended = true));
      await until(`round ${round}: second companion ends its script`, () => ended).catch((e: Error) =>
        watch.violation('recovery', e.message),
      );
      report.rounds++;
      log(
        `  round ${round + 1}: killed during ${before.output === 'on' ? (before.committed ? 'therapy' : 'test') : 'nothing'}; new companion's first state ${String(line.state)}`,
      );
      // The next round starts from a generator with output off (a therapy left running would make the
      // next search a MODE_CHANGE refusal).
      gen.server.reset();
    }
  } catch (error) {
    watch.violation('recovery', (error as Error).message);
  } finally {
    for (const c of running) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(running.map((c) => c.exited));
    await gen.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return wireTrace === undefined ? report : { ...report, wireTrace };
}
