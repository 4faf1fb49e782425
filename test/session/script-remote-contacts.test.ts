import { afterEach, describe, expect, it } from 'vitest';
import { runScriptJson, startSim, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Issue 13, first bullet, the one case the other report tests leave out: contacts swapped with the
 * patient's remote (`remote contacts …` typed into `scs sim`) reach the JSON line of the `wait` they
 * happened in, once, in the report's contact notation.
 */

let sim: SimRun | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('scs script --json: contacts changed by the patient remote (issue 13)', () => {
  it('swapped contacts are warned about on the wait line they happened in, once', async () => {
    sim = await startSim();
    const run = runScriptJson(sim, ['electrodes 1- 2+', 'pw 300', 'wait 2500', 'wait 500'].join('\n'));
    await until(() => run.lines().some((l) => l.command === 'pw 300'), 'pw 300', 30_000);
    sim.type('remote contacts +-000000');
    await until(() => /remote changed the program/.test(sim!.log()), 'the remote change');
    expect(await run.done).toBe(0);
    const lines = run.lines();
    const outside = lines.flatMap((l) =>
      l.notices
        .filter((n) => n.field === 'program' && /changed outside the companion/.test(n.reason))
        .map((n) => ({ command: l.command, reason: n.reason })),
    );
    expect(outside).toHaveLength(1);
    expect(outside[0]!.command).toBe('wait 2500');
    expect(outside[0]!.reason).toMatch(/1\+ 2-/);
    const wait = lines.find((l) => l.command === 'wait 2500')!;
    expect(wait.generator?.contacts).toBe('+-000000');
  }, 60_000);
});
