import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean, median, quantile, sampleSd, summarize } from '../../src/outcomes/descriptive-statistics.js';
import { studentTCdf, studentTQuantile } from '../../src/outcomes/student-t.js';
import { noncentralTCdf } from '../../src/outcomes/noncentral-t.js';
import { cohensDz, pairedTTestPower } from '../../src/outcomes/paired-effect.js';
import { normalCdf, normalQuantile, regularizedBeta } from '../../src/outcomes/special-functions.js';

describe('descriptive statistics', () => {
  it('mean and sample SD use n − 1', () => {
    expect(mean([2, 4, 6])).toBe(4);
    expect(sampleSd([2, 4, 6])).toBe(2);
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(sampleSd([5])).toBeNull();
    expect(mean([])).toBeNull();
  });

  it('quantiles: type 6 (SPSS) and type 7 (R) on 1..10', () => {
    const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(quantile(xs, 0.25, 'hf6')).toBeCloseTo(2.75, 12);
    expect(quantile(xs, 0.75, 'hf6')).toBeCloseTo(8.25, 12);
    expect(quantile(xs, 0.25, 'hf7')).toBeCloseTo(3.25, 12);
    expect(quantile(xs, 0.75, 'hf7')).toBeCloseTo(7.75, 12);
    expect(median(xs)).toBe(5.5);
    expect(median([3, 1, 2])).toBe(2);
    // Type 6 clamps to the sample's ends for ranks outside 1..n.
    expect(quantile([1, 2, 3], 0.1, 'hf6')).toBe(1);
    expect(quantile([1, 2, 3], 0.95, 'hf6')).toBe(3);
  });

  it('summarize drops missing values and reports range and IQR', () => {
    const s = summarize([3, null, 6, 10, undefined]);
    expect(s).toMatchObject({ n: 3, min: 3, max: 10, median: 6 });
    expect(s.iqr).toBeCloseTo(s.q3! - s.q1!, 12);
  });

  it('properties: quantiles are monotone and within the range; SD is shift-invariant', () => {
    const sample = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(
        sample,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          for (const m of ['hf6', 'hf7'] as const) {
            const qa = quantile(xs, lo, m)!;
            const qb = quantile(xs, hi, m)!;
            expect(qa).toBeLessThanOrEqual(qb + 1e-9);
            expect(qa).toBeGreaterThanOrEqual(Math.min(...xs));
            expect(qb).toBeLessThanOrEqual(Math.max(...xs));
          }
        },
      ),
    );
    fc.assert(
      fc.property(sample, fc.integer({ min: -10_000, max: 10_000 }), (xs, c) => {
        expect(sampleSd(xs.map((x) => x + c))!).toBeCloseTo(sampleSd(xs)!, 8);
        expect(mean(xs.map((x) => x + c))!).toBeCloseTo(mean(xs)! + c, 8);
      }),
    );
  });

  it('every figure is exactly the same whatever the order of the values (sites pooled in any order)', () => {
    // Doubles, not integers: a sum of fractions depends on its order unless the order is fixed.
    const xs = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(
        xs.chain((v) => fc.tuple(fc.constant(v), fc.shuffledSubarray(v, { minLength: v.length }))),
        ([v, shuffled]) => {
          expect(summarize(shuffled)).toEqual(summarize(v));
          const after = v.map((x) => x / 3);
          const pairs = v.map((x, i) => [x, after[i]!] as const);
          const mixed = [...pairs].reverse();
          if (sampleSd(v.map((x, i) => x - after[i]!)) !== 0)
            expect(
              cohensDz(
                mixed.map((p) => p[0]),
                mixed.map((p) => p[1]),
              ),
            ).toBe(cohensDz(v, after));
        },
      ),
    );
    // One order that a left-to-right sum gets wrong in the last bit: the fixed order makes both equal.
    expect(sampleSd([10, 8, 10, 10, 10])).toBe(sampleSd([10, 10, 10, 8, 10]));
  });
});

describe('normal distribution', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(0)).toBe(0.5);
    // Φ(−10) = 7.619853024160527e-24 (Abramowitz & Stegun 26.2; relative comparison in the far tail).
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(1e-12)).toBeCloseTo(-7.034483825301131, 10);
  });
});

describe('Student t', () => {
  it('CDF has the closed forms for df = 1 and df = 2', () => {
    for (const t of [-30, -2, -0.3, 0, 0.7, 5, 100]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it('quantile has the closed forms for df = 1 and df = 2 and the tabulated critical values', () => {
    for (const p of [1e-8, 0.01, 0.2, 0.5, 0.8, 0.975, 0.999]) {
      const cauchy = Math.tan(Math.PI * (p - 0.5));
      expect(p === 0.5 ? studentTQuantile(p, 1) : studentTQuantile(p, 1) / cauchy).toBeCloseTo(p === 0.5 ? 0 : 1, 7);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
    // Two-tailed 5% critical values (Fisher & Yates tables; R qt(0.975, df)).
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157162798205, 12);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272456301238, 12);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 5);
  });

  it('property: CDF(quantile(p)) = p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, df) => {
          // |error| ≤ 5e-9: near the median the quantile's own precision is ~1e-10 (300,000 random cases
          // peaked at 6e-11), far below anything a report prints; 11 digits failed now and then.
          expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 8);
        },
      ),
    );
  });
});

