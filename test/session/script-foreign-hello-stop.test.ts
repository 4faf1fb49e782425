import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../protocol/index.js';
import { runScriptJson, startSim, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Black-box finding F-H4 (bb3, `bb/pG.py foreign|v1`): another companion's HELLO (or a protocol-1
 * HELLO) makes the generator stop uncommitted test output (PROTOCOL.md §4.1 step 4), with no EVT; the
 * report then showed output off with no notice and the search ended for no stated reason. §4.9: the
 * companion must not depend on an EVT, the state tells the same story. Here the other controller is a
 * second writer on the simulator's real pseudo-terminal; `scs script --json` must say, exactly once,
 * that the output stopped without its request.
 */

let sim: SimRun | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const SCRIPT = ['electrodes 1- 2+', 'pw 300', 'search start', 'amp up', 'amp up', 'wait 3000', 'amp up'].join('\n');

describe.each([
  ['another companion', { seq: '77777', proto: '2', cid: 'deadbeef' }],
  ['a protocol-1 host', { seq: '77777', proto: '1' }],
])('scs script --json: %s says HELLO during test stimulation (PROTOCOL.md §4.9)', (_who, fields) => {
  it('the report says once that the output stopped without a request, as found', async () => {
    sim = await startSim();
    const run = runScriptJson(sim, SCRIPT, ['--dwell-ms', '500']);
    await until(() => run.lines().filter((l) => l.command === 'amp up').length >= 2, 'two steps up', 30_000);
    const fd = fs.openSync(sim.port, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    try {
      fs.writeSync(fd, `${encodeFrame({ verb: 'HELLO', fields })}\n`);
    } finally {
      fs.closeSync(fd);
    }
    expect(await run.done).toBe(0);
    const lines = run.lines();
    const notices = lines.flatMap((l) => l.notices);
    const stops = notices.filter((n) => n.field === 'output' && /stopped without a request/.test(n.reason));
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ kind: 'warn', requested: 'on', applied: 'off' });
    expect(stops[0]!.reason).toMatch(/test stimulation ended; now .*output off/);
    const last = lines.at(-1)!;
    expect(last.generator?.output).toBe('off');
  }, 60_000);
});
