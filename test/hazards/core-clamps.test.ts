import { describe, expect, it } from 'vitest';
import { maxAmplitudeForDensity, worstContactLoad } from '../../protocol/index.js';
import { amplitudeCeiling, amplitudeWindow, clampAmplitude } from '../../src/session/amplitude-window.js';
import { shannonWarning } from '../../src/session/charge-density-limit.js';
import { planWidthChange } from '../../src/session/pulse-width-change.js';
import {
  ceilToGrid,
  floorToGrid,
  isOnGrid,
  nearestOnGridWithin,
  neighbourOnGrid,
} from '../../src/session/step-grid.js';
import { clampPulseWidth, clampRate, defaultTonic } from '../../src/session/tonic-clamps.js';
import { defaultLimits as limits } from '../session/arbitraries.js';

/**
 * The clamps and charge-density functions at their exact boundaries, and the words of every notice
 * they give (nothing is clamped silently): written to kill the mutants Stryker found surviving
 * (docs/mutation/summary.md). Each case names the boundary it pins.
 */

const grid = { min: 0, max: 100, step: 10 };

describe('charge density: the exact largest amplitude', () => {
  const bracket = (pw: number, contacts: string, area: number, limit: number) => {
    const a = maxAmplitudeForDensity(pw, contacts, area, limit);
    expect(worstContactLoad(a, pw, contacts, area).densityUcPerCm2).toBeLessThanOrEqual(limit);
    expect(worstContactLoad(a + 1, pw, contacts, area).densityUcPerCm2).toBeGreaterThan(limit);
    return a;
  };

  it('climbs when the first estimate is one µA low (floating point rounds it down)', () => {
    // floor(16.88 · 0.4466e6 / 406) = 18567, but 18568 µA is still within the limit.
    // (Shannon: k = log10(30) + log10(3.675) = 2.04 at 7.35 mA, 500 µs; Weiss: 1.5 mA at 300 µs ≈ 1.314 mA at 400 µs.)
    expect(bracket(406, '-+', 0.4466, 16.88)).toBe(18568);
    expect(bracket(798, '---+++', 0.8918, 16.15)).toBe(54145);
  });

  it('keeps an amplitude whose density equals the limit exactly (at or under, not under)', () => {
    const a = bracket(10, '-+', 0.0135, 16.88);
    expect(a).toBe(22788);
    expect(worstContactLoad(a, 10, '-+', 0.0135).densityUcPerCm2).toBe(16.88);
  });

  it('descends when the first estimate is too high', () => {
    expect(bracket(596, '--++', 0.9983, 40)).toBe(133999);
    expect(bracket(834, '--++', 0.4309, 1.41)).toBe(1456);
  });

  it('puts no limit on a zero pulse width or a configuration that carries no current', () => {
    expect(maxAmplitudeForDensity(0, '-+', 0.1225, 30)).toBe(Number.MAX_SAFE_INTEGER);
    expect(maxAmplitudeForDensity(300, '000', 0.1225, 30)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('gives no Shannon index for zero or negative charge', () => {
    expect(worstContactLoad(0, 300, '-+', 0.1225).shannonK).toBe(-Infinity);
    expect(worstContactLoad(-100, 300, '-+', 0.1225).shannonK).toBe(-Infinity);
  });
});

describe('amplitude window and ceiling: boundaries and reasons', () => {
  it('names the hardware maximum when the density ceiling equals it exactly', () => {
    const l = { ...limits, amplitudeUa: { min: 0, max: 7350, step: 50 } };
    expect(amplitudeCeiling(500, '-+000000', l)).toEqual({ ceilingUa: 7350, reason: 'generator hardware max 7.35 mA' });
    expect(amplitudeCeiling(500, '-+000000', limits)).toEqual({
      ceilingUa: 7350,
      reason: 'charge-density limit 30 µC/cm² at 500 µs',
    });
  });

  it('a window of one value (sensory = discomfort) is a window', () => {
    expect(amplitudeWindow({ sensoryUa: 1000, discomfortUa: 1000 }, 300, '-+000000', limits)).toEqual({
      lowUa: 1000,
      highUa: 1000,
      highReason: 'discomfort threshold 1 mA',
    });
  });

  it('names the discomfort threshold when it equals the ceiling exactly', () => {
    expect(amplitudeWindow({ sensoryUa: 1000, discomfortUa: 7350 }, 500, '-+000000', limits)?.highReason).toBe(
      'discomfort threshold 7.35 mA',
    );
    expect(amplitudeWindow({ sensoryUa: 1000, discomfortUa: 7400 }, 500, '-+000000', limits)?.highReason).toBe(
      'charge-density limit 30 µC/cm² at 500 µs',
    );
  });

  const w = { lowUa: 1000, highUa: 2000, highReason: 'discomfort threshold 2 mA' };
  it('refuses a request that is not a number, saying so', () => {
    expect(clampAmplitude(Number.NaN, w, limits)).toEqual({
      applied: null,
      notices: [{ kind: 'reject', field: 'amplitude', requested: 'NaN', applied: null, reason: 'not a number of mA' }],
    });
  });

  it('refuses without a window, saying what to do', () => {
    expect(clampAmplitude(1500, null, limits).notices).toEqual([
      {
        kind: 'reject',
        field: 'amplitude',
        requested: 1.5,
        applied: null,
        reason: 'no measured window: mark sensory and discomfort thresholds first',
      },
    ]);
  });

  it('below the window: the sensory threshold, and the reason says zero is reached by output off or STOP', () => {
    expect(clampAmplitude(200, w, limits)).toEqual({
      applied: 1000,
      notices: [
        {
          kind: 'clamp',
          field: 'amplitude',
          requested: 0.2,
          applied: 1,
          reason: 'sensory threshold 1 mA (output off or STOP is the way to zero)',
        },
      ],
    });
  });
});

describe('Shannon warning text', () => {
  it('states k, the line, the width and the density of the most loaded contact', () => {
    const n = shannonWarning(7350, 500, '-+000000', limits);
    expect(n).toEqual({
      kind: 'warn',
      field: 'amplitude',
      requested: 7.35,
      applied: 7.35,
      reason: 'Shannon k 2.04 ≥ 1.85 at 500 µs (30.0 µC/cm² on the most loaded contact)',
    });
  });
});

describe('pulse-width change: what is said and why', () => {
  it('says nothing when nothing is lowered and no threshold was measured', () => {
    expect(planWidthChange(1000, 400, 300, '-+000000', null, limits)).toEqual({
      amplitudeUa: 1000,
      estimate: null,
      notices: [],
    });
  });

  it('a longer pulse width: amplitude lowered, the reason is the charge-per-phase rule', () => {
    expect(planWidthChange(2000, 300, 600, '-+000000', null, limits)).toEqual({
      amplitudeUa: 1050,
      estimate: null,
      notices: [
        {
          kind: 'clamp',
          field: 'amplitude',
          requested: 2,
          applied: 1.05,
          reason: 'pulse width 300→600 µs: charge per phase may rise by at most one step',
        },
      ],
    });
  });

  it('when the charge-density ceiling is lower still, the reason is the ceiling', () => {
    expect(planWidthChange(12250, 300, 310, '-+000000', null, limits).notices).toEqual([
      {
        kind: 'clamp',
        field: 'amplitude',
        requested: 12.25,
        applied: 11.85,
        reason: 'charge-density limit 30 µC/cm² at 310 µs',
      },
    ]);
  });

  it('when the estimate equals the charge-per-phase bound, the reason stays the charge-per-phase rule', () => {
    const plan = planWidthChange(250, 300, 400, '-+000000', 250, limits);
    expect(plan.amplitudeUa).toBe(200);
    expect(plan.notices[0]).toEqual({
      kind: 'clamp',
      field: 'amplitude',
      requested: 0.25,
      applied: 0.2,
      reason: 'pulse width 300→400 µs: charge per phase may rise by at most one step',
    });
  });

  it('below the bound, the Weiss estimate decides, and the estimate is announced as an estimate', () => {
    const plan = planWidthChange(2000, 300, 400, '-+000000', 1500, limits);
    expect(plan.estimate).toMatchObject({ estimated: true, pulseWidthUs: 400, startUa: 1300 });
    expect(plan.notices).toEqual([
      {
        kind: 'clamp',
        field: 'amplitude',
        requested: 2,
        applied: 1.3,
        reason: 'at or below the estimated sensory threshold 1.314 mA at 400 µs (Weiss law, estimated)',
      },
      {
        kind: 'warn',
        field: 'threshold',
        requested: null,
        applied: 1.3,
        reason:
          'pulse width changed: measured thresholds discarded; estimated sensory threshold 1.314 mA at 400 µs (Weiss law, chronaxie 295 µs) — an estimate only; re-measure before therapy',
      },
    ]);
  });
});

describe('step grid: exact edges', () => {
  it('isOnGrid needs an integer, inside [min, max], on the step', () => {
    expect(isOnGrid(50, grid)).toBe(true);
    expect(isOnGrid(0, grid)).toBe(true);
    expect(isOnGrid(100, grid)).toBe(true);
    expect(isOnGrid(50.5, grid)).toBe(false);
    expect(isOnGrid(-10, grid)).toBe(false);
    expect(isOnGrid(110, grid)).toBe(false);
    expect(isOnGrid(55, grid)).toBe(false);
    expect(isOnGrid(15, { min: 5, max: 100, step: 10 })).toBe(true);
  });

  it('floor and ceil at the ends of the grid', () => {
    expect(floorToGrid(0, grid)).toBe(0);
    expect(floorToGrid(-1, grid)).toBeNull();
    expect(ceilToGrid(100, grid)).toBe(100);
    expect(ceilToGrid(101, grid)).toBeNull();
  });

  it('one key press moves to the next grid value, or one step beyond the hardware range', () => {
    expect(neighbourOnGrid(50, grid, 1)).toBe(60);
    expect(neighbourOnGrid(50, grid, -1)).toBe(40);
    expect(neighbourOnGrid(55, grid, 1)).toBe(60);
    expect(neighbourOnGrid(55, grid, -1)).toBe(50);
    expect(neighbourOnGrid(100, grid, 1)).toBe(110);
    expect(neighbourOnGrid(0, grid, -1)).toBe(-10);
  });

  it('nearest picks the closer grid value, ties down, and null when nothing lies inside', () => {
    expect(nearestOnGridWithin(18, grid, 0, 100)).toBe(20);
    expect(nearestOnGridWithin(12, grid, 0, 100)).toBe(10);
    expect(nearestOnGridWithin(15, grid, 0, 100)).toBe(10);
    expect(nearestOnGridWithin(50, grid, 11, 19)).toBeNull();
  });
});

describe('tonic clamps: reasons at the limits', () => {
  it('not a number is refused by name and unit', () => {
    expect(clampRate(Number.NaN, limits)).toEqual({
      applied: null,
      notices: [{ kind: 'reject', field: 'rate', requested: 'NaN', applied: null, reason: 'not a number of Hz' }],
    });
  });

  it('below the window: the clinical minimum, or the generator minimum when that is higher', () => {
    expect(clampRate(30, limits).notices[0]?.reason).toBe('clinical window min 40 Hz');
    expect(clampRate(30, { ...limits, rateHz: { min: 45, max: 1200, step: 1 } }).notices[0]?.reason).toBe(
      'generator hardware min 45 Hz',
    );
    expect(clampPulseWidth(100, limits).notices[0]).toEqual({
      kind: 'clamp',
      field: 'pulseWidth',
      requested: 100,
      applied: 200,
      reason: 'clinical window min 200 µs',
    });
  });

  it('no grid value in the window: refused, naming the grid and the window', () => {
    const r = clampRate(50, { ...limits, rateHz: { min: 2, max: 1200, step: 100 } });
    expect(r).toEqual({
      applied: null,
      notices: [
        {
          kind: 'reject',
          field: 'rate',
          requested: 50,
          applied: null,
          reason: "no Hz value on the generator's grid (2–1200 step 100) lies in the clinical window 40–60 Hz",
        },
      ],
    });
  });

  it('the default starting program is 50 Hz and 300 µs', () => {
    expect(defaultTonic(limits)).toEqual({ rateHz: 50, pulseWidthUs: 300 });
  });
});
