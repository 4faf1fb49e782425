import { describe, expect, it } from 'vitest';
import { gen, harness, loseReplyOfNextSet, measured } from './harness.js';

/**
 * bb6-N5 (issue 13): `amp set 0.4` from 0.2 mA is a ramp; its first step (0.25 mA) reached the
 * generator but its reply was lost with the link. The rule (README "accepted only when applied",
 * PROTOCOL.md §10 step 6): a request settled on reconnection is confirmed only when the generator holds
 * what was asked; a ramp the link loss cut short says where amplitude stopped (the ramp-cut notice).
 */
describe('a ramp whose step reply was lost with the link', () => {
  it('is not "confirmed after reconnection" when the generator holds a step short of the target', async () => {
    const h = await harness();
    await measured(h, 4, 4); // window 0.2 – 0.4 mA
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.2 });
    expect(gen(h).amplitudeUa).toBe(200);
    loseReplyOfNextSet(h, true);
    const lost = await h.do({ type: 'AMPLITUDE_SET', ma: 0.4 });
    await h.flush();
    expect(lost.accepted).toBe(false);
    h.c.takeNotices();
    h.link.restore();
    await h.flush();
    await h.c.settled();
    expect(gen(h).amplitudeUa).toBe(250);
    const after = h.c.takeNotices();
    const said = after.map((n) => n.reason).join('\n');
    expect(said).not.toMatch(/confirmed after reconnection/);
    const cut = after.filter((n) => n.field === 'amplitude' && /stopped before its target/.test(n.reason));
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({ requested: 0.4, applied: 0.25 });
    expect(cut[0]!.reason).toMatch(/^the ramp to 0\.4 mA stopped before its target, at 0\.25 mA: the link was lost/);
    expect(cut[0]!.reason).toMatch(/not applied in full$/);
    expect(said).not.toMatch(/changed outside the companion/);
  });

  it('is confirmed when the lost step was the last one (the generator holds the target)', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.35 });
    loseReplyOfNextSet(h, true);
    await h.do({ type: 'AMPLITUDE_UP' });
    await h.flush();
    h.c.takeNotices();
    h.link.restore();
    await h.flush();
    expect(gen(h).amplitudeUa).toBe(400);
    const said = h.c
      .takeNotices()
      .map((n) => n.reason)
      .join('\n');
    expect(said).toMatch(/confirmed after reconnection/);
    expect(said).not.toMatch(/stopped before its target/);
  });
});
