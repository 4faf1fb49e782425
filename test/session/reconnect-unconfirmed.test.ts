import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import { gen, harness, loseReplyOfNextSet, measured } from './harness.js';

/**
 * Black-box finding (blackbox-2, F-NOT-APPLIED-BUT-APPLIED): the link goes down under a change whose
 * reply is lost. The companion cannot know whether it ran, so it says "not confirmed" (PROTOCOL.md
 * §10.5, §10 step 6), never "not applied"; the state read on reconnection settles it: the change is
 * confirmed when the generator holds it (rev moved), not applied when the rev did not move, and the
 * adoption is never silent nor reported as a change made outside the companion.
 */

const reasons = (ns: readonly Notice[]) => ns.map((n) => n.reason);

async function tuningThenLoseAmpUp(reaches: boolean) {
  const h = await harness();
  await measured(h, 4, 4);
  const before = gen(h).amplitudeUa;
  loseReplyOfNextSet(h, reaches);
  const lost = await h.do({ type: 'AMPLITUDE_UP' });
  await h.flush();
  h.c.takeNotices();
  h.link.restore();
  await h.flush();
  return { h, before, lost, after: h.c.takeNotices() };
}

describe('a change whose reply was lost with the link (finding 3)', () => {
  it('is "not confirmed" at once, then "confirmed after reconnection" when the generator holds it, never an outside change', async () => {
    const { h, before, lost, after } = await tuningThenLoseAmpUp(true);
    expect(lost.accepted).toBe(false);
    expect(reasons(lost.notices).join('\n')).toMatch(/not confirmed/);
    expect(reasons(lost.notices).join('\n')).not.toMatch(/not applied/);
    expect(gen(h).amplitudeUa).toBeGreaterThan(before);
    expect(reasons(after).filter((r) => /confirmed after reconnection/.test(r))).toHaveLength(1);
    expect(reasons(after).join('\n')).not.toMatch(/changed outside the companion|not applied/);
    expect(h.c.view().mismatch).toBeNull();
    // Audited with the reconnection.
    expect(JSON.stringify(h.audit.filter((a) => a.kind === 'link'))).toMatch(/confirmed after reconnection/);
  });

  it('is "not applied" after reconnection only when the generator state did not move', async () => {
    const { h, before, lost, after } = await tuningThenLoseAmpUp(false);
    expect(lost.accepted).toBe(false);
    expect(gen(h).amplitudeUa).toBe(before);
    expect(
      reasons(after).filter((r) => /^not applied: after reconnection the generator's state is unchanged/.test(r)),
    ).toHaveLength(1);
    expect(reasons(after).join('\n')).not.toMatch(/confirmed after reconnection|changed outside the companion/);
  });

  it('a change made elsewhere while the link was down is warned about on reconnection (H17), out-of-window too', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    await h.do({ type: 'COMMIT' });
    expect(gen(h)).toMatchObject({ mode: 'therapy', committed: true });
    h.c.takeNotices();
    h.link.drop();
    await h.flush();
    const g = gen(h);
    h.link.external({
      rateHz: g.rateHz,
      pulseWidthUs: g.pulseWidthUs,
      contacts: g.contacts,
      amplitudeUa: g.amplitudeUa * 5,
    });
    h.link.restore();
    await h.flush();
    const after = h.c.takeNotices();
    expect(after.filter((n) => n.kind === 'warn' && /changed outside the companion/.test(n.reason))).toHaveLength(1);
    expect(after.filter((n) => n.field === 'amplitude' && /outside the measured window/.test(n.reason))).toHaveLength(
      1,
    );
    expect(h.c.view().mismatch).not.toBeNull();
  });
});
