import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasAnodeAndCathode,
  missingPole,
  parseElectrodeTokens,
  validateContacts,
  describeContacts,
} from '../../src/session/electrodes.js';
import { maxAmplitudeAfterWidthChange, planWidthChange } from '../../src/session/pulse-width-change.js';
import { searchStepUa } from '../../src/session/search-step.js';
import { estimateStart, weissThresholdUa, CHRONAXIE_US } from '../../src/session/weiss-estimate.js';
import { maToUa, uaToMa } from '../../src/session/units.js';
import { isOnGrid } from '../../src/session/step-grid.js';
import { defaultLimits, limitsArb } from './arbitraries.js';

describe('electrodes', () => {
  it('parses listed contacts, others off', () => {
    expect(parseElectrodeTokens(['1-', '2+'], 8)).toEqual({ ok: true, contacts: '-+000000' });
    expect(parseElectrodeTokens(['8+', '3-', '4off'], 8)).toEqual({ ok: true, contacts: '00-0000+' });
  });
  it('refuses contacts the generator does not have, duplicates and bad polarity', () => {
    expect(parseElectrodeTokens(['9-'], 8)).toMatchObject({ ok: false, reason: expect.stringMatching(/contacts 1–8/) });
    expect(parseElectrodeTokens(['0-'], 8).ok).toBe(false);
    expect(parseElectrodeTokens(['1-', '1+'], 8)).toMatchObject({ ok: false, reason: 'contact 1 is listed twice' });
    expect(parseElectrodeTokens(['1*'], 8).ok).toBe(false);
    expect(validateContacts('-+0', 8).ok).toBe(false);
    expect(validateContacts('-+0000x0', 8).ok).toBe(false);
  });
  it('needs an anode and a cathode', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('+', '-', '0'), { minLength: 1, maxLength: 16 }), (a) => {
        const s = a.join('');
        expect(hasAnodeAndCathode(s)).toBe(s.includes('+') && s.includes('-'));
        expect(missingPole(s) === null).toBe(hasAnodeAndCathode(s));
      }),
    );
    expect(missingPole('--000000')).toMatch(/no anode/);
    expect(missingPole('++000000')).toMatch(/no cathode/);
    expect(describeContacts('-+000000')).toBe('1- 2+');
  });
});

describe('Weiss-law estimate', () => {
  it('follows I2 = I1·(1 + C/PW2)/(1 + C/PW1) with chronaxie 295 µs', () => {
    expect(CHRONAXIE_US).toBe(295);
    expect(weissThresholdUa(3000, 300, 300)).toBeCloseTo(3000);
    expect(weissThresholdUa(3000, 300, 400)).toBeCloseTo((3000 * (1 + 295 / 400)) / (1 + 295 / 300));
  });
  it('offers a start on the grid at or below the estimated sensory threshold, marked estimated', () => {
    fc.assert(
      fc.property(
        limitsArb,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 200, max: 500 }),
        fc.integer({ min: 200, max: 500 }),
        (limits, k, pw1, pw2) => {
          const s = k * limits.amplitudeUa.step;
          const e = estimateStart(s, pw1, pw2, limits);
          expect(e.estimated).toBe(true);
          expect(e.startUa).toBeLessThanOrEqual(e.sensoryUa);
          expect(isOnGrid(e.startUa, limits.amplitudeUa)).toBe(true);
        },
      ),
    );
  });
});

describe('pulse-width change (H3)', () => {
  it('never raises charge per phase by more than one amplitude step, never raises amplitude', () => {
    fc.assert(
      fc.property(
        limitsArb,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 200, max: 500 }),
        fc.integer({ min: 200, max: 500 }),
        fc.option(fc.integer({ min: 1, max: 300 })),
        (limits, k, pw1, pw2, sk) => {
          const step = limits.amplitudeUa.step;
          const a = Math.min(k * step, limits.amplitudeUa.max);
          const plan = planWidthChange(a, pw1, pw2, '-+000000', sk === null ? null : sk * step, limits);
          expect(plan.amplitudeUa).toBeLessThanOrEqual(a);
          expect(plan.amplitudeUa * pw2).toBeLessThanOrEqual(a * pw1 + step * pw2);
          expect(isOnGrid(plan.amplitudeUa, limits.amplitudeUa)).toBe(true);
          if (plan.estimate) expect(plan.amplitudeUa).toBeLessThanOrEqual(plan.estimate.sensoryUa);
          if (plan.amplitudeUa !== a)
            expect(plan.notices.some((n) => n.kind === 'clamp' && n.field === 'amplitude')).toBe(true);
        },
      ),
    );
  });
  it('lowers amplitude when pulse width doubles', () => {
    expect(maxAmplitudeAfterWidthChange(4000, 200, 400, defaultLimits)).toBe(2050);
    expect(maxAmplitudeAfterWidthChange(4000, 400, 200, defaultLimits)).toBe(4000);
  });
  it('with a measured sensory threshold the estimate caps the amplitude and says it is an estimate', () => {
    const plan = planWidthChange(3000, 300, 400, '-+000000', 2000, defaultLimits);
    expect(plan.estimate).toMatchObject({ estimated: true, pulseWidthUs: 400 });
    expect(plan.amplitudeUa).toBeLessThanOrEqual(plan.estimate!.sensoryUa);
    expect(plan.notices.find((n) => n.kind === 'warn')?.reason).toMatch(/estimate/);
  });
});

describe('units and search step', () => {
  it('mA ↔ µA', () => {
    expect(maToUa(1.25)).toBe(1250);
    expect(uaToMa(300)).toBe(0.3);
    expect(() => maToUa(-1)).toThrow();
    expect(() => maToUa(Number.NaN)).toThrow();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25_500 }), (ua) => {
        expect(maToUa(uaToMa(ua))).toBe(ua);
      }),
    );
  });
  it('search step is the generator step, at most 0.1 mA', () => {
    expect(searchStepUa(defaultLimits)).toBe(50);
    expect(searchStepUa({ ...defaultLimits, amplitudeUa: { min: 0, max: 25_500, step: 100 } })).toBe(100);
    expect(searchStepUa({ ...defaultLimits, amplitudeUa: { min: 0, max: 25_500, step: 250 } })).toBeNull();
  });
});
