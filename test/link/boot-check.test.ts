import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeneratorState, Reply, Request } from '../../protocol/index.js';
import { BootCheck } from '../../src/link/boot-check.js';

/**
 * PROTOCOL.md §10 step 4 (bb4-F4): STATE and HB are answered without a session, so a reset whose EVT
 * boot was lost shows only as a revision nothing of ours explains; such a read is followed by a HELLO
 * that compares the boot id, once per revision. SET and `OUTPUT on=1` are answered only in our session,
 * so their replies prove no reset came before them; `OUTPUT on=0` is never refused (§4.4), so its reply is
 * checked unless our off alone explains it (bb6-N8).
 */

const STATE: GeneratorState = {
  output: 'off',
  mode: 'none',
  rateHz: 50,
  pulseWidthUs: 300,
  amplitudeUa: 0,
  contacts: '-+000000',
  batteryPct: 100,
  faults: [],
  committed: false,
  programRev: 0,
};
const rev = fc.integer({ min: 0, max: 999_999_999 });
const read = fc.constantFrom('STATE' as const, 'HB' as const);
const request = (type: 'STATE' | 'HB' | 'SET' | 'OUTPUT'): Request =>
  type === 'SET'
    ? { type, seq: 7, sess: 'a1b2c3d4', rev: 0, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' }
    : type === 'OUTPUT'
      ? { type, seq: 7, sess: 'a1b2c3d4', rev: 0, on: true, mode: 'test' }
      : { type, seq: 7 };
const ack = (of: 'STATE' | 'HB' | 'SET' | 'OUTPUT', programRev: number, state: Partial<GeneratorState> = {}): Reply =>
  ({ type: 'ACK', seq: 7, of, state: { ...STATE, ...state, programRev } }) as Reply;
/** The state our own last read or write left: its revision is the basis. */
const at = (programRev: number, state: Partial<GeneratorState> = {}): GeneratorState => ({
  ...STATE,
  ...state,
  programRev,
});
const off: Request = { type: 'OUTPUT', seq: 7, sess: 'a1b2c3d4', rev: 0, on: false, mode: 'test' };

describe('BootCheck: which reads are followed by a HELLO that compares the boot id', () => {
  it('a read showing the revision our own last read or write left is never checked', () => {
    fc.assert(fc.property(read, rev, (verb, r) => !new BootCheck().due(request(verb), ack(verb, r), at(r))));
  });

  it('a read showing another revision is checked once; again only when the revision moves on', () => {
    fc.assert(
      fc.property(read, read, rev, rev, rev, (v1, v2, basis, seen, later) => {
        fc.pre(seen !== basis && later !== basis && later !== seen);
        const check = new BootCheck();
        expect(check.due(request(v1), ack(v1, seen), at(basis))).toBe(true);
        expect(check.due(request(v2), ack(v2, seen), at(basis))).toBe(false);
        expect(check.due(request(v2), ack(v2, later), at(basis))).toBe(true);
      }),
    );
  });

  it("a SET's or an output on's reply, a refusal, or no basis yet is never checked", () => {
    fc.assert(
      fc.property(fc.constantFrom('SET' as const, 'OUTPUT' as const), read, rev, rev, (write, verb, basis, r) => {
        fc.pre(r !== basis);
        const check = new BootCheck();
        expect(check.due(request(write), ack(write, r), at(basis))).toBe(false);
        const nak: Reply = { type: 'NAK', seq: 7, code: 14, message: 'bad field' };
        expect(check.due(request(verb), nak, at(basis))).toBe(false);
        expect(check.due(request(verb), ack(verb, r), undefined)).toBe(false);
      }),
    );
  });

  it('an output off answered with what our off alone makes of the basis is not checked', () => {
    const amp = fc.integer({ min: 0, max: 12_000 });
    fc.assert(
      fc.property(rev, amp, (basis, a) => {
        const check = new BootCheck();
        // output on → off: one step, program kept; output already off: no step.
        expect(
          check.due(off, ack('OUTPUT', basis + 1, { amplitudeUa: a }), at(basis, { output: 'on', amplitudeUa: a })),
        ).toBe(false);
        expect(check.due(off, ack('OUTPUT', basis, { amplitudeUa: a }), at(basis, { amplitudeUa: a }))).toBe(false);
      }),
    );
  });

  it('an output off answered with a jump, a changed program, or no step from output on is checked (bb6-N8)', () => {
    const amp = fc.integer({ min: 1, max: 12_000 });
    fc.assert(
      fc.property(rev, amp, fc.integer({ min: 2, max: 5 }), (basis, a, jump) => {
        const on = at(basis, { output: 'on', amplitudeUa: a });
        // a reset (amplitude 0, rev moved) then our off; an outside change and our off; on, yet no step
        expect(new BootCheck().due(off, ack('OUTPUT', basis + 1, { amplitudeUa: 0 }), on)).toBe(true);
        expect(new BootCheck().due(off, ack('OUTPUT', basis + jump, { amplitudeUa: a }), on)).toBe(true);
        expect(new BootCheck().due(off, ack('OUTPUT', basis, { amplitudeUa: a }), on)).toBe(true);
      }),
    );
  });
});
