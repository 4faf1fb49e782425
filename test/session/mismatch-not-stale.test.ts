import { describe, expect, it } from 'vitest';
import { describeMismatch } from '../../src/ui/session-view.js';
import { gen, harness, measured } from './harness.js';

/**
 * Issue 13, item 4: the `!!` difference line must not go stale. Commit therapy, the remote sets
 * 1.5 mA, then the clinician presses ↓: the companion itself set the amplitude the generator now
 * holds, so "amplitude expected 0.2 mA, generator 0.6 mA (changed outside the companion)" is false.
 */

describe('a difference the companion itself resolved is no longer shown', () => {
  it("the issue's repro: commit, remote amp 1.5, ↓ → no stale amplitude difference", async () => {
    const h = await harness();
    await measured(h, 4, 8); // window 0.2 – 0.6 mA, running at 0.2 mA
    await h.do({ type: 'COMMIT' });
    const s = gen(h);
    h.link.external({ rateHz: s.rateHz, pulseWidthUs: s.pulseWidthUs, amplitudeUa: 1500, contacts: s.contacts });
    await h.flush();
    await h.c.settled();
    const m = h.c.view().mismatch!;
    expect(m).toMatchObject({ kind: 'external', fields: ['amplitudeUa'] });
    expect(describeMismatch(m)).toMatch(/amplitude expected 0\.20 mA, generator 1\.50 mA/);
    await h.do({ type: 'AMPLITUDE_DOWN' });
    expect(gen(h).amplitudeUa).toBe(600);
    expect(h.c.view().mismatch).toBeNull();
  });

  it('a difference in a fact the companion did not set stays until acknowledged', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.do({ type: 'OUTPUT_OFF' });
    const s = gen(h);
    // With output off the remote changes the rate; the clinician then only turns output on and off… nothing sets the rate back.
    h.link.external({ rateHz: 55, pulseWidthUs: s.pulseWidthUs, amplitudeUa: s.amplitudeUa, contacts: s.contacts });
    await h.flush();
    await h.c.settled();
    expect(h.c.view().mismatch).toMatchObject({ fields: ['rateHz'] });
    await h.do({ type: 'REFRESH' });
    expect(h.c.view().mismatch).toMatchObject({ fields: ['rateHz'] });
  });
});
