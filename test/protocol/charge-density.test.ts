import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countPolarities, maxAmplitudeForDensity, worstContactLoad } from '../../protocol/index.js';

// docs/CLINICAL-RULES.md: a 3 mm × 1.3 mm percutaneous contact, π·1.3·3 mm² ≈ 0.1225 cm²; limit 30 µC/cm².
const AREA = 0.1225;
const LIMIT = 30;

describe('charge density (docs/CLINICAL-RULES.md numbers)', () => {
  it('allows 3.675 µC per phase: 18.375 mA at 200 µs and 7.35 mA at 500 µs on one cathode', () => {
    expect(maxAmplitudeForDensity(200, '+-000000', AREA, LIMIT)).toBe(18_375);
    expect(maxAmplitudeForDensity(500, '+-000000', AREA, LIMIT)).toBe(7_350);
    const load = worstContactLoad(18_375, 200, '+-000000', AREA);
    expect(load.chargeUc).toBeCloseTo(3.675, 9);
    expect(load.densityUcPerCm2).toBeCloseTo(30, 9);
    expect(worstContactLoad(18_376, 200, '+-000000', AREA).densityUcPerCm2).toBeGreaterThan(LIMIT);
  });

  it('splits current over contacts of one polarity; the least-shared polarity decides', () => {
    // Two anodes, two cathodes: each carries half, so twice the amplitude fits.
    expect(maxAmplitudeForDensity(200, '++--0000', AREA, LIMIT)).toBe(36_750);
    // One anode carries everything however many cathodes there are.
    expect(maxAmplitudeForDensity(200, '+---0000', AREA, LIMIT)).toBe(18_375);
    expect(worstContactLoad(9_000, 200, '+---0000', AREA).chargeUc).toBeCloseTo(1.8, 9);
    expect(worstContactLoad(9_000, 200, '+++-0000', AREA).chargeUc).toBeCloseTo(1.8, 9);
  });

  it('puts no charge on a configuration with no active contact, and counts one polarity alone conservatively', () => {
    expect(worstContactLoad(5_000, 200, '00000000', AREA).chargeUc).toBe(0);
    // Cathodes without an anode cannot carry current, but the check assumes the worst: full current on them.
    expect(worstContactLoad(5_000, 200, '000-0000', AREA).chargeUc).toBeCloseTo(1, 9);
    expect(worstContactLoad(0, 200, '+-000000', AREA).shannonK).toBe(-Infinity);
    expect(maxAmplitudeForDensity(200, '00000000', AREA, LIMIT)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('computes Shannon k = log10(D) + log10(Q)', () => {
    const load = worstContactLoad(18_375, 200, '+-000000', AREA);
    expect(load.shannonK).toBeCloseTo(Math.log10(30) + Math.log10(3.675), 9);
  });

  it('counts polarities', () => {
    expect(countPolarities('+-0+-0--')).toEqual({ anodes: 2, cathodes: 4 });
  });

  it('property: the largest allowed amplitude is within the limit and one µA more is not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).map((k) => k * 10),
        fc
          .array(fc.constantFrom('+', '-', '0'), { minLength: 2, maxLength: 16 })
          .map((a) => a.join(''))
          .filter((c) => c.includes('+') && c.includes('-')),
        fc.integer({ min: 100, max: 5000 }).map((k) => k / 10_000),
        (pw, contacts, area) => {
          const max = maxAmplitudeForDensity(pw, contacts, area, LIMIT);
          expect(worstContactLoad(max, pw, contacts, area).densityUcPerCm2).toBeLessThanOrEqual(LIMIT);
          expect(worstContactLoad(max + 1, pw, contacts, area).densityUcPerCm2).toBeGreaterThan(LIMIT);
        },
      ),
    );
  });
});
