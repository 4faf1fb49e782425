import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { worstCaseSplit, worstContactLoad } from '../../protocol/index.js';
import { impedanceCheckOf } from '../../src/session/impedance-check.js';
import { amplitudeCeiling, amplitudeWindow, clampAmplitude } from '../../src/session/amplitude-window.js';
import { densityLimit, shannonWarning } from '../../src/session/charge-density-limit.js';
import { isOnGrid } from '../../src/session/step-grid.js';
import { contactsArb, defaultLimits, limitsArb } from './arbitraries.js';

const thresholdsArb = fc
  .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }))
  .filter(([a, b]) => a < b);

describe('amplitude window', () => {
  it('clamps every request into [sensory, min(discomfort, hardware, charge density)], on the grid, reporting each change', () => {
    fc.assert(
      fc.property(
        limitsArb,
        thresholdsArb,
        fc.integer({ min: 200, max: 500 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.constantFrom('-+000000', '--+00000', '-+-+0000'),
        (limits, [s, d], pw, req, contacts) => {
          const t = { sensoryUa: s * limits.amplitudeUa.step, discomfortUa: d * limits.amplitudeUa.step };
          const w = amplitudeWindow(
            t,
            pw,
            contacts.slice(0, limits.contactCount).padEnd(limits.contactCount, '0'),
            limits,
          );
          const r = clampAmplitude(req, w, limits);
          if (w === null) {
            expect(r.applied).toBeNull();
            return;
          }
          const a = r.applied!;
          expect(a).toBeGreaterThanOrEqual(t.sensoryUa);
          expect(a).toBeLessThanOrEqual(t.discomfortUa);
          expect(a).toBeLessThanOrEqual(limits.amplitudeUa.max);
          const load = worstContactLoad(a, pw, contacts, limits.contactAreaCm2);
          expect(load.densityUcPerCm2).toBeLessThanOrEqual(densityLimit(limits) + 1e-9);
          expect(isOnGrid(a, limits.amplitudeUa)).toBe(true);
          if (a !== req)
            expect(r.notices[0]).toMatchObject({
              kind: 'clamp',
              field: 'amplitude',
              requested: req / 1000,
              applied: a / 1000,
            });
          else expect(r.notices).toEqual([]);
        },
      ),
    );
  });
  it('above → the upper bound, below → the sensory threshold (never zero), both ends inclusive', () => {
    const w = amplitudeWindow({ sensoryUa: 1500, discomfortUa: 4000 }, 300, '-+000000', defaultLimits)!;
    expect(clampAmplitude(5000, w, defaultLimits)).toMatchObject({
      applied: 4000,
      notices: [{ kind: 'clamp', reason: 'discomfort threshold 4 mA' }],
    });
    expect(clampAmplitude(0, w, defaultLimits)).toMatchObject({
      applied: 1500,
      notices: [{ kind: 'clamp', requested: 0, applied: 1.5 }],
    });
    expect(clampAmplitude(1500, w, defaultLimits)).toEqual({ applied: 1500, notices: [] });
    expect(clampAmplitude(4000, w, defaultLimits)).toEqual({ applied: 4000, notices: [] });
    expect(clampAmplitude(2020, w, defaultLimits)).toMatchObject({
      applied: 2000,
      notices: [{ reason: 'generator step 0.05 mA' }],
    });
  });
  it('no measured window: refused', () => {
    expect(clampAmplitude(1000, null, defaultLimits)).toMatchObject({
      applied: null,
      notices: [{ kind: 'reject', field: 'amplitude' }],
    });
  });
  it('charge density narrows the window (30 µC/cm², 0.1225 cm²: 7.35 mA at 500 µs)', () => {
    const c = amplitudeCeiling(500, '-+000000', defaultLimits);
    expect(c.ceilingUa).toBe(7350);
    expect(c.reason).toMatch(/charge-density limit 30/);
    const w = amplitudeWindow({ sensoryUa: 3000, discomfortUa: 9000 }, 500, '-+000000', defaultLimits)!;
    expect(w.highUa).toBe(7350);
    expect(clampAmplitude(9000, w, defaultLimits).notices[0]?.reason).toMatch(/charge-density/);
    // Two cathodes and two anodes without an impedance check: the worst case, all on one contact.
    expect(amplitudeCeiling(500, '--++0000', defaultLimits).ceilingUa).toBe(7350);
    // Measured equal impedances: each contact carries half, twice the amplitude.
    const equal = impedanceCheckOf(
      Array.from({ length: 8 }, () => 1000),
      0,
      '--++0000',
    );
    expect(amplitudeCeiling(500, '--++0000', defaultLimits, equal).ceilingUa).toBe(14_700);
    // The generator's own lower limit narrows further.
    // (4.9 mA exactly sits on the floating-point boundary of the shared density check: one step below.)
    const lower = amplitudeCeiling(500, '-+000000', { ...defaultLimits, maxChargeDensity: 20 }).ceilingUa;
    expect(lower).toBeGreaterThanOrEqual(4850);
    expect(lower).toBeLessThanOrEqual(4900);
  });
  it('hardware max narrows the window', () => {
    const small = { ...defaultLimits, amplitudeUa: { min: 0, max: 5000, step: 50 } };
    expect(amplitudeCeiling(200, '-+000000', small)).toEqual({
      ceilingUa: 5000,
      reason: 'generator hardware max 5 mA',
    });
    expect(amplitudeWindow({ sensoryUa: 1000, discomfortUa: 8000 }, 200, '-+000000', small)?.highUa).toBe(5000);
  });
  it('ceiling below sensory leaves no window', () => {
    expect(amplitudeWindow({ sensoryUa: 8000, discomfortUa: 9000 }, 500, '-+000000', defaultLimits)).toBeNull();
  });
  it('warns at Shannon k ≥ 1.85 and not below', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25_500 }),
        fc.integer({ min: 200, max: 500 }),
        contactsArb(8),
        (a, pw, contacts) => {
          // No impedance check: the worst case, the whole amplitude on one contact.
          const k = worstContactLoad(a, pw, contacts, defaultLimits.contactAreaCm2, worstCaseSplit(contacts)).shannonK;
          expect(shannonWarning(a, pw, contacts, defaultLimits) !== null).toBe(k >= 1.85);
        },
      ),
    );
    expect(shannonWarning(7000, 500, '-+000000', defaultLimits)).toMatchObject({ kind: 'warn', field: 'amplitude' });
  });
});
