import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRemoteCommand } from '../../firmware-sim/remote-command.js';
import type { CommandIo } from '../../src/cli/command.js';
import { runSim } from '../../src/cli/sim-command.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import type { Intent } from '../../src/session/session-types.js';
import { until } from '../helpers/until.js';

/**
 * H17 (two controllers at once): `scs sim` can be told, on its stdin, to change its own program as the
 * patient's remote would. A companion connected over a real pseudo-terminal detects the change on
 * the next interrogation, shows it (a warning naming the old and new program revision and the
 * program now running), adopts what it found, and never writes over it.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1500, contacts: '-+000000' };

describe('scs sim remote: the parser', () => {
  it("changes exactly the named setting, in the remote's units", () => {
    expect(parseRemoteCommand('remote amp 2.5', PROGRAM)).toEqual({
      ok: true,
      program: { ...PROGRAM, amplitudeUa: 2500 },
    });
    expect(parseRemoteCommand('remote amp 0', PROGRAM)).toEqual({ ok: true, program: { ...PROGRAM, amplitudeUa: 0 } });
    expect(parseRemoteCommand('  remote   rate 55 ', PROGRAM)).toEqual({
      ok: true,
      program: { ...PROGRAM, rateHz: 55 },
    });
    expect(parseRemoteCommand('remote pw 350', PROGRAM)).toEqual({
      ok: true,
      program: { ...PROGRAM, pulseWidthUs: 350 },
    });
    expect(parseRemoteCommand('remote contacts 00-+0000', PROGRAM)).toEqual({
      ok: true,
      program: { ...PROGRAM, contacts: '00-+0000' },
    });
  });

  it('refuses what it cannot read, saying why', () => {
    const reason = (text: string) => {
      const r = parseRemoteCommand(text, PROGRAM);
      return r.ok ? null : r.reason;
    };
    expect(reason('remote amp')).toMatch(/expected remote amp MA/);
    expect(reason('remote amp 1 2')).toMatch(/expected remote amp MA/);
    expect(reason('remote amp -1')).toMatch(/non-negative number/);
    expect(reason('remote amp 1e3')).toMatch(/non-negative number/);
    expect(reason('remote amp 1.0005')).toMatch(/finer than 1 µA/);
    expect(reason('remote rate 50.5')).toMatch(/whole number/);
    expect(reason('remote pw 3.5')).toMatch(/whole number/);
    expect(reason('remote volume 3')).toMatch(/unknown remote setting 'volume'/);
    expect(reason('remote contacts +-x')).toMatch(/contacts must be/);
    expect(reason('remotely amp 1')).toMatch(/expected remote/);
  });
});

let stopSim: AbortController | undefined;
let simDone: Promise<number> | undefined;
let link: SerialGeneratorLink | undefined;
let controller: SessionController | undefined;

afterEach(async () => {
  controller?.dispose();
  await link?.close();
  stopSim?.abort();
  await simDone;
  controller = link = stopSim = simDone = undefined;
});

/** `scs sim` in this process, typed into through its stdin; its log collected. */
async function startSim(): Promise<{ path: string; type(line: string): void; log: () => string }> {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  const sink = (append: (s: string) => void) => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => append(d.toString()));
    return s;
  };
  const io: CommandIo = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdin, env: {} };
  stopSim = new AbortController();
  simDone = runSim(['--json', '--telemetry-hz', '20'], io, { signal: stopSim.signal });
  await until(() => out.includes('\n'), 'the simulator');
  return {
    path: (JSON.parse(out.split('\n')[0]!) as { path: string }).path,
    type: (line) => void stdin.write(`${line}\n`),
    log: () => err,
  };
}

const TIMING = {
  requestTimeoutMs: 200,
  requestRetries: 5,
  heartbeatIntervalMs: 100,
  reconnectDelayMs: 20,
  reconnectMaxDelayMs: 200,
};

async function session(path: string): Promise<SessionController> {
  link = openGeneratorLink({ port: path, timing: TIMING });
  controller = createSessionController({ link, dwellMs: 0 });
  await controller.dispatch({ type: 'CONNECT' });
  return controller;
}

