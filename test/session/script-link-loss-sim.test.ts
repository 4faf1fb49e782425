import { afterEach, describe, expect, it } from 'vitest';
import { COMMITTED_SCRIPT, runScriptJson, startSim, type ReportLine, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Black-box finding (e), through the real CLI: `scs script --json` against `scs sim`, the cable pulled
 * (`unplug`) and put back (`replug`) while the script runs. Lines typed while the link is down wait for
 * it (bounded, README); `stop` is answered at once as held and confirmed by a notice once the link is
 * back; the loss and the return are notices on the lines they happened in.
 */

let sim: SimRun | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const said = (l: ReportLine | undefined) => (l?.notices ?? []).map((n) => n.reason).join('\n');

describe('scs script --json while the simulator is unplugged and replugged (issue 13)', () => {
  it('waits for the link, holds stop and says when it was confirmed, and says when the link went and came back', async () => {
    sim = await startSim();
    const s = sim;
    const run = runScriptJson(
      s,
      [...COMMITTED_SCRIPT, 'wait 1500', 'amp set 0.15', 'wait 1500', 'stop', 'wait 6000'].join('\n'),
      ['--dwell-ms', '500'],
    );
    const line = (command: string, nth = 0) => run.lines().filter((l) => l.command === command)[nth];
    await until(() => line('commit') !== undefined, 'commit', 30_000);
    s.type('unplug');
    // `amp set 0.15` is typed while the link is down: it waits; the cable comes back a moment later.
    await until(() => line('wait 1500') !== undefined, 'the first wait', 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(line('amp set 0.15'), 'amp set waits for the link').toBeUndefined();
    s.type('replug');
    await until(() => line('amp set 0.15') !== undefined, 'amp set 0.15', 20_000);
    s.type('unplug');
    // `stop` while the link is down: answered at once, held.
    await until(() => line('stop') !== undefined, 'stop', 15_000);
    expect(line('stop')!.accepted).toBe(false);
    expect(line('stop')!.state).toBe('linkLost');
    expect(said(line('stop'))).toMatch(/STOP held, not applied yet/);
    s.type('replug');
    expect(await run.done).toBe(0);

    expect(said(line('wait 1500'))).toMatch(/the link to the generator was lost/);
    const down = line('amp set 0.15')!;
    expect(down.accepted).toBe(true);
    expect(down.generator).toMatchObject({ output: 'on', mode: 'therapy', amplitudeMa: 0.15 });
    expect(said(down)).toMatch(/the link to the generator is back after/);
    expect(said(line('wait 1500', 1))).toMatch(/the link to the generator was lost/);
    const last = line('wait 6000')!;
    expect(said(last)).toMatch(/the link to the generator is back after/);
    expect(said(last)).toMatch(/the STOP held while the link was down went to the generator first/);
    expect(last.generator).toMatchObject({ output: 'off' });
    // Each said once over the whole report.
    const all = run.lines().flatMap((l) => l.notices.map((n) => n.reason));
    expect(all.filter((r) => /link to the generator was lost/.test(r))).toHaveLength(2);
    expect(all.filter((r) => /link to the generator is back/.test(r))).toHaveLength(2);
    expect(all.filter((r) => /STOP held while the link was down went/.test(r))).toHaveLength(1);
  }, 120_000);
});
