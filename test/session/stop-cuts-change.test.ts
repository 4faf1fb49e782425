import { describe, expect, it } from 'vitest';
import { StaleCommandError, type Program } from '../../src/link/generator-link.js';
import { lastImportantNotice } from '../../src/ui/session-view.js';
import { gen, harness, measured } from './harness.js';

/**
 * bb6-N7 (issue 13): README "Safety model": on a serial port a STOP cuts a program or output change
 * whose line has not fully left, and "the change ends 'not executed: STOP cut it before it was sent
 * whole'". The person must be told so: the STOP's line (a script's event line, the UI's last notice)
 * says which change did not run, once the STOP's reply shows that only the STOP moved the generator.
 */
async function cutByStop(runs: boolean) {
  const h = await harness();
  await measured(h, 4, 4); // window 0.2 – 0.4 mA, test output on at 0.4 mA
  await h.do({ type: 'AMPLITUDE_SET', ma: 0.3 });
  const before = gen(h).amplitudeUa;
  const original = h.link.setProgram.bind(h.link);
  // The SET is still leaving when STOP is pressed: the link rejects it as the STOP cuts it (or, when
  // `runs`, its line had left whole and the generator ran it before the STOP).
  h.link.setProgram = (program: Program) =>
    new Promise((resolve, reject) => {
      h.link.setProgram = original;
      const stop = h.link.stop.bind(h.link);
      h.link.stop = async () => {
        h.link.stop = stop;
        if (runs) await original(program).then(resolve);
        else reject(new StaleCommandError('SET (seq 9) not executed: STOP cut it before it was sent whole'));
        return stop();
      };
    });
  h.c.send({ type: 'AMPLITUDE_UP' });
  await h.flush();
  h.c.send({ type: 'STOP' });
  await h.flush();
  await h.c.settled();
  return { h, before };
}

describe('a change cut by a STOP (bb6-N7)', () => {
  it("the STOP's line says the cut change was not executed, naming it", async () => {
    const { h, before } = await cutByStop(false);
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: before });
    const outcome = h.c.view().outcome!;
    expect(outcome).toMatchObject({ intent: 'STOP', accepted: true });
    const cut = outcome.notices.filter((n) => /not executed/.test(n.reason));
    expect(cut).toHaveLength(1);
    expect(cut[0]!.requested).toBe('amplitude 0.35 mA');
    expect(cut[0]!.reason).toMatch(/^amplitude 0\.35 mA not executed: the STOP came before the generator ran it/);
    expect(cut[0]).toMatchObject({ kind: 'warn', field: 'output' });
    // The UI's "Last notice" line shows it.
    expect(lastImportantNotice(h.c.view().notices)?.text).toMatch(/amplitude 0\.35 mA not executed/);
  });

  it('says nothing of the kind when the generator ran the change before the STOP', async () => {
    const { h, before } = await cutByStop(true);
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: before + 50 });
    const said = h.c
      .view()
      .notices.map((n) => n.reason)
      .join('\n');
    expect(said).not.toMatch(/not executed/);
  });
});
