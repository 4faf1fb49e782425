import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
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
