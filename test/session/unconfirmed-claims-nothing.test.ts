import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/session/session-context.js';
import { gen, harness, loseReplyOfNextSet, measured } from './harness.js';

/**
 * bb4-F6 for `amp set` (a ramp) and `output on`: a line the generator never confirmed (the link was
 * lost before its first SET reached the generator) is not accepted and says "not confirmed"; README: a
 * notice is one true sentence, `accepted` only when applied. So the line carries no notice claiming the
 * change ("ramping up from 0.2 to 0.5 mA …", "output starts at 0 mA"). Confirmed, it says them.
 */

const reasons = (o: Outcome) => o.notices.map((n) => n.reason);

describe('an unconfirmed line claims nothing it did not do (bb4-F6)', () => {
  it('amp set upwards: the link is lost before the first ramp step reaches the generator', async () => {
    const h = await harness();
    await measured(h, 4, 8); // 0.2 – 0.6 mA, at 0.2 mA
    loseReplyOfNextSet(h, false);
    const lost = await h.do({ type: 'AMPLITUDE_SET', ma: 0.5 });
    expect(gen(h).amplitudeUa).toBe(200);
    expect(lost.accepted).toBe(false);
    expect(reasons(lost)).toContainEqual(expect.stringMatching(/^not confirmed/));
    expect(reasons(lost)).not.toContainEqual(expect.stringMatching(/ramping up/));
    h.c.dispose();
  });

  it('amp set upwards, confirmed: the line says the ramp it ran', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    const done = await h.do({ type: 'AMPLITUDE_SET', ma: 0.5 });
    expect(done.accepted).toBe(true);
    expect(gen(h).amplitudeUa).toBe(500);
    expect(reasons(done)).toContainEqual(expect.stringMatching(/^ramping up from 0\.2 to 0\.5 mA/));
    h.c.dispose();
  });

  it('output on with 0.2 mA programmed: the link is lost before the generator confirmed the SET', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.do({ type: 'OUTPUT_OFF' });
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: 200 });
    loseReplyOfNextSet(h, false);
    const lost = await h.do({ type: 'OUTPUT_ON' });
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: 200 });
    expect(lost.accepted).toBe(false);
    expect(reasons(lost)).toContainEqual(expect.stringMatching(/^not confirmed/));
    expect(reasons(lost)).not.toContainEqual(expect.stringMatching(/output starts at 0 mA/));
    h.c.dispose();
  });

  it('output on with 0.2 mA programmed, confirmed: the line says amplitude started at 0 mA', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.do({ type: 'OUTPUT_OFF' });
    const done = await h.do({ type: 'OUTPUT_ON' });
    expect(done.accepted).toBe(true);
    expect(gen(h)).toMatchObject({ output: 'on', amplitudeUa: 0 });
    expect(done.notices).toContainEqual(
      expect.objectContaining({ kind: 'clamp', field: 'amplitude', requested: 0.2, applied: 0 }),
    );
    h.c.dispose();
  });
});
