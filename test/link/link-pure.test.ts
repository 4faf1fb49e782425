import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ, SEQ_RENEW_MARGIN } from '../../protocol/index.js';
import { DEFAULT_LINK_TIMING, reconnectDelay, resolveTiming } from '../../src/link/link-timing.js';
import { outputMatches, programMatches } from '../../src/link/readback.js';
import { SequenceCounter } from '../../src/link/sequence-counter.js';
import { explainOpenError } from '../../src/link/serial-port-opener.js';
import { SCRIPTED_STATE } from './link-test-kit.js';

describe('sequence numbers', () => {
  it('property: always 1..MAX_SEQ, each the successor of the last, never wrapping (it throws past the end)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SEQ }), fc.integer({ min: 1, max: 300 }), (first, n) => {
        const counter = new SequenceCounter(first);
        let prev = counter.next();
        expect(prev).toBe(first);
        for (let i = 0; i < n; i++) {
          if (prev === MAX_SEQ) {
            expect(() => counter.next()).toThrow(RangeError);
            return;
          }
          const seq = counter.next();
          expect(seq).toBe(prev + 1);
          prev = seq;
        }
        expect(counter.nearLimit).toBe(prev >= MAX_SEQ - SEQ_RENEW_MARGIN);
      }),
    );
  });

  it('refuses a first number outside 1..MAX_SEQ', () => {
    expect(() => new SequenceCounter(0)).toThrow(RangeError);
    expect(() => new SequenceCounter(MAX_SEQ + 1)).toThrow(RangeError);
  });
});

describe('link timing', () => {
  it('property: reconnect waits never shrink and never exceed the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 60_000 }), (base, cap) => {
        const timing = { ...DEFAULT_LINK_TIMING, reconnectDelayMs: base, reconnectMaxDelayMs: cap };
        let prev = -1;
        for (let attempt = 0; attempt < 40; attempt++) {
          const d = reconnectDelay(timing, attempt);
          expect(d).toBeGreaterThanOrEqual(prev);
          expect(d).toBeLessThanOrEqual(cap);
          prev = d;
        }
      }),
    );
  });

  it('defaults to the protocol constants and refuses nonsense overrides', () => {
    expect(resolveTiming()).toEqual(DEFAULT_LINK_TIMING);
    expect(DEFAULT_LINK_TIMING).toMatchObject({ requestTimeoutMs: 250, requestRetries: 3, heartbeatIntervalMs: 500 });
    expect(() => resolveTiming({ requestTimeoutMs: -1 })).toThrow(/requestTimeoutMs/);
    expect(() => resolveTiming({ requestRetries: 1.5 })).toThrow(/requestRetries/);
  });
});

describe('read-back checks', () => {
  const program = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1500, contacts: '+-000000' };
  it('a program matches only when all four values are equal', () => {
    expect(programMatches(program, { ...SCRIPTED_STATE, ...program })).toBe(true);
    for (const change of [{ rateHz: 51 }, { pulseWidthUs: 310 }, { amplitudeUa: 1550 }, { contacts: '-+000000' }]) {
      expect(programMatches(program, { ...SCRIPTED_STATE, ...program, ...change })).toBe(false);
    }
  });

  it('output on must be on in the requested mode; off must be off', () => {
    expect(outputMatches(true, 'test', { ...SCRIPTED_STATE, output: 'on', mode: 'test' })).toBe(true);
    expect(outputMatches(true, 'test', { ...SCRIPTED_STATE, output: 'on', mode: 'therapy' })).toBe(false);
    expect(outputMatches(true, 'therapy', { ...SCRIPTED_STATE, output: 'off' })).toBe(false);
    expect(outputMatches(false, 'test', { ...SCRIPTED_STATE, output: 'off' })).toBe(true);
    expect(outputMatches(false, 'test', { ...SCRIPTED_STATE, output: 'on', mode: 'test' })).toBe(false);
  });
});

describe('port open errors', () => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  it('say what to do for a missing port, a permission problem and a busy port', () => {
    expect(
      explainOpenError('/dev/ttyUSB0', err('ENOENT', 'No such file or directory, cannot open /dev/ttyUSB0')),
    ).toMatch(/no such port.*scs ports/);
    expect(explainOpenError('/dev/ttyUSB0', err('EACCES', 'Permission denied, cannot open /dev/ttyUSB0'))).toMatch(
      /dialout/,
    );
    expect(
      explainOpenError('/dev/ttyUSB0', err('', 'Error Resource temporarily unavailable Cannot lock port')),
    ).toMatch(/in use/);
  });
});