/**
 * Independent reference for the noncentral t: P(T' ≤ t) = E[Φ(t·S − δ)] with S = √(V/df), V ~ χ²(df),
 * by composite Simpson's rule over the density of S (integer df, so Γ(df/2) is exact by recursion).
 */
function referenceNoncentralT(t: number, df: number, ncp: number): number {
  let gammaHalf = df % 2 === 0 ? 1 : Math.sqrt(Math.PI); // Γ(1) or Γ(1/2)
  for (let k = df % 2 === 0 ? 1 : 0.5; k < df / 2; k += 1) gammaHalf *= k;
  const c = (2 * Math.pow(df / 2, df / 2)) / gammaHalf;
  const density = (s: number) => c * Math.pow(s, df - 1) * Math.exp((-df * s * s) / 2);
  const upper = 1 + 12 / Math.sqrt(df);
  const steps = 20_000;
  const h = upper / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const s = i * h;
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * density(s) * normalCdf(t * s - ncp);
  }
  return (sum * h) / 3;
}

describe('noncentral t', () => {
  it('reduces to the central t when δ = 0', () => {
    for (const df of [1, 3, 9, 40]) {
      for (const t of [-4, -1, 0.5, 2.3]) expect(noncentralTCdf(t, df, 0)).toBeCloseTo(studentTCdf(t, df), 12);
    }
  });

  it('agrees with numeric integration over a grid of t, df, δ', () => {
    for (const df of [1, 2, 5, 9, 30]) {
      for (const t of [-3, -0.7, 0.4, 2.262157162798205, 6]) {
        for (const ncp of [-2, 0.5, 2.824628755670728, 6]) {
          expect(noncentralTCdf(t, df, ncp)).toBeCloseTo(referenceNoncentralT(t, df, ncp), 9);
        }
      }
    }
  });

  it('matches Boost/scipy reference values', () => {
    // scipy.stats.nct.cdf (Boost non_central_t), scipy 1.17.1.
    expect(noncentralTCdf(2.262157162798205, 9, 2.824628755670728)).toBeCloseTo(0.289239464897712, 12);
    expect(noncentralTCdf(-2.262157162798205, 9, 2.824628755670728)).toBeCloseTo(2.95297315336656e-6, 12);
  });

  it('property: the CDF rises with t and falls with δ', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (t, step, df, ncp) => {
          expect(noncentralTCdf(t + step, df, ncp)).toBeGreaterThanOrEqual(noncentralTCdf(t, df, ncp) - 1e-12);
          expect(noncentralTCdf(t, df, ncp + step)).toBeLessThanOrEqual(noncentralTCdf(t, df, ncp) + 1e-12);
        },
      ),
    );
  });

  it('uses the correct incomplete beta underneath', () => {
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    expect(regularizedBeta(0.3, 1, 4.5)).toBeCloseTo(1 - Math.pow(0.7, 4.5), 14);
    expect(regularizedBeta(0.6, 2.5, 1)).toBeCloseTo(Math.pow(0.6, 2.5), 14);
  });
});

describe('paired effect and G*Power post hoc power', () => {
  it("reproduces the paper's d = 0.89 and power 0.71 from baseline vs final NRS", () => {
    const baseline = [10, 10, 10, 8, 10, 10, 10, 10, 10, 10];
    const final = [3, 6, 10, 8, 10, 10, 10, 1, 4, 2];
    const dz = cohensDz(baseline, final);
    expect(dz.toFixed(2)).toBe('0.89');
    const power = pairedTTestPower(baseline.length, dz);
    expect(power.df).toBe(9);
    expect(power.ncp).toBeCloseTo(dz * Math.sqrt(10), 14);
    expect(power.power.toFixed(2)).toBe('0.71');
    // scipy: nct.sf(t_crit, 9, δ) + nct.cdf(−t_crit, 9, δ) with δ = dz·√10.
    expect(power.power).toBeCloseTo(0.7107634880754414, 10);
  });

  it("matches R's power.t.test(n = 10, delta = 0.89, sd = 1, type = 'one.sample', strict = TRUE)", () => {
    // Reference from scipy 1.17.1 (the same noncentral-t definition R uses).
    expect(pairedTTestPower(10, 0.89).power).toBeCloseTo(0.7076828665688444, 10);
  });

  it('has power α at dz = 0, is symmetric in the sign of dz and rises with n', () => {
    expect(pairedTTestPower(10, 0).power).toBeCloseTo(0.05, 12);
    expect(pairedTTestPower(25, 0, 0.01).power).toBeCloseTo(0.01, 12);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.double({ min: 0.01, max: 2, noNaN: true }), (n, dz) => {
        const p = pairedTTestPower(n, dz).power;
        expect(pairedTTestPower(n, -dz).power).toBeCloseTo(p, 10);
        expect(pairedTTestPower(n + 1, dz).power).toBeGreaterThanOrEqual(p - 1e-12);
        expect(p).toBeGreaterThan(0.05);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('refuses undefined effect sizes', () => {
    expect(() => cohensDz([1, 2], [0, 1])).toThrow(/same/);
    expect(() => cohensDz([1, 2], [1])).toThrow(/equal lengths/);
  });
});
