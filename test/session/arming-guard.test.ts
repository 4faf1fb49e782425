import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARMING_INTENTS, disarmedRefusal, linkBreakOf, type LinkMark } from '../../src/session/arming-guard.js';
import { INTENT_TYPES, type Intent } from '../../src/session/session-types.js';

/**
 * README "Link loss and generator reset: … never turns output on by itself": a command that can turn
 * output on, given before a reset or a link loss and sent after it, is not sent (arming-guard.ts).
 */

const status = fc.constantFrom('connected', 'reconnecting', 'connecting', 'disconnected' as const);
const boot = fc.constantFrom('b0000001', 'b0000002', null);
const mark: fc.Arbitrary<LinkMark> = fc.record({ status, bootId: boot });
const up = (bootId: string | null = 'b0000001'): LinkMark => ({ status: 'connected', bootId });
const down = (bootId: string | null = 'b0000001'): LinkMark => ({ status: 'reconnecting', bootId });

describe('linkBreakOf: what a command met between being given and being sent', () => {
  it('examples: nothing, a loss, a reset, a link already down when it was given', () => {
    expect(linkBreakOf([up(), up(), up()])).toBeNull();
    expect(linkBreakOf([up(), down(), up()])).toBe('link');
    expect(linkBreakOf([up(), down(), up('b0000002')])).toBe('reset');
    expect(linkBreakOf([down(), down(), up()])).toBeNull(); // README: reached while down, it waits and runs
    expect(linkBreakOf([down(), up('b0000002')])).toBe('reset');
  });

  it('a link that stays up on the same boot is no break; a connected link going down always is', () => {
    fc.assert(
      fc.property(fc.array(fc.constant(up()), { minLength: 1, maxLength: 8 }), (marks) => {
        expect(linkBreakOf(marks)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.array(mark, { maxLength: 6 }), fc.array(mark, { maxLength: 6 }), (before, after) => {
        expect(linkBreakOf([...before, up(), down(), ...after])).not.toBeNull();
      }),
    );
  });

  it('another boot than the one the command was given on is a reset, wherever it shows', () => {
    fc.assert(
      fc.property(fc.array(mark, { maxLength: 6 }), fc.array(mark, { maxLength: 6 }), status, (mid, after, s) => {
        expect(linkBreakOf([up('b0000001'), ...mid, { status: s, bootId: 'b0000002' }, ...after])).toBe('reset');
      }),
    );
  });

  it('what a command met is never undone by what comes after (a later return does not re-arm it)', () => {
    fc.assert(
      fc.property(fc.array(mark, { minLength: 1, maxLength: 8 }), fc.array(mark, { maxLength: 8 }), (seen, more) => {
        const met = linkBreakOf(seen);
        if (met !== null) expect(linkBreakOf([...seen, ...more])).not.toBeNull();
        if (met === 'reset') expect(linkBreakOf([...seen, ...more])).toBe('reset');
      }),
    );
  });
});

describe('disarmedRefusal', () => {
  const intents: Intent[] = INTENT_TYPES.map((type) => ({ type }) as Intent);

  it('refuses exactly the commands that can turn output on, and only after a break, in words', () => {
    for (const intent of intents) {
      expect(disarmedRefusal(intent, null)).toBeNull();
      const reset = disarmedRefusal(intent, 'reset');
      const link = disarmedRefusal(intent, 'link');
      if (!ARMING_INTENTS.has(intent.type)) {
        expect([reset, link]).toEqual([null, null]);
        continue;
      }
      expect(reset).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/generator was found reset/) });
      expect(link).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/link to the generator was lost/) });
    }
    expect([...ARMING_INTENTS].sort()).toEqual(['COMMIT', 'OUTPUT_ON', 'SEARCH_START']);
  });
});
