import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLINICAL_PULSE_WIDTH_US,
  CLINICAL_RATE_HZ,
  clampPulseWidth,
  clampRate,
} from '../../src/session/tonic-clamps.js';
import { ceilToGrid, floorToGrid, isOnGrid, nearestOnGridWithin } from '../../src/session/step-grid.js';
import { defaultLimits, limitsArb } from './arbitraries.js';

describe('step grid', () => {
  it('floor/ceil land on the grid on the right side', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -50, max: 3000 }),
        (min, step, n, v) => {
          const r = { min, step, max: min + n * step };
          const f = floorToGrid(v, r);
          const c = ceilToGrid(v, r);
          if (f !== null) expect(isOnGrid(f, r) && f <= Math.max(v, r.min)).toBe(true);
          else expect(v).toBeLessThan(r.min);
          if (c !== null) expect(isOnGrid(c, r) && c >= Math.min(v, r.max)).toBe(true);
          else expect(v).toBeGreaterThan(r.max);
        },
      ),
    );
  });
  it('nearestOnGridWithin stays inside [lo, hi] and on the grid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: -100, max: 700 }),
        (step, a, b, v) => {
          const r = { min: 0, step, max: 600 - (600 % step) };
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const x = nearestOnGridWithin(v, r, lo, hi);
          if (x === null) return;
          expect(isOnGrid(x, r)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(lo);
          expect(x).toBeLessThanOrEqual(hi);
        },
      ),
    );
  });
});

describe('tonic clamps', () => {
  it('rate: inside 40–60 Hz, on the generator step, inside hardware, and every change reported', () => {
    fc.assert(
      fc.property(limitsArb, fc.integer({ min: -10, max: 2000 }), (limits, hz) => {
        const r = clampRate(hz, limits);
        if (r.applied === null) {
          expect(r.notices[0]?.kind).toBe('reject');
          return;
        }
        expect(r.applied).toBeGreaterThanOrEqual(CLINICAL_RATE_HZ.min);
        expect(r.applied).toBeLessThanOrEqual(CLINICAL_RATE_HZ.max);
        expect(isOnGrid(r.applied, limits.rateHz)).toBe(true);
        if (r.applied !== hz)
          expect(r.notices).toEqual([
            expect.objectContaining({ kind: 'clamp', field: 'rate', requested: hz, applied: r.applied }),
          ]);
        else expect(r.notices).toEqual([]);
      }),
    );
  });
  it('pulse width: inside 200–500 µs on the generator step, every change reported', () => {
    fc.assert(
      fc.property(limitsArb, fc.integer({ min: 0, max: 3000 }), (limits, us) => {
        const r = clampPulseWidth(us, limits);
        if (r.applied === null) return;
        expect(r.applied).toBeGreaterThanOrEqual(CLINICAL_PULSE_WIDTH_US.min);
        expect(r.applied).toBeLessThanOrEqual(CLINICAL_PULSE_WIDTH_US.max);
        expect(isOnGrid(r.applied, limits.pulseWidthUs)).toBe(true);
        expect(r.notices.length).toBe(r.applied === us ? 0 : 1);
      }),
    );
  });
  it('names the limit that decided', () => {
    expect(clampRate(80, defaultLimits)).toEqual({
      applied: 60,
      notices: [{ kind: 'clamp', field: 'rate', requested: 80, applied: 60, reason: 'clinical window max 60 Hz' }],
    });
    expect(clampRate(10, defaultLimits).applied).toBe(40);
    expect(clampPulseWidth(1000, defaultLimits).applied).toBe(500);
    expect(clampPulseWidth(100, defaultLimits).applied).toBe(200);
    expect(clampPulseWidth(305, defaultLimits)).toEqual({
      applied: 300,
      notices: [{ kind: 'clamp', field: 'pulseWidth', requested: 305, applied: 300, reason: 'generator step 10 µs' }],
    });
    const narrow = { ...defaultLimits, rateHz: { min: 2, max: 55, step: 1 } };
    expect(clampRate(60, narrow).notices[0]?.reason).toBe('generator hardware max 55 Hz');
    expect(clampRate(50, defaultLimits)).toEqual({ applied: 50, notices: [] });
  });
  it('refuses when no grid value lies in the clinical window', () => {
    const odd = { ...defaultLimits, rateHz: { min: 0, max: 200, step: 25 } };
    expect(clampRate(45, odd).applied).toBe(50);
    const none = { ...defaultLimits, rateHz: { min: 0, max: 200, step: 70 } };
    expect(clampRate(45, none)).toEqual({
      applied: null,
      notices: [expect.objectContaining({ kind: 'reject', field: 'rate' })],
    });
    expect(clampRate(Number.NaN, defaultLimits).applied).toBeNull();
  });
});
