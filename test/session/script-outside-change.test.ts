import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../src/cli/command.js';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { runSim } from '../../src/cli/sim-command.js';
import { until } from '../helpers/until.js';

/**
 * Issue 13, item 1, through the real CLI: `scs script --port … --json` against `scs sim` on a
 * pseudo-terminal, with the patient's remote (`remote amp|rate|pw` typed into the simulator) changing
 * the program while the script waits. The change must be on a JSON line (the issue saw notices: []).
 */

let stopSim: AbortController | undefined;
let simDone: Promise<number> | undefined;
afterEach(async () => {
  stopSim?.abort();
  await simDone;
  stopSim = simDone = undefined;
});

function sink(append: (s: string) => void): PassThrough {
  const s = new PassThrough();
  s.on('data', (d: Buffer) => append(d.toString()));
  return s;
}

async function startSim(): Promise<{ path: string; type(line: string): void }> {
  let out = '';
  const stdin = new PassThrough();
  const io: CommandIo = { stdout: sink((s) => (out += s)), stderr: sink(() => {}), stdin, env: {} };
  stopSim = new AbortController();
  simDone = runSim(['--json', '--telemetry-hz', '20'], io, { signal: stopSim.signal });
  await until(() => out.includes('\n'), 'the simulator');
  return {
    path: (JSON.parse(out.split('\n')[0]!) as { path: string }).path,
    type: (line) => void stdin.write(`${line}\n`),
  };
}

function scriptFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-outside-'));
  const p = path.join(dir, 's.scs');
  fs.writeFileSync(p, text);
  return p;
}

type Line = {
  line?: number;
  command?: string;
  event?: string;
  notices: Array<{ kind: string; field: string; reason: string }>;
  generator: { amplitudeMa: number; rateHz: number; pulseWidthUs: number };
};

describe('scs script --json reports changes made by the patient remote (issue 13)', () => {
  it('remote amp while stimulating and remote rate / pw while off each reach the JSON line of the wait they happened in', async () => {
    const sim = await startSim();
    let out = '';
    const io: CommandIo = {
      stdout: sink((s) => (out += s)),
      stderr: sink(() => {}),
      stdin: new PassThrough(),
      env: {},
    };
    const lines = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
    const script = scriptFile('electrodes 1- 2+\npw 300\nsearch start\nwait 1500\noutput off\nwait 1500\nwait 1500\n');
    const done = runScriptCommand([script, '--port', sim.path, '--json', '--dwell-ms', '500'], io);
    await until(() => lines().some((l) => l.command === 'search start'), 'search start');
    sim.type('remote amp 0.5');
    await until(() => lines().some((l) => l.command === 'output off'), 'output off');
    sim.type('remote rate 100');
    await until(() => lines().filter((l) => l.command === 'wait 1500').length === 2, 'second wait');
    sim.type('remote pw 1000');
    expect(await done).toBe(0);
    const all = lines();
    const waits = all.filter((l) => l.command === 'wait 1500');
    expect(waits).toHaveLength(3);
    const outside = (l: Line) =>
      l.notices.filter((n) => n.field === 'program' && /changed outside the companion/.test(n.reason));
    expect(waits[0]!.generator.amplitudeMa).toBe(0.5);
    expect(outside(waits[0]!)).toHaveLength(1);
    expect(outside(waits[0]!)[0]!.reason).toMatch(/0\.5 mA/);
    expect(waits[1]!.generator.rateHz).toBe(100);
    expect(outside(waits[1]!)[0]!.reason).toMatch(/100 Hz/);
    expect(waits[2]!.generator.pulseWidthUs).toBe(1000);
    expect(outside(waits[2]!)[0]!.reason).toMatch(/1000 µs/);
    // Each change is reported once, on one line.
    expect(all.flatMap(outside)).toHaveLength(3);
  });

  it('a dwell under 500 ms is refused against a serial port and accepted (0) on the built-in simulator', async () => {
    const io: CommandIo = { stdout: sink(() => {}), stderr: sink(() => {}), stdin: new PassThrough(), env: {} };
    const script = scriptFile('electrodes 1- 2+\nsearch start\namp up\namp up\n');
    await expect(runScriptCommand([script, '--port', '/dev/null', '--dwell-ms', '499'], io)).rejects.toThrow(
      /--dwell-ms 499 is too short.*at least 500 ms/,
    );
    let out = '';
    const io2: CommandIo = {
      stdout: sink((s) => (out += s)),
      stderr: sink(() => {}),
      stdin: new PassThrough(),
      env: {},
    };
    expect(await runScriptCommand([script, '--json', '--dwell-ms', '0'], io2)).toBe(0);
    const amps = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.command === 'amp up');
    expect(amps.map((l) => l.generator.amplitudeMa)).toEqual([0.05, 0.1]);
    let help = '';
    await runScriptCommand(['--help'], { ...io, stdout: sink((s) => (help += s)) });
    expect(help).toMatch(/with --port a dwell\s+under 500 ms is refused/);
  });
});
