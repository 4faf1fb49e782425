import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMITTED_SCRIPT, runScriptJson, startSim, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';
import { startWireProxy, type WireProxy } from '../helpers/wire-proxy.js';

/**
 * Black-box findings F-H1 / F-H3 (bb3, `bb/pA.py`, stop case): the patient's remote changes amplitude
 * just before the companion's STOP reaches the generator; its event and every line that would have
 * told it are lost. Only STOP's reply (its `rev` two ahead) shows it. README H17: a `programRev` jump
 * is shown as a warning and adopted as found; H10: the difference stays as a mismatch until
 * acknowledged; STOP always ends output off. The audit log (`--audit`) shows the kept mismatch. The proxy types `remote amp 0.5` into `scs sim` when the
 * companion's STOP passes, waits for the generator's event (so the change has landed), drops every
 * generator line until STOP's reply, then forwards STOP: the same wire every run.
 */

let sim: SimRun | undefined;
let proxy: WireProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await sim?.stop();
  proxy = undefined;
  sim = undefined;
});

describe('scs script --json: an outside change that lands just before `stop` (H17/H10)', () => {
  it('the stop line warns that the program changed outside the companion, with the amplitude found; output ends off', async () => {
    sim = await startSim();
    const s = sim;
    let phase: 'idle' | 'holding' | 'told' = 'idle';
    let changed = false;
    proxy = await startWireProxy(s.port, {
      async beforeToGenerator(line) {
        if (phase !== 'idle' || !line.includes('STOP')) return;
        phase = 'holding';
        s.type('remote amp 0.5');
        await until(() => changed, "the remote's change on the generator");
      },
      dropToCompanion(line) {
        if (phase !== 'holding') return false;
        if (line.includes('EVT kind=program-changed')) changed = true;
        if (!line.includes('of=STOP')) return true;
        phase = 'told';
        return false;
      },
    });
    const audit = path.join(s.dir, 'audit.jsonl');
    const run = runScriptJson({ ...s, port: proxy.port }, [...COMMITTED_SCRIPT, 'stop', 'wait 500'].join('\n'), [
      '--dwell-ms',
      '500',
      '--audit',
      audit,
    ]);
    expect(await run.done, run.stderr()).toBe(0);
    expect(phase, proxy.wire().join('\n')).toBe('told');
    const lines = run.lines();
    const commit = lines.find((l) => l.command === 'commit')!;
    expect(commit.accepted).toBe(true);
    expect(commit.generator).toMatchObject({ output: 'on', mode: 'therapy', amplitudeMa: 0.1 });

    const stop = lines.find((l) => l.command === 'stop')!;
    const outside = stop.notices.filter((n) => /changed outside the companion/.test(n.reason));
    expect(outside, JSON.stringify(stop)).toHaveLength(1);
    expect(outside[0]).toMatchObject({ kind: 'warn', field: 'program' });
    expect(outside[0]!.reason).toMatch(/now .*0\.5 mA.*output off/);
    expect(outside[0]!.reason).toMatch(/shown as found, not overwritten/);
    expect(stop.generator).toMatchObject({ output: 'off', amplitudeMa: 0.5 });
    // README H17: the program holds 0.5 mA, above the window 0.1–0.2 mA, with output off: warned too.
    const above = stop.notices.filter((n) => n.field === 'amplitude');
    expect(above).toHaveLength(1);
    expect(above[0]).toMatchObject({ kind: 'warn', requested: 0.5, applied: 0.5 });
    expect(above[0]!.reason).toMatch(/above the measured window 0\.1–0\.2 mA while output is off/);

    // Told once: the lines after it do not tell it again, and nothing turns the output back on.
    const all = lines.flatMap((l) => l.notices).filter((n) => /changed outside the companion/.test(n.reason));
    expect(all).toHaveLength(1);
    expect(lines.at(-1)!.generator).toMatchObject({ output: 'off', amplitudeMa: 0.5 });

    // H10: the difference stays as a mismatch (expected 0.1 mA, generator 0.5 mA) until acknowledged.
    const records = fs
      .readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; mismatch?: unknown });
    const last = records.filter((r) => 'mismatch' in r).at(-1);
    expect(last?.mismatch).toMatchObject({
      kind: 'external',
      expected: { amplitudeUa: 100 },
      reported: { amplitudeUa: 500, output: 'off' },
    });
  }, 90_000);
});
