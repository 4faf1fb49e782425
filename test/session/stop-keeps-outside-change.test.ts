import { describe, expect, it } from 'vitest';
import { gen, harness, measured } from './harness.js';

/**
 * Black-box finding F-H3 (bb3, `bb/u1.py race`): the patient's remote set 0.5 mA during the threshold
 * search and STOP came before the companion had adopted the re-read: afterwards no `!!` line and no
 * "changed outside" warning. README H10: the mismatch stays until acknowledged (`a`) or a re-read finds
 * the expected values back; H17: a `programRev` jump is shown as a warning. STOP is neither.
 */
describe('STOP right after an outside change keeps it (H10/H17)', () => {
  it('the state STOP leaves shows the change: one warning and a mismatch kept after the STOP', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.c.settled();
    h.c.takeNotices();
    const before = h.c.view().generator!;
    expect(before.output).toBe('on');
    // The remote's change, not yet read by the companion (its event and re-read overtaken by STOP).
    h.link.model.externalChange(
      { rateHz: before.rateHz, pulseWidthUs: before.pulseWidthUs, amplitudeUa: 500, contacts: before.contacts },
      h.link.now,
    );
    await h.do({ type: 'STOP' });
    await h.c.settled();
    expect(gen(h).output).toBe('off');
    const told = h.c.takeNotices();
    const outside = told.filter((n) => n.field === 'program' && /changed outside the companion/.test(n.reason));
    expect(outside).toHaveLength(1);
    expect(outside[0]!.reason).toContain(`rev ${before.programRev} →`);
    expect(outside[0]!.reason).toMatch(/0\.5 mA/);
    expect(h.c.view().mismatch).toMatchObject({ reported: { amplitudeUa: 500 } });
    h.c.dispose();
  });

  it('STOP over our own step in flight is no outside change', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.c.settled();
    h.c.takeNotices();
    h.c.send({ type: 'AMPLITUDE_UP' });
    h.c.send({ type: 'STOP' });
    await h.c.settled();
    expect(gen(h).output).toBe('off');
    expect(h.c.takeNotices().filter((n) => /changed outside the companion/.test(n.reason))).toEqual([]);
    expect(h.c.view().mismatch).toBeNull();
    h.c.dispose();
  });
});
