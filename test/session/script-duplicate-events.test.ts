import { afterEach, describe, expect, it } from 'vitest';
import { COMMITTED_SCRIPT, runScriptJson, startSim, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Black-box finding (b), through the real CLI: `scs sim --faults-on outbound --duplicate 0.6` sends
 * most lines twice, events among them; two changes made with the patient's remote during a `wait`
 * gave the same warning four times on one JSON line. README: "Every notice is on exactly one line,
 * never dropped and never repeated": one warning per change, none twice.
 */

let sim: SimRun | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('scs script --json against a simulator that duplicates its lines (issue 13)', () => {
  it('two remote changes during a wait: one warning each, no notice repeated', async () => {
    sim = await startSim(['--faults-on', 'outbound', '--duplicate', '0.6', '--seed', '11']);
    const run = runScriptJson(sim, [...COMMITTED_SCRIPT, 'wait 5000', 'output off'].join('\n'), ['--dwell-ms', '500']);
    await until(() => run.lines().some((l) => l.command === 'commit'), 'commit', 30_000);
    sim.type('remote amp 0.15');
    await until(() => /remote changed the program: rev \d+, 50 Hz, 300 us, 150 uA/.test(sim!.log()), 'first change');
    // Time for the companion to re-read (a second change before that is told with the first, as one jump).
    await new Promise((r) => setTimeout(r, 1500));
    sim.type('remote amp 0.2');
    await until(() => /remote changed the program: rev \d+, 50 Hz, 300 us, 200 uA/.test(sim!.log()), 'second change');
    expect(await run.done).toBe(0);
    const revs = [...sim.log().matchAll(/remote changed the program: rev (\d+)/g)].map((m) => Number(m[1]));
    expect(revs).toHaveLength(2);
    const lines = run.lines();
    const notices = lines.flatMap((l) => l.notices);
    const outside = notices.filter((n) => n.field === 'program' && /changed outside the companion/.test(n.reason));
    // Every revision the remote made is inside exactly one warning's jump (rev a → b, in its reason), none twice.
    const jumps = outside.map((n) => /\(rev (\d+) → (\d+)\)/.exec(n.reason)!.slice(1).map(Number));
    for (const rev of revs) expect(jumps.filter(([a, b]) => a! < rev && rev <= b!)).toHaveLength(1);
    expect(outside.length).toBeLessThanOrEqual(2);
    expect(outside.at(-1)!.reason).toMatch(/now 50 Hz, 300 µs, 0\.2 mA/);
    // Nothing else speaks for the remote's event lines, and no notice is on two lines or twice on one.
    expect(notices.filter((n) => n.field === 'generator')).toEqual([]);
    const texts = notices.map((n) => JSON.stringify(n));
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
    const wait = lines.find((l) => l.command === 'wait 5000')!;
    expect(wait.generator).toMatchObject({ amplitudeMa: 0.2, mode: 'therapy' });
  }, 90_000);
});
