import { describe, expect, it } from 'vitest';
import { revAfterStop } from '../../src/session/stop-check.js';
import { gen as state } from '../hazards/decider-fixtures.js';
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

/**
 * bb3 F-H1 (stop case): when STOP's short reply is all the link has, the state shown is the last read
 * with output off, which cannot show a change made elsewhere. The rev the session then expects is the
 * one the STOP and our own writes explain, so the STATE re-read after the STOP tells the change (H17).
 */
describe('the rev expected after a STOP (revAfterStop)', () => {
  const before = state({ output: 'on', amplitudeUa: 100, programRev: 9 });
  const ctx = { generator: before, expectedRev: 9, stopOwnWrites: 0 };
  it('the STOP alone: its own rev', () => {
    expect(revAfterStop(ctx, state({ amplitudeUa: 100, programRev: 10 }))).toBe(10);
  });
  it('one rev more than explained, program unknown (short ACK): the explained rev, so the re-read tells', () => {
    expect(revAfterStop(ctx, state({ amplitudeUa: 100, programRev: 11 }))).toBe(10);
  });
  it('one rev more and the change already seen in the state: adopted (told at once by the STOP)', () => {
    expect(revAfterStop(ctx, state({ amplitudeUa: 500, programRev: 11 }))).toBe(11);
  });
  it('our own write under way explains one more rev', () => {
    expect(revAfterStop({ ...ctx, stopOwnWrites: 1 }, state({ amplitudeUa: 100, programRev: 11 }))).toBe(11);
    expect(revAfterStop({ ...ctx, stopOwnWrites: 1 }, state({ amplitudeUa: 100, programRev: 12 }))).toBe(11);
  });
  it('across the wrap 999999999 → 0 (PROTOCOL.md §3.4)', () => {
    const top = { ...ctx, expectedRev: 999_999_999 };
    expect(revAfterStop(top, state({ amplitudeUa: 100, programRev: 0 }))).toBe(0);
    expect(revAfterStop(top, state({ amplitudeUa: 100, programRev: 1 }))).toBe(0);
  });
  it('nothing expected yet: the rev found', () => {
    expect(revAfterStop({ ...ctx, expectedRev: null }, state({ programRev: 4 }))).toBe(4);
  });
});
