import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { PROTOCOL_VERSION, type GeneratorState } from '../../protocol/index.js';
import type { CommandIo } from '../../src/cli/command.js';
import scriptCommand from '../../src/cli/script-command.js';
import { CLINICAL_PULSE_WIDTH_US, CLINICAL_RATE_HZ } from '../../src/session/tonic-clamps.js';

/**
 * H2, second half: the companion is killed (or its laptop wiped) while the generator is in some mode;
 * a companion started afresh, with an EMPTY data directory (no binding, no thresholds, no history),
 * connects over a real pseudo-terminal and recovers control: output off confirmed by the generator,
 * then a known-safe program (amplitude 0, rate and pulse width inside the clinical window) written
 * and read back. The companion keeps no session state on disk, so nothing it lost can block this.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

let generator: PtyGenerator | undefined;
let dir: string | undefined;

afterEach(async () => {
  await generator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  generator = dir = undefined;
});

/** The generator as another session (or another programmer) left it. */
type Mode = { name: string; prepare(model: GeneratorModel): void; expect: Partial<GeneratorState> };

const T0 = 1_000;
function drive(model: GeneratorModel, requests: Array<Record<string, unknown>>): void {
  let seq = 60_000;
  // Another companion (its own cid and session) programs the generator.
  const hello = model.handle({ type: 'HELLO', seq: seq++, proto: PROTOCOL_VERSION, cid: '0de1e7ed' }, T0);
  const sess = hello.type === 'ACK' && hello.of === 'HELLO' ? hello.session : undefined;
  for (const r of requests) {
    const reply = model.handle({ ...r, seq: seq++, sess, rev: model.state.programRev } as never, T0);
    if (reply.type === 'NAK') throw new Error(`preparing the generator: ${reply.message}`);
  }
}
const SET = (rateHz: number, pulseWidthUs: number, amplitudeUa: number, contacts = '-+000000') => ({
  type: 'SET',
  rateHz,
  pulseWidthUs,
  amplitudeUa,
  contacts,
});

const MODES: Mode[] = [
  { name: 'output off, power-on program', prepare: () => {}, expect: { output: 'off' } },
  {
    name: 'test stimulation running (a search or tuning left behind)',
    prepare: (m) => drive(m, [SET(50, 300, 1500), { type: 'OUTPUT', on: true, mode: 'test' }]),
    expect: { output: 'on', mode: 'test', committed: false, amplitudeUa: 1500 },
  },
  {
    name: 'committed therapy running',
    prepare: (m) => drive(m, [SET(50, 300, 2500), { type: 'OUTPUT', on: true, mode: 'therapy' }]),
    expect: { output: 'on', mode: 'therapy', committed: true, amplitudeUa: 2500 },
  },
  {
    name: 'mid-program: a program outside the clinical window, output off',
    prepare: (m) => drive(m, [SET(1000, 30, 3000, '+-0-0000')]),
    expect: { output: 'off', rateHz: 1000, pulseWidthUs: 30 },
  },
  {
    name: 'mid-program: another programmer left 130 Hz / 60 µs test stimulation on',
    prepare: (m) => drive(m, [SET(130, 60, 4000), { type: 'OUTPUT', on: true, mode: 'test' }]),
    expect: { output: 'on', mode: 'test', rateHz: 130, pulseWidthUs: 60 },
  },
];

async function leftIn(mode: Mode): Promise<{ portPath: string; model: GeneratorModel; dataDir: string }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-h2-'));
  const dataDir = path.join(dir, 'empty-data');
  fs.mkdirSync(dataDir);
  const portPath = path.join(dir, 'generator');
  // A long watchdog: the generator's own timeout must not be what recovers control here.
  const model = new GeneratorModel({ watchdogMs: 600_000 });
  mode.prepare(model);
  expect(model.state).toMatchObject(mode.expect);
  generator = await startPtyGenerator({ model, telemetryHz: 0, linkPath: portPath, now: () => T0 });
  return { portPath, model, dataDir };
}

function io(dataDir: string): { io: CommandIo; out: () => string } {
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const env = { HOME: dataDir, XDG_DATA_HOME: dataDir, SCS_DATA_DIR: dataDir };
  return { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env }, out: () => out };
}

function script(text: string): string {
  const file = path.join(dir!, 'recover.scs');
  fs.writeFileSync(file, text);
  return file;
}

type Step = {
  line: number;
  command: string;
  accepted: boolean;
  state: string;
  generator: { output: string; rateHz: number; pulseWidthUs: number; amplitudeMa: number; contacts: string };
};

function expectKnownSafe(g: GeneratorState): void {
  expect(g.output).toBe('off');
  expect(g.amplitudeUa).toBe(0);
  expect(g.rateHz).toBeGreaterThanOrEqual(CLINICAL_RATE_HZ.min);
  expect(g.rateHz).toBeLessThanOrEqual(CLINICAL_RATE_HZ.max);
  expect(g.pulseWidthUs).toBeGreaterThanOrEqual(CLINICAL_PULSE_WIDTH_US.min);
  expect(g.pulseWidthUs).toBeLessThanOrEqual(CLINICAL_PULSE_WIDTH_US.max);
  expect(g.contacts).toBe('00-+0000');
}

describe('H2: a fresh companion with an empty data directory recovers a generator left in any mode', () => {
  for (const mode of MODES) {
    for (const off of ['stop', 'output off']) {
      it(`${mode.name}: "${off}", then a known-safe program`, async () => {
        const { portPath, model, dataDir } = await leftIn(mode);
        const { io: cmdIo, out } = io(dataDir);
        const code = await scriptCommand.run(
          [script(`${off}\nelectrodes 3- 4+\n`), '--port', portPath, '--json', '--dwell-ms', '500'],
          cmdIo,
        );
        expect(code).toBe(0);
        const steps = out()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
          .filter((l) => 'line' in l) as Step[];
        expect(steps.map((s) => [s.command, s.accepted])).toEqual([
          [off, true],
          ['electrodes 3- 4+', true],
        ]);
        expect(steps[0]!.generator.output).toBe('off');
        expect(steps[1]!.state).toBe('ready');
        expectKnownSafe(model.state);
        // What the companion reports is what the generator holds.
        expect(steps[1]!.generator).toMatchObject({
          output: 'off',
          amplitudeMa: 0,
          rateHz: model.state.rateHz,
          pulseWidthUs: model.state.pulseWidthUs,
          contacts: '00-+0000',
        });
        expect(fs.readdirSync(dataDir)).toEqual([]);
      });
    }
  }

  it('as a separate process: committed therapy is found, stopped and reprogrammed', async () => {
    const { portPath, model, dataDir } = await leftIn(MODES[2]!);
    const file = script('stop\nelectrodes 3- 4+\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dataDir, XDG_DATA_HOME: dataDir, SCS_DATA_DIR: dataDir };
    delete env.CI;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'script', file, '--port', portPath, '--json'],
      { cwd: root, env },
    );
    const steps = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'line' in l) as Step[];
    expect(steps.map((s) => s.accepted)).toEqual([true, true]);
    expectKnownSafe(model.state);
  });
});
