import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isOlderReply, MAX_REV, revAfter } from '../../src/link/revision-order.js';
import { inProcessRig, PROGRAM, type Rig } from './link-test-kit.js';

/**
 * PROTOCOL.md §3.4: `rev` wraps 999999999 → 0. The companion judges "older" by the request a reply
 * answers (seq), never by comparing revisions, so its writes keep working across the wrap (black-box F-M5).
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('reply order is by seq, never by rev (pure)', () => {
  it('a reply to an earlier request of the same session is older, whatever the revisions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999_999 }), (a, b) => {
        fc.pre(a !== b);
        const [early, late] = a < b ? [a, b] : [b, a];
        expect(isOlderReply({ sess: 's', seq: late }, { sess: 's', seq: early })).toBe(true);
        expect(isOlderReply({ sess: 's', seq: early }, { sess: 's', seq: late })).toBe(false);
        // A new session is never older, nor is the first reply.
        expect(isOlderReply({ sess: 's', seq: late }, { sess: 't', seq: early })).toBe(false);
        expect(isOlderReply(undefined, { sess: 's', seq: early })).toBe(false);
      }),
    );
  });

  it('the revision after 999999999 is 0, and every next revision stays a 9-digit number', () => {
    expect(revAfter(MAX_REV)).toBe(0);
    expect(revAfter(MAX_REV - 1, 2)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_REV }), (rev) => {
        const next = revAfter(rev);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThanOrEqual(MAX_REV);
        expect(next).toBe(rev === MAX_REV ? 0 : rev + 1);
      }),
    );
  });
});

describe('writes keep working across the rev wrap (real link, simulator near the top of rev)', () => {
  it('every SET and OUTPUT across 999999999 → 0 is accepted, and the view follows the generator', async () => {
    rig = inProcessRig({ server: { config: { firstRev: MAX_REV - 2 } }, timing: { heartbeatIntervalMs: 60_000 } });
    const { link, generator } = rig;
    await link.connect();
    expect(link.state?.programRev).toBe(MAX_REV - 2);
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    for (let step = 1; step <= 5; step++) {
      const amplitudeUa = PROGRAM.amplitudeUa + 50 * step;
      await expect(link.setProgram({ ...PROGRAM, amplitudeUa })).resolves.toMatchObject({ amplitudeUa });
    }
    const rev = generator.server.model.state.programRev;
    expect(rev).toBeLessThan(10); // wrapped
    expect(link.state?.programRev).toBe(rev);
    await expect(link.stop()).resolves.toMatchObject({ output: 'off', programRev: revAfter(rev) });
    await expect(link.setProgram(PROGRAM)).resolves.toMatchObject({ amplitudeUa: PROGRAM.amplitudeUa });
    expect(generator.server.model.state.amplitudeUa).toBe(PROGRAM.amplitudeUa);
  });
});