/** Thresholds at 0.2 and 0.4 mA (pw 300, contacts 1- 2+), test stimulation at 0.2 mA. */
async function tuning(c: SessionController): Promise<void> {
  const up: Intent[] = Array.from({ length: 4 }, () => ({ type: 'AMPLITUDE_UP' }));
  const steps: Intent[] = [
    { type: 'ELECTRODES', spec: ['1-', '2+'] },
    { type: 'PULSE_WIDTH', us: 300 },
    { type: 'SEARCH_START' },
    ...up,
    { type: 'MARK_SENSORY' },
    ...up,
    { type: 'MARK_DISCOMFORT' },
  ];
  for (const e of steps) {
    expect((await c.dispatch(e)).accepted, e.type).toBe(true);
  }
  expect(c.view().state).toBe('tuning');
}

const outside = (c: SessionController) =>
  c
    .view()
    .notices.filter(
      (n) => n.field === 'program' && n.kind === 'warn' && /changed outside the companion/.test(n.reason),
    );

describe('H17: a change made by the patient remote is detected, shown and never silently overwritten', () => {
  it('during committed therapy: remote amp 2.5 is shown as found, outside the window, and stays', async () => {
    const sim = await startSim();
    const c = await session(sim.path);
    await tuning(c);
    expect((await c.dispatch({ type: 'COMMIT' })).accepted).toBe(true);
    expect(c.view().state).toBe('therapy');
    const rev = c.view().generator!.programRev;

    sim.type('remote amp 2.5');
    await until(() => outside(c).length > 0, 'the companion to notice the outside change');
    await c.settled();
    const [n] = outside(c);
    // The values are the programs in words (bb3 F-L5); the revision numbers only in the reason.
    expect(n).toMatchObject({
      requested: expect.stringMatching(/ 0\.\d+ mA, .*output on \(therapy\)$/),
      applied: expect.stringMatching(/ 2\.5 mA, .*output on \(therapy\)$/),
    });
    expect(n!.reason).toContain(`rev ${rev} → ${rev + 1}`);
    expect(n!.reason).toMatch(/2\.5 mA/);
    expect(n!.reason).toMatch(/not overwritten/);
    expect(
      c
        .view()
        .notices.some((x) => x.field === 'amplitude' && /outside the measured window 0\.2–0\.4 mA/.test(x.reason)),
    ).toBe(true);
    expect(sim.log()).toMatch(/remote changed the program: rev \d+, 50 Hz, 300 us, 2500 uA/);
    // The companion shows what the generator holds, and sends nothing that would change it back.
    expect(c.view().generator).toMatchObject({ amplitudeUa: 2500, output: 'on', mode: 'therapy' });
    expect(c.view().state).toBe('therapy');
    await c.dispatch({ type: 'REFRESH' });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.view().generator).toMatchObject({ amplitudeUa: 2500, programRev: rev + 1 });
    expect(outside(c)).toHaveLength(1);
  });

  it('during test stimulation: the change is adopted as the new starting point; the next step moves from it, inside the window', async () => {
    const sim = await startSim();
    const c = await session(sim.path);
    await tuning(c);
    sim.type('remote amp 0.35');
    await until(() => outside(c).length > 0, 'the companion to notice the outside change');
    await c.settled();
    expect(c.view().generator).toMatchObject({ amplitudeUa: 350, output: 'on' });
    // A person's next step starts from what was found, not from what the companion last sent (0.2 mA).
    expect((await c.dispatch({ type: 'AMPLITUDE_DOWN' })).accepted).toBe(true);
    expect(c.view().generator!.amplitudeUa).toBe(300);
  });

  it('a change the generator refuses (only amplitude may change while output is on) changes nothing', async () => {
    const sim = await startSim();
    const c = await session(sim.path);
    await tuning(c);
    sim.type('remote rate 55');
    await until(() => /remote: external change refused/.test(sim.log()), 'the refusal');
    await c.dispatch({ type: 'REFRESH' });
    expect(outside(c)).toEqual([]);
    expect(c.view().generator!.rateHz).toBe(50);
  });
});
