import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killTrackedChildren } from '../helpers/child-registry.js';
import { spawnScript } from '../helpers/script-process.js';
import { runScriptJson, startSim, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Black-box finding bb4-F7: Ctrl+C or SIGTERM to `scs script` while it stimulated ended the process at
 * once, sent no STOP, and the test stimulation ran on until the generator's watchdog. README (safety
 * model): SIGINT, SIGTERM and SIGHUP send STOP and wait up to 3 s for the generator to confirm output
 * off; an interrupted script sends no further line. `scs sim` on a real pseudo-terminal; the signal
 * comes from an emitter standing in for the process.
 */

let sim: SimRun | undefined;
afterEach(async () => {
  killTrackedChildren();
  await sim?.stop();
  sim = undefined;
});

// Test stimulation on after the two steps; the long wait is where the signal lands; line 7 must never run.
const SCRIPT = ['electrodes 1- 2+', 'pw 300', 'search start', 'amp up', 'amp up', 'wait 20000', 'amp up'].join('\n');

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('scs script interrupted by %s while it stimulates', (signal, code) => {
  it('sends STOP, says it was confirmed, runs no further line and exits with the signal code', async () => {
    sim = await startSim();
    const signals = new EventEmitter();
    const run = runScriptJson(sim, SCRIPT, ['--dwell-ms', '500'], signals);
    await until(() => run.lines().filter((l) => l.command === 'amp up').length >= 2, 'two steps up', 30_000);
    const before = run.lines().at(-1)!;
    expect(before.generator?.output).toBe('on');
    const started = Date.now();
    signals.emit(signal);
    expect(await run.done).toBe(code);
    // Not the 20 s wait, not the watchdog: the STOP's confirmation (at most 3 s).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr()).toContain(`${signal}: sending STOP to the generator before exit`);
    expect(run.stderr()).toContain('STOP confirmed by the generator: output off.');
    const lines = run.lines();
    expect(lines.some((l) => l.line === 7)).toBe(false);
    // The interrupting STOP's own notices reach the report, on an event line of their own.
    const last = lines.at(-1)!;
    expect(last.event).toBeDefined();
    expect(last.generator?.output).toBe('off');
    expect(last.notices.some((n) => n.field === 'output' && n.applied === 'off')).toBe(true);
    // The generator itself is off (not only the companion's view): its console's `status` says so.
    sim.type('status');
    await until(() => /state \{/.test(sim!.log()), 'the simulator status');
    const state = JSON.parse(/state (\{.*\})/.exec(sim.log())![1]!) as { output: string; amplitudeUa: number };
    expect(state.output).toBe('off');
  }, 60_000);
});

// bb5-N2: in a real process, a pending wait (or link wait) must not keep it alive after the STOP.
describe('scs script as a real process, interrupted during a long wait', () => {
  it('exits with 130 soon after SIGINT, not when the wait would have ended', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-interrupt-'));
    const file = path.join(dir, 'long-wait.scs');
    fs.writeFileSync(file, ['electrodes 1- 2+', 'pw 300', 'search start', 'amp up', 'wait 60000', 'amp up'].join('\n'));
    try {
      const { child, out, err, exited } = spawnScript([file, '--json', '--dwell-ms', '0']);
      await until(() => out().includes('"command":"amp up"'), 'the step up', 60_000);
      const sent = Date.now();
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      // The STOP's confirmation takes at most 3 s; the 60 s wait must not hold the process.
      expect(Date.now() - sent).toBeLessThan(15_000);
      expect(err()).toContain('STOP confirmed by the generator: output off.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
