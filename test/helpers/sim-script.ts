import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../src/cli/command.js';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { runSim } from '../../src/cli/sim-command.js';
import { until } from './until.js';

/**
 * `scs sim` and `scs script --json` run in-process on a real pseudo-terminal, as a person would run
 * them in two terminals: commands typed into the simulator (`remote amp 0.5`, `unplug`, `replug`), the
 * script's JSON lines read back as they come. Call `stop()` in afterEach.
 */

export function sink(append: (s: string) => void): PassThrough {
  const s = new PassThrough();
  s.on('data', (d: Buffer) => append(d.toString()));
  return s;
}

export interface ReportLine {
  line?: number;
  command?: string;
  event?: string;
  accepted?: boolean;
  state: string;
  notices: Array<{ kind: string; field: string; requested: unknown; applied: unknown; reason: string }>;
  generator: {
    output: string;
    mode: string;
    amplitudeMa: number;
    rateHz: number;
    pulseWidthUs: number;
    programRev: number;
    contacts: string;
  } | null;
}

export interface SimRun {
  /** The stable link path (`--link`): a replugged simulator is another pty behind it. */
  port: string;
  dir: string;
  /** Types a line into the simulator's console. */
  type(line: string): void;
  /** What the simulator logged so far (stderr). */
  log(): string;
  stop(): Promise<void>;
}

export async function startSim(args: readonly string[] = []): Promise<SimRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-simscript-'));
  const port = path.join(dir, 'link');
  let out = '';
  let log = '';
  const stdin = new PassThrough();
  const abort = new AbortController();
  const done = runSim(
    ['--json', '--telemetry-hz', '10', '--link', port, ...args],
    { stdout: sink((s) => (out += s)), stderr: sink((s) => (log += s)), stdin, env: {} },
    { signal: abort.signal },
  );
  await until(() => out.includes('\n'), 'the simulator');
  return {
    port,
    dir,
    type: (line) => void stdin.write(`${line}\n`),
    log: () => log,
    async stop() {
      abort.abort();
      await done;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ScriptRun {
  /** The JSON lines printed so far. */
  lines(): ReportLine[];
  /** Resolves with the exit code. */
  done: Promise<number>;
  stderr(): string;
}

/**
 * Runs `scs script FILE --port PORT --json ...args` with `text` as the script; `signals` stands in for
 * the process (emit 'SIGINT' on it to press Ctrl+C).
 */
export function runScriptJson(
  sim: SimRun,
  text: string,
  args: readonly string[] = [],
  signals?: NodeJS.EventEmitter,
): ScriptRun {
  const file = path.join(sim.dir, 's.scs');
  fs.writeFileSync(file, text);
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: new PassThrough(),
    env: {},
  };
  const done = runScriptCommand([file, '--port', sim.port, '--json', ...args], io, undefined, signals);
  return {
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ReportLine),
    done,
    stderr: () => err,
  };
}

/** The threshold search of the simulator's default lead to a window 0.1–0.2 mA, then committed therapy. */
export const COMMITTED_SCRIPT = [
  'electrodes 1- 2+',
  'pw 300',
  'search start',
  'amp up',
  'amp up',
  'mark sensory',
  'amp up',
  'amp up',
  'mark discomfort',
  'commit',
];
